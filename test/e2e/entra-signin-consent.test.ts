import { describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// Issue 10 items 4, 7, 13 (G4, G7, G22, G23): the built CLI (`npm run build` first) against
// simulator scenarios that answer as Entra does. Each case names the checks it is about.

type Expect = Record<string, [status: string, code: string | null, text?: RegExp]>;

const CASES: [scenario: string, expected: Expect, exit: number][] = [
  // G7: sign-in errors with their own cause.
  ['entra-signin-app-not-in-directory-70001', { 'entra.token': ['fail', 'APP_NOT_FOUND', /AADSTS70001/] }, 1],
  ['entra-signin-app-disabled-70001', { 'entra.token': ['fail', 'APP_DISABLED', /AADSTS70001/] }, 1],
  ['entra-signin-app-not-in-tenant-700011', { 'entra.token': ['fail', 'APP_NOT_FOUND', /AADSTS700011/] }, 1],
  ['entra-signin-service-principal-missing', { 'entra.token': ['fail', 'SERVICE_PRINCIPAL_MISSING', /AADSTS7000229/] }, 1],
  ['entra-signin-conditional-access', { 'entra.token': ['fail', 'CONDITIONAL_ACCESS_BLOCKED', /AADSTS53003/] }, 1],
  ['entra-signin-resource-not-in-tenant', { 'entra.token': ['fail', 'RESOURCE_NOT_IN_TENANT', /Exchange Online.*AADSTS500011/] }, 1],
  ['entra-signin-assertion-time', { 'entra.token': ['fail', 'CLIENT_ASSERTION_TIME_INVALID', /AADSTS700024/] }, 1],
  // G4: consent policies as Microsoft sets them, read and evaluated.
  ['entra-user-consent-recommended', { 'entra.user-consent': ['warn', 'USER_CONSENT_DISABLED', /microsoft-user-default-recommended.*SMTP\.Send/] }, 0],
  ['entra-user-consent-recommended-admin-granted', { 'entra.user-consent': ['pass', null, /admin consented/] }, 0],
  ['entra-user-consent-custom-allows', { 'entra.user-consent': ['pass', null, /contoso-webex-connect/] }, 0],
  ['entra-user-consent-policy-unknown', { 'entra.user-consent': ['warn', 'USER_CONSENT_UNDETERMINED', /fabrikam-retired-policy/] }, 0],
  ['entra-user-consent-low-classified', { 'entra.user-consent': ['pass', null, /microsoft-user-default-low/i] }, 0],
  ['healthy', { 'entra.user-consent': ['pass', null, /microsoft-user-default-legacy/] }, 0],
  // G22/G23: the authorize probe.
  ['entra-redirect-uri-probe', { 'entra.redirect-uri': ['fail', 'REDIRECT_URI_MISSING', /letter case/] }, 1],
  ['entra-redirect-uri-probe-none', { 'entra.redirect-uri': ['fail', 'REDIRECT_URI_MISSING', /AADSTS500113/] }, 1],
  ['entra-redirect-uri-probe-accepted', { 'entra.redirect-uri': ['pass', null, /redirected there with login_required/], 'entra.implicit-grant': ['skip', 'MISSING_PERMISSION'] }, 2],
  ['entra-implicit-grant-probe-off', { 'entra.implicit-grant': ['fail', 'IMPLICIT_ACCESS_TOKENS_OFF', /AADSTS700051/], 'entra.redirect-uri': ['pass', null, /login_required/] }, 1],
  ['entra-redirect-uri-probe-proxy', { 'entra.redirect-uri': ['warn', 'AUTHORIZE_PROBE_INCONCLUSIVE', /Cannot tell/] }, 2],
];

describe('wxmail doctor: sign-in errors, authorize probe, consent policies (G4, G7, G22, G23)', () => {
  it.each(CASES)('%s', async (scenario, expected, exit) => {
    const sim = await startSimulator({ scenario });
    try {
      const { code, report, stderr } = await doctorJson(sim, ['--only', 'entra.*']);
      const v = validateReport(report);
      expect(v.ok ? 'valid' : v.error).toBe('valid');
      for (const [id, [status, reason, text]] of Object.entries(expected)) {
        const r = resultOf(report, id);
        expect({ id, status: r.status, code: r.code }, `${id}: ${r.summary}\n${stderr.slice(0, 500)}`).toEqual({ id, status, code: reason });
        if (text) expect(r.summary, id).toMatch(text);
        if (r.status === 'fail' || r.status === 'warn') {
          expect(r.remediation?.text.length, id).toBeGreaterThan(10);
          expect(r.remediation?.links.length, id).toBeGreaterThan(0);
        }
      }
      expect(code).toBe(exit);
    } finally {
      await sim.stop();
    }
  });

  it('the SERVICE_PRINCIPAL_MISSING fix names this run\'s client ID', async () => {
    const sim = await startSimulator({ scenario: 'entra-signin-service-principal-missing' });
    try {
      const { report } = await doctorJson(sim, ['--only', 'entra.token']);
      const r = resultOf(report, 'entra.token');
      expect(r.remediation?.commands).toContain('New-MgServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62');
    } finally {
      await sim.stop();
    }
  });

  it('under Microsoft-managed consent the fix is admin consent, with this run\'s service principal ids filled in', async () => {
    const sim = await startSimulator({ scenario: 'entra-user-consent-recommended' });
    try {
      const { report } = await doctorJson(sim, ['--only', 'entra.user-consent']);
      const r = resultOf(report, 'entra.user-consent');
      expect(r.code).toBe('USER_CONSENT_DISABLED');
      expect(r.details).toContain('[O]');
      const grants = (r.remediation?.commands ?? []).filter((c) => c.startsWith('New-MgOauth2PermissionGrant'));
      expect(grants).toHaveLength(2);
      for (const c of grants) {
        expect(c).toContain('-ClientId 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14');
        expect(c).not.toMatch(/<[a-z-]+-sp-id>/);
      }
    } finally {
      await sim.stop();
    }
  });

  it('DoD cloud (G24): tokens for outlook-dod.office365.us, and the verdict names the endpoints that are only observed', async () => {
    const sim = await startSimulator({ scenario: 'entra-cloud-dod' });
    try {
      const { report, stderr } = await doctorJson(sim, ['--only', 'entra.token', '--cloud', 'usgovdod']);
      const r = resultOf(report, 'entra.token');
      expect({ status: r.status, code: r.code }, `${r.summary}\n${stderr.slice(0, 400)}`).toEqual({ status: 'pass', code: null });
      expect((r.evidence as { exchange: { aud: string } }).exchange.aud).toBe('https://outlook-dod.office365.us');
      expect(r.details).toContain('Cloud usgovdod');
      expect(r.details).toContain('[O: CISA ScubaGear');
    } finally {
      await sim.stop();
    }
  });

  it('China cloud (G24): the verdict marks smtp.partner.outlook.cn as observed', async () => {
    const sim = await startSimulator({ scenario: 'entra-cloud-china' });
    try {
      const { report } = await doctorJson(sim, ['--only', 'entra.token', '--cloud', 'china']);
      const r = resultOf(report, 'entra.token');
      expect(r.status).toBe('pass');
      expect((r.evidence as { exchange: { aud: string } }).exchange.aud).toBe('https://partner.outlook.cn');
      expect(r.details).toContain('SMTP host smtp.partner.outlook.cn [O');
    } finally {
      await sim.stop();
    }
  });

  it('the redirect-URI fix adds the Call Back URL to the registered list, never replaces it (G22)', async () => {
    const sim = await startSimulator({ scenario: 'entra-redirect-uri-missing' });
    try {
      const { report } = await doctorJson(sim, ['--only', 'entra.redirect-uri']);
      const r = resultOf(report, 'entra.redirect-uri');
      expect(r.code).toBe('REDIRECT_URI_MISSING');
      const registered = (r.evidence as { redirectUris: { web: string[] } }).redirectUris.web;
      const cmd = (r.remediation?.commands ?? []).find((c) => c.startsWith('Update-MgApplication'))!;
      expect(cmd).toContain('-ApplicationId 3d6317c3-ed51-4ff2-955d-019ac1637beb');
      for (const uri of [...registered, 'https://contoso.us.webexconnect.io/callback']) expect(cmd).toContain(`'${uri}'`);
      expect(cmd).not.toContain('<redirect-uris>');
    } finally {
      await sim.stop();
    }
  });
});
