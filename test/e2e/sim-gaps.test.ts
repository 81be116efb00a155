import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import type { Fault } from '../../src/simulator/scenario/schema.js';
import { doctorJson, resultOf, runCli } from '../helpers/cli.js';

// The built CLI (`npm run build` first; `npm test` does) against the simulator gaps the check
// authors found: SMTP policy/send-as/restricted-sender replies, user assignment through a group,
// the device-code reader's silent Exchange token, and IMAP faults during the round trip.

const JOHN = 'john@contoso.com';
const SEND = ['--send-test', '--roundtrip-timeout', '4'];

/** Runs `fn` against a fresh simulator and stops it afterwards (also for concurrent tests). */
async function withSim<T>(opts: Parameters<typeof startSimulator>[0], fn: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator(opts);
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

function expectValid(report: ReportModel): void {
  const v = validateReport(report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
}

function outcome(report: ReportModel, id: string, asset?: string) {
  const r = resultOf(report, id, asset);
  return { id, status: r.status, code: r.code };
}

describe('SMTP knobs: policy block, send-as denied, restricted sender', () => {
  it.each([
    ['smtp-auth-blocked-by-policy', 'smtp.auth', 'SMTP_AUTH_BLOCKED_BY_POLICY', 'the request did not meet the criteria to be authenticated successfully'],
    ['smtp-send-as-denied', 'smtp.send', 'SEND_AS_DENIED', '554 5.2.252 SendAsDenied; john@contoso.com not allowed to send as john@contoso.com'],
    ['smtp-send-rejected', 'smtp.send', 'SEND_REJECTED', '550 5.1.8 Access denied, bad outbound sender'],
  ])('%s: %s fails %s', async (scenario, check, code, text) => {
    await withSim({ scenario }, async (sim) => {
      const r = await doctorJson(sim, SEND);
      expectValid(r.report);
      expect(outcome(r.report, check, JOHN)).toEqual({ id: check, status: 'fail', code });
      expect(resultOf(r.report, check, JOHN).summary).toContain(text);
      expect(resultOf(r.report, check, JOHN).remediation?.text.length).toBeGreaterThan(10);
      // What comes before the refusal still passes; what comes after does not run.
      expect(outcome(r.report, 'smtp.connect')).toEqual({ id: 'smtp.connect', status: 'pass', code: null });
      if (check === 'smtp.send') expect(outcome(r.report, 'smtp.auth', JOHN)).toEqual({ id: 'smtp.auth', status: 'pass', code: null });
      expect(resultOf(r.report, 'mailflow.roundtrip', JOHN).code).toBe('DEPENDENCY_FAILED');
      expect(sim.ctx.mail.inbox(JOHN)).toHaveLength(0);
      expect(r.code).toBe(1);
    });
  });

  it('security defaults: smtp.auth fails SMTP_AUTH_BLOCKED_BY_POLICY with the security-defaults line', async () => {
    const s = structuredClone(loadScenario('smtp-auth-blocked-by-policy'));
    s.users.john!.mailbox!.smtpAuthBlock = 'security-defaults';
    await withSim({ scenario: s }, async (sim) => {
      const r = await doctorJson(sim, SEND);
      expectValid(r.report);
      expect(outcome(r.report, 'smtp.auth', JOHN)).toEqual({ id: 'smtp.auth', status: 'fail', code: 'SMTP_AUTH_BLOCKED_BY_POLICY' });
      expect(resultOf(r.report, 'smtp.auth', JOHN).summary).toContain("user is locked by your organization's security defaults policy");
    });
  });
});

describe('entra.admin-consent with "Assignment required"', () => {
  it('the mailbox user assigned through a group (appRoleAssignedTo lists the group): pass', async () => {
    const s = structuredClone(loadScenario('entra-user-assigned'));
    s.apps.webex!.assignedUsers = [];
    s.apps.webex!.assignedGroups = ['contactCenter'];
    await withSim({ scenario: s }, async (sim) => {
      const r = await doctorJson(sim, ['--only', 'entra.*']);
      expectValid(r.report);
      const consent = resultOf(r.report, 'entra.admin-consent');
      expect({ status: consent.status, code: consent.code }).toEqual({ status: 'pass', code: null });
      expect(consent.evidence).toMatchObject({ assignment: { required: true, mailboxes: [{ mailbox: JOHN, assigned: true, via: 'group' }] } });
    });
  });

  it('assigned directly (entra-user-assigned): the evidence says so', async () => {
    await withSim({ scenario: 'entra-user-assigned' }, async (sim) => {
      const r = await doctorJson(sim, ['--only', 'entra.*']);
      expectValid(r.report);
      expect(resultOf(r.report, 'entra.admin-consent').evidence).toMatchObject({ assignment: { required: true, mailboxes: [{ mailbox: JOHN, assigned: true, via: 'direct' }] } });
    });
  });
});

describe('device-code reader', () => {
  it('G10: Graph through Graph Command Line Tools, Exchange through the Exchange Online PowerShell client (a second prompt): the Exchange checks read', async () => {
    await withSim({ scenario: 'entra-device-code-reader' }, async (sim) => {
      // The prompt is the process's own stderr: the built CLI.
      const r = await doctorJson(sim, [], {}, { cli: true });
      expectValid(r.report);
      expect(r.report.environment.readerIdentity).toBe('device-code');
      expect(r.stderr.match(/microsoft\.com\/devicelogin and enter the code/g) ?? []).toHaveLength(2);
      expect(r.stderr).toContain('Microsoft Graph read access for the doctor, through public client 14d82eec-204b-4c2f-b7e8-296a70dab67e');
      expect(r.stderr).toContain('Office 365 Exchange Online read access for the doctor, through Exchange Online PowerShell public client fb78d390-0c51-40cd-8e17-fdbfab77341b');
      // The Exchange checks did read with the Exchange Online PowerShell client's token (Exchange.Manage).
      for (const id of ['exchange.smtp-auth', 'exchange.forwarding', 'exchange.outbound-spam-policy']) {
        expect(outcome(r.report, id, JOHN)).toEqual({ id, status: 'pass', code: null });
      }
      const logins = sim.ctx.traffic.entries().filter((e) => e.service === 'login');
      expect(logins.filter((e) => e.what.includes('/oauth2/v2.0/devicecode'))).toHaveLength(2);
      expect(r.code).toBe(0);
    });
  });
});

describe('IMAP faults during mailflow.roundtrip (healthy-app-smtp, --send-test --roundtrip-timeout 4 --check-timeout 6)', () => {
  const ARGS = [...SEND, '--check-timeout', '6'];
  const cases: [name: string, code: string, fault: Fault][] = [
    ['hang before the greeting', 'TIMEOUT', { service: 'imap', kind: 'hang' }],
    ['untrusted certificate', 'NETWORK', { service: 'imap', kind: 'untrusted-cert' }],
  ];

  it.concurrent.each(cases)('%s → mailflow.roundtrip error %s; the probe itself was sent', async (_name, code, fault) => {
    await withSim({ scenario: 'healthy-app-smtp', faults: [fault] }, async (sim) => {
      const r = await doctorJson(sim, ARGS);
      expectValid(r.report);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(outcome(r.report, 'smtp.send', JOHN)).toEqual({ id: 'smtp.send', status: 'pass', code: null });
      const trip = resultOf(r.report, 'mailflow.roundtrip', JOHN);
      expect({ status: trip.status, code: trip.code }).toEqual({ status: 'error', code });
      expect(trip.summary).toMatch(/IMAP/);
      expect(r.code).toBe(2);
    });
  });

  // After the greeting (here: the SELECT of the inbox hangs): error TIMEOUT at the check's own
  // timeout (--check-timeout + --roundtrip-timeout = 10 s), and the CLI exits once the report is
  // out even though the hung IMAP socket is still open.
  it('hang after login (SELECT) → mailflow.roundtrip error TIMEOUT, and the CLI exits promptly', async () => {
    await withSim({ scenario: 'healthy-app-smtp', faults: [{ service: 'imap', kind: 'hang', path: '^(SELECT|EXAMINE)$' }] }, async (sim) => {
      const t0 = Date.now();
      const r = await runCli(['doctor', '--config', sim.configFile, '--format', 'json', ...ARGS], { env: sim.env, timeoutMs: 120_000 });
      // imapflow's 60 s socket timeout must not keep the process alive after the verdict.
      expect(Date.now() - t0).toBeLessThan(45_000);
      const report = JSON.parse(r.stdout) as ReportModel;
      expectValid(report);
      expect(outcome(report, 'smtp.send', JOHN)).toEqual({ id: 'smtp.send', status: 'pass', code: null });
      expect(outcome(report, 'mailflow.roundtrip', JOHN)).toEqual({ id: 'mailflow.roundtrip', status: 'error', code: 'TIMEOUT' });
      expect(r.code).toBe(2);
    });
  }, 60_000);
});
