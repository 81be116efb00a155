import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// The built CLI (`npm run build` first; `npm test` does) against the simulated tenant, one
// scenario per step-2 reason code (fixtures/scenarios/entra-*.yaml).

type Expect = Record<string, [status: string, code: string | null]>;

const ENTRA_IDS = ['entra.token', 'entra.redirect-uri', 'entra.implicit-grant', 'entra.client-secret', 'entra.api-permissions', 'entra.admin-consent', 'entra.user-consent'];
const ALL_PASS: Expect = Object.fromEntries(ENTRA_IDS.map((id) => [id, ['pass', null]]));

const CASES: [scenario: string, expected: Expect, exit: number][] = [
  ['healthy', ALL_PASS, 0],
  ['entra-device-code-reader', ALL_PASS, 0],
  ['entra-secret-invalid', { 'entra.token': ['fail', 'SECRET_INVALID'], 'entra.client-secret': ['fail', 'SECRET_INVALID'] }, 1],
  ['entra-secret-id-not-value', { 'entra.token': ['fail', 'SECRET_ID_NOT_VALUE'], 'entra.client-secret': ['fail', 'SECRET_ID_NOT_VALUE'] }, 1],
  ['entra-secret-expired', { 'entra.token': ['fail', 'SECRET_EXPIRED'], 'entra.client-secret': ['fail', 'SECRET_EXPIRED'] }, 1],
  ['entra-secret-expires-soon', { 'entra.token': ['pass', null], 'entra.client-secret': ['warn', 'SECRET_EXPIRES_SOON'] }, 0],
  ['entra-secret-hint-ambiguous', { 'entra.client-secret': ['warn', 'SECRET_HINT_AMBIGUOUS'] }, 0],
  ['entra-certificate-expired', { 'entra.token': ['fail', 'TOKEN_FAILED'], 'entra.client-secret': ['fail', 'CERTIFICATE_EXPIRED'] }, 1],
  ['entra-certificate-expires-soon', { 'entra.token': ['pass', null], 'entra.client-secret': ['warn', 'CERTIFICATE_EXPIRES_SOON'] }, 0],
  ['entra-app-not-found', { 'entra.token': ['fail', 'APP_NOT_FOUND'], 'entra.implicit-grant': ['fail', 'APP_NOT_FOUND'], 'entra.admin-consent': ['fail', 'APP_NOT_FOUND'] }, 1],
  ['entra-app-disabled', { 'entra.token': ['fail', 'APP_DISABLED'], 'entra.admin-consent': ['fail', 'APP_DISABLED'] }, 1],
  ['entra-tenant-not-found', { 'entra.token': ['fail', 'TENANT_NOT_FOUND'] }, 1],
  ['entra-token-failed', { 'entra.token': ['fail', 'TOKEN_FAILED'], 'entra.implicit-grant': ['skip', 'DEPENDENCY_FAILED'], 'entra.redirect-uri': ['pass', null] }, 1],
  ['entra-clock-skew', { ...ALL_PASS, 'entra.token': ['warn', 'CLOCK_SKEW'] }, 0],
  ['entra-redirect-uri-missing', { 'entra.redirect-uri': ['fail', 'REDIRECT_URI_MISSING'] }, 1],
  ['entra-redirect-uri-wrong-platform', { 'entra.redirect-uri': ['fail', 'REDIRECT_URI_WRONG_PLATFORM'] }, 1],
  ['entra-redirect-uri-probe', { 'entra.redirect-uri': ['fail', 'REDIRECT_URI_MISSING'], 'entra.implicit-grant': ['skip', 'MISSING_PERMISSION'] }, 1],
  ['entra-authorize-unknown-code', { 'entra.redirect-uri': ['warn', 'AUTHORIZE_ERROR'], 'entra.implicit-grant': ['skip', 'MISSING_PERMISSION'] }, 2],
  ['entra-implicit-access-tokens-off', { 'entra.implicit-grant': ['fail', 'IMPLICIT_ACCESS_TOKENS_OFF'] }, 1],
  ['entra-permission-not-configured', { 'entra.api-permissions': ['fail', 'PERMISSION_NOT_CONFIGURED'] }, 1],
  ['entra-admin-consent-missing', { 'entra.admin-consent': ['fail', 'ADMIN_CONSENT_MISSING'] }, 1],
  ['entra-role-not-in-token', { 'entra.admin-consent': ['warn', 'ROLE_NOT_IN_TOKEN'] }, 0],
  ['entra-user-not-assigned', { 'entra.admin-consent': ['fail', 'USER_NOT_ASSIGNED'], 'entra.user-consent': ['warn', 'USER_CONSENT_DISABLED'] }, 1],
  ['entra-user-assigned', { 'entra.admin-consent': ['pass', null], 'entra.user-consent': ['warn', 'USER_CONSENT_DISABLED'] }, 0],
  ['entra-user-consent-disabled', { 'entra.user-consent': ['warn', 'USER_CONSENT_DISABLED'] }, 0],
  ['entra-user-consent-low-unclassified', { 'entra.user-consent': ['warn', 'USER_CONSENT_DISABLED'] }, 0],
  ['entra-user-consent-low-classified', ALL_PASS, 0],
  ['entra-user-consent-admin-granted', ALL_PASS, 0],
  // Reference G1, G2, G5, G6, G9 (docs/FIDELITY.md, "Entra ID: users, groups, assignments, credentials").
  ['entra-mailbox-not-upn', { 'entra.admin-consent': ['pass', null], 'entra.user-consent': ['warn', 'USER_CONSENT_DISABLED'] }, 0],
  ['entra-mailbox-alias', { 'entra.admin-consent': ['pass', null] }, 0],
  ['entra-mailbox-no-user', { 'entra.admin-consent': ['fail', 'MAILBOX_USER_NOT_FOUND'] }, 1],
  ['entra-user-nested-group-only', { 'entra.admin-consent': ['fail', 'USER_NOT_ASSIGNED'] }, 1],
  ['entra-user-nested-and-direct-group', { 'entra.admin-consent': ['pass', null] }, 0],
  // The assignment is found through the fallback reads; whether an admin consented for all users needs Directory.Read.All, which this reader lacks: said, not guessed (exit 2).
  ['entra-user-assignment-fallback', { 'entra.admin-consent': ['pass', null], 'entra.user-consent': ['skip', 'MISSING_PERMISSION'] }, 2],
  ['entra-certificate-custom-identifier', { 'entra.token': ['pass', null], 'entra.client-secret': ['pass', null] }, 0],
  ['entra-graph-mail-send-only', { 'entra.api-permissions': ['fail', 'PERMISSION_NOT_CONFIGURED'], 'entra.admin-consent': ['fail', 'ADMIN_CONSENT_MISSING'] }, 1],
  ['entra-secret-on-service-principal', { 'entra.token': ['pass', null], 'entra.client-secret': ['warn', 'SECRET_ON_SERVICE_PRINCIPAL'] }, 0],
  ['entra-no-reader', { 'entra.token': ['pass', null], 'entra.redirect-uri': ['pass', null], 'entra.user-consent': ['skip', 'MISSING_PERMISSION'] }, 2],
];

function expectValid(report: ReportModel): void {
  const v = validateReport(report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
}

describe('wxmail doctor --only entra.* against the simulator', () => {
  it.concurrent.each(CASES)('%s', async (scenario, expected, exit) => {
    const sim = await startSimulator({ scenario });
    try {
      const { code, report, stderr } = await doctorJson(sim, ['--only', 'entra.*']);
      expectValid(report);
      for (const [id, [status, reason]] of Object.entries(expected)) {
        const r = resultOf(report, id);
        expect({ id, status: r.status, code: r.code }, `${id}: ${r.summary}\n${stderr.slice(0, 500)}`).toEqual({ id, status, code: reason });
        if (r.status === 'fail' || r.status === 'warn') {
          expect(r.remediation?.text.length, id).toBeGreaterThan(10);
          expect(r.remediation?.links.length, id).toBeGreaterThan(0);
        }
      }
      expect(code).toBe(exit);
      expect(report.checks.filter((c) => c.id.startsWith('entra.')).map((c) => c.id).sort()).toEqual([...ENTRA_IDS].sort());
    } finally {
      await sim.stop();
    }
  });

  it('the reader identity is reported, and the device-code prompt goes to stderr only', async () => {
    const sim = await startSimulator({ scenario: 'entra-device-code-reader' });
    try {
      // The prompt is the process's own stderr: the built CLI.
      const { report, stdout, stderr } = await doctorJson(sim, ['--only', 'entra.*'], {}, { cli: true });
      expect(report.environment.readerIdentity).toBe('device-code');
      expect(stderr).toMatch(/microsoft\.com\/devicelogin and enter the code [A-Z0-9]+/);
      expect(stdout).not.toMatch(/devicelogin/);
    } finally {
      await sim.stop();
    }
  });

  it('evidence carries decoded claims, never a token; MISSING_PERMISSION names the permission and the identity', async () => {
    const sim = await startSimulator({ scenario: 'entra-no-reader' });
    try {
      const { report, stdout } = await doctorJson(sim, ['--only', 'entra.*']);
      const token = resultOf(report, 'entra.token');
      expect(token.evidence).toMatchObject({ exchange: { ok: true, aud: expect.any(String), roles: ['Mail.Send'] } });
      expect(stdout).not.toMatch(/eyJ[\w-]{8,}\.[\w-]{8,}\./);
      const consent = resultOf(report, 'entra.user-consent');
      expect(consent.summary).toContain('Policy.Read.All');
      expect(consent.summary).toContain('Webex app');
      expect(consent.evidence).toMatchObject({ missingPermission: { name: 'Policy.Read.All' } });
      expect(consent.details).toMatch(/--reader-client-id|--sign-in/);
    } finally {
      await sim.stop();
    }
  });
});
