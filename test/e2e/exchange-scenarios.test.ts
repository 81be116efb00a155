import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// The built CLI against the simulated tenant (`npm run build` first; `npm test` does).

const EXCHANGE_IDS = ['exchange.smtp-auth', 'exchange.forwarding', 'exchange.outbound-spam-policy', 'exchange.remote-domain', 'exchange.transport-rules'];
const MAILBOX = 'john@contoso.com';

function expectValid(report: ReportModel): void {
  const v = validateReport(report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
}

async function doctor(scenario: string, extra: string[] = []) {
  const sim = await startSimulator({ scenario });
  try {
    const r = await doctorJson(sim, ['--only', 'exchange.*', ...extra]);
    expectValid(r.report);
    return r;
  } finally {
    await sim.stop();
  }
}

describe('Exchange checks against the simulator (step 3)', () => {
  it('healthy: every Exchange check passes, each tenant-wide cmdlet read once', async () => {
    const sim = await startSimulator({ scenario: 'healthy' });
    try {
      const r = await doctorJson(sim, ['--only', 'exchange.*']);
      expectValid(r.report);
      for (const id of EXCHANGE_IDS) expect(resultOf(r.report, id, MAILBOX), id).toMatchObject({ status: 'pass', code: null });
      expect(resultOf(r.report, 'exchange.smtp-auth').details).toContain('source: Exchange admin API (undocumented, observed shape)');
      expect(r.code).toBe(0);
      const cmdlets = sim.ctx.traffic.entries().filter((e) => e.service === 'exchange').map((e) => e.what.split(' ').pop());
      expect([...cmdlets].sort()).toEqual(['Get-CASMailbox', 'Get-HostedOutboundSpamFilterPolicy', 'Get-HostedOutboundSpamFilterRule', 'Get-Mailbox', 'Get-RemoteDomain', 'Get-TransportConfig', 'Get-TransportRule']);
    } finally {
      await sim.stop();
    }
  });

  const cases: [scenario: string, id: string, status: string, code: string, exit: number][] = [
    ['exchange-smtp-auth-disabled-mailbox', 'exchange.smtp-auth', 'fail', 'SMTP_AUTH_DISABLED_MAILBOX', 1],
    ['exchange-smtp-auth-disabled-tenant', 'exchange.smtp-auth', 'fail', 'SMTP_AUTH_DISABLED_TENANT', 1],
    ['exchange-forwarding-missing', 'exchange.forwarding', 'fail', 'FORWARDING_MISSING', 1],
    ['exchange-forwarding-wrong-address', 'exchange.forwarding', 'fail', 'FORWARDING_WRONG_ADDRESS', 1],
    ['exchange-forwarding-overridden', 'exchange.forwarding', 'fail', 'FORWARDING_OVERRIDDEN', 1],
    ['exchange-autoforward-blocked-policy', 'exchange.outbound-spam-policy', 'fail', 'AUTOFORWARD_BLOCKED_POLICY', 1],
    ['exchange-outbound-policy-unresolved', 'exchange.outbound-spam-policy', 'warn', 'OUTBOUND_POLICY_UNRESOLVED', 0],
    ['exchange-autoforward-blocked-remote-domain', 'exchange.remote-domain', 'fail', 'AUTOFORWARD_BLOCKED_REMOTE_DOMAIN', 1],
    ['exchange-autoforward-blocked-transport-rule', 'exchange.transport-rules', 'fail', 'AUTOFORWARD_BLOCKED_TRANSPORT_RULE', 1],
  ];

  it.concurrent.each(cases)('%s → %s %s %s', async (scenario, id, status, code, exit) => {
    const r = await doctor(scenario);
    const result = resultOf(r.report, id, MAILBOX);
    expect(result).toMatchObject({ status, code });
    expect(result.remediation?.text).toBeTruthy();
    expect(result.step).toBe(3);
    // Only the faulty check differs from healthy.
    for (const other of EXCHANGE_IDS.filter((x) => x !== id)) expect(resultOf(r.report, other, MAILBOX).status, other).toBe('pass');
    expect(r.code).toBe(exit);
  });

  it('exchange-forwarding-missing names the disabled inbox rule', async () => {
    const r = await doctor('exchange-forwarding-missing');
    expect(resultOf(r.report, 'exchange.forwarding').details).toContain('"Forward to Webex Connect" (disabled)');
  });

  it('exchange-forwarding-inbox-rule: an enabled inbox rule to the Webex address passes with a note', async () => {
    const r = await doctor('exchange-forwarding-inbox-rule');
    const result = resultOf(r.report, 'exchange.forwarding', MAILBOX);
    expect(result).toMatchObject({ status: 'pass', code: null });
    expect(result.summary).toContain('Redirect to Webex Connect');
  });

  it.each([
    ['exchange-missing-permission', 'Exchange.ManageAsApp'],
    ['exchange-missing-role', 'Global Reader'],
  ])('%s: every Exchange check skips MISSING_PERMISSION naming %s and both ways out (exit 2)', async (scenario, permission) => {
    const r = await doctor(scenario);
    for (const id of EXCHANGE_IDS) {
      const result = resultOf(r.report, id, MAILBOX);
      expect(result, id).toMatchObject({ status: 'skip', code: 'MISSING_PERMISSION' });
      expect(JSON.stringify(result.evidence.missingPermission)).toContain(permission);
      const text = `${result.details}\n${result.remediation?.text}`;
      expect(text).toContain('--reader-client-id');
      expect(text).toContain('wxmail evidence-script');
      expect(text).toContain('--exchange-evidence');
    }
    expect(r.report.status).toBe('error');
    expect(r.code).toBe(2);
  });
});
