import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// What the verdicts of reference G1, G2, G8, G9 say, beyond their codes (entra-scenarios.test.ts
// checks the codes): the built CLI against the simulated tenant.

async function run(scenario: string, only: string) {
  const sim = await startSimulator({ scenario });
  try {
    return { ...(await doctorJson(sim, ['--only', only])), sim };
  } finally {
    await sim.stop();
  }
}

describe('Entra users, groups and credentials as real tenants behave', () => {
  it('a tenant shaped like real ones (mailbox ≠ UPN, assignment required, a nested group beside a directly assigned one) passes every check healthy passes', async () => {
    const statuses = async (scenario: string) => {
      const sim = await startSimulator({ scenario });
      try {
        const { report } = await doctorJson(sim);
        return Object.fromEntries(report.checks.map((c) => [c.id, `${c.status}${c.code ? ` ${c.code}` : ''}`]));
      } finally {
        await sim.stop();
      }
    };
    const [healthy, real] = await Promise.all([statuses('healthy'), statuses('healthy-real-tenant')]);
    // Users cannot consent to an app that requires assignment: the one expected difference.
    expect(real).toEqual({ ...healthy, 'entra.user-consent': 'warn USER_CONSENT_DISABLED' });
  });

  it('G2: nested-only membership is USER_NOT_ASSIGNED naming the nested path; the fix assigns the user by id', async () => {
    const { report, sim } = await run('entra-user-nested-group-only', 'entra.admin-consent');
    const r = resultOf(report, 'entra.admin-consent');
    expect(r.code).toBe('USER_NOT_ASSIGNED');
    expect(r.summary).toContain('Webex Connect Users');
    expect(r.summary).toContain('Contact Center Mailboxes');
    expect(r.summary).toMatch(/does not cascade to nested groups/);
    const john = sim.ctx.scenario.users.john!;
    const sp = sim.ctx.scenario.apps.webex!.servicePrincipalId;
    expect(r.remediation?.commands).toContain(`New-MgUserAppRoleAssignment -UserId ${john.id} -PrincipalId ${john.id} -ResourceId ${sp} -AppRoleId 00000000-0000-0000-0000-000000000000`);
    expect(r.remediation?.text).toMatch(/DIRECT member/);
  });

  it('G2 without Directory.Read.All: decided from appRoleAssignedTo + the direct memberOf', async () => {
    const { report } = await run('entra-user-assignment-fallback', 'entra.admin-consent');
    const r = resultOf(report, 'entra.admin-consent');
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ assignment: { mailboxes: [{ source: 'appRoleAssignedTo+memberOf', via: 'group', viaGroups: ['Webex Mailboxes'] }] } });
  });

  it('G1: a mailbox that matches no user says which address and which filters were tried', async () => {
    const { report } = await run('entra-mailbox-no-user', 'entra.admin-consent');
    const r = resultOf(report, 'entra.admin-consent');
    expect(r.code).toBe('MAILBOX_USER_NOT_FOUND');
    expect(r.summary).toContain('jonh@contoso.com');
    expect(r.summary).toContain("mail eq 'jonh@contoso.com' or userPrincipalName eq 'jonh@contoso.com'");
    expect(r.summary).toContain("proxyAddresses/any(p:p eq 'smtp:jonh@contoso.com')");
  });

  it('G1: mailbox john.doe@… with UPN jdoe@….onmicrosoft.com passes and names both', async () => {
    const { report } = await run('entra-mailbox-not-upn', 'entra.admin-consent');
    const r = resultOf(report, 'entra.admin-consent');
    expect(r.status).toBe('pass');
    expect(r.details).toContain('john.doe@contoso.com (user jdoe@contoso.onmicrosoft.com) is assigned directly');
  });

  it('G1: an alias is found through proxyAddresses and said so', async () => {
    const { report } = await run('entra-mailbox-alias', 'entra.admin-consent');
    const r = resultOf(report, 'entra.admin-consent');
    expect(r.status).toBe('pass');
    expect(r.details).toContain('sales@contoso.com (user jdoe@contoso.onmicrosoft.com, found by the alias in its proxyAddresses) is assigned directly');
  });

  it('G9: a secret only on the service principal is shown as such, with "not verified"', async () => {
    const { report } = await run('entra-secret-on-service-principal', 'entra.token,entra.client-secret');
    const r = resultOf(report, 'entra.client-secret');
    expect(r.code).toBe('SECRET_ON_SERVICE_PRINCIPAL');
    expect(r.summary).toContain('hint "Zq9"');
    expect(r.details).toMatch(/NOT VERIFIED/);
    expect(r.remediation?.commands.join('\n')).toContain('Remove-MgServicePrincipalPassword -ServicePrincipalId 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14 -KeyId 7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f');
  });

  it('G8: an application access policy on the mailbox is MAILBOX_ACCESS_SCOPED (warn) naming Test-ApplicationAccessPolicy, not a missing permission', async () => {
    const { report, sim } = await run('exchange-inbox-rules-access-policy', 'exchange.forwarding');
    const r = resultOf(report, 'exchange.forwarding');
    expect({ status: r.status, code: r.code }).toEqual({ status: 'warn', code: 'MAILBOX_ACCESS_SCOPED' });
    expect(r.summary).not.toMatch(/lacks/);
    const reader = sim.ctx.scenario.apps.reader!.appId;
    expect(r.remediation?.commands).toContain(`Test-ApplicationAccessPolicy -Identity john@contoso.com -AppId ${reader}`);
    expect(r.details).toContain('[O]');
  });
});
