import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/schema.js';
import type { ReportModel } from '../../src/core/result.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf, runCli } from '../helpers/cli.js';
import { startDnsStub, type DnsStub } from '../integration/dns/dns-stub.js';

// The built CLI (`npm run build` first; `npm test` does). Step-1 checks need no tenant, so no simulator.

const EU_ADDRESS = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-eu.imiconnect.io';
const US_ADDRESS = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io';
const US_CALLBACK = 'https://acme.us.webexconnect.io/callback';

function parseReport(stdout: string, stderr: string, code: number): ReportModel {
  try {
    return JSON.parse(stdout) as ReportModel;
  } catch {
    throw new Error(`doctor did not print JSON (exit ${code}).\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`);
  }
}

function expectValid(report: ReportModel): void {
  const v = validateReport(report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
}

describe('wxmail doctor --only webex.* (step 1, no tenant)', () => {
  it('warns REGION_MISMATCH for an eu forwarding address with a us callback; an unreachable DNS server changes nothing', async () => {
    const r = await runCli([
      'doctor', '--only', 'webex.*',
      '--callback-url', US_CALLBACK,
      '--forwarding-address', EU_ADDRESS,
      '--dns-server', '127.0.0.1:9',
      '--format', 'json',
    ]);
    const report = parseReport(r.stdout, r.stderr, r.code);
    expectValid(report);
    const forwarding = resultOf(report, 'webex.forwarding-address');
    expect(forwarding.status).toBe('warn');
    expect(forwarding.code).toBe('REGION_MISMATCH');
    expect(forwarding.remediation?.portal.join('\n')).toMatch(/Forwarding Address/);
    expect(forwarding.details).toMatch(/not checked/);
    const callback = resultOf(report, 'webex.callback-url');
    expect(callback.status).toBe('pass');
    expect(callback.evidence).toMatchObject({ region: 'us', tenant: 'acme' });
    expect(report.status).toBe('warn');
    expect(r.code).toBe(0);
  });

  it('rejects an http callback URL before running anything: exit 2, one stderr line naming callbackUrl', async () => {
    const r = await runCli(['doctor', '--callback-url', 'http://x']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('callbackUrl');
  });
});

describe('wxmail doctor --only webex.* with a DNS server on loopback', () => {
  let dns: DnsStub;
  beforeAll(async () => {
    dns = await startDnsStub({ 'mail-us.imiconnect.io': { mx: [{ exchange: 'mx1.mail-us.imiconnect.io', preference: 10 }] } });
  });
  afterAll(async () => {
    await dns.close();
  });

  it('passes both checks when the domain has MX records (exit 0)', async () => {
    const r = await runCli(['doctor', '--only', 'webex.*', '--callback-url', US_CALLBACK, '--forwarding-address', US_ADDRESS, '--dns-server', dns.server, '--format', 'json']);
    const report = parseReport(r.stdout, r.stderr, r.code);
    expectValid(report);
    expect(resultOf(report, 'webex.forwarding-address')).toMatchObject({ status: 'pass', code: null });
    expect(resultOf(report, 'webex.forwarding-address').evidence).toMatchObject({ mx: { status: 'ok' } });
    expect(report.status).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('fails FORWARDING_DOMAIN_NO_MX for a domain the DNS server does not know (exit 1)', async () => {
    const typo = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnnect.io';
    const r = await runCli(['doctor', '--only', 'webex.*', '--callback-url', US_CALLBACK, '--forwarding-address', typo, '--dns-server', dns.server, '--format', 'json']);
    const report = parseReport(r.stdout, r.stderr, r.code);
    expectValid(report);
    const forwarding = resultOf(report, 'webex.forwarding-address');
    expect(forwarding).toMatchObject({ status: 'fail', code: 'FORWARDING_DOMAIN_NO_MX' });
    expect(forwarding.details).toContain('FORWARDING_ADDRESS_UNRECOGNIZED');
    expect(report.status).toBe('fail');
    expect(r.code).toBe(1);
  });
});

describe('webex.* against the simulator: Webex Connect hosts (G25) and mail domains without MX (G26)', () => {
  const cases: [scenario: string, id: string, status: string, code: string | null, evidence: Record<string, unknown>][] = [
    ['webex-forwarding-implicit-mx', 'webex.forwarding-address', 'pass', null, { mx: { status: 'implicit-mx' } }],
    ['webex-forwarding-null-mx', 'webex.forwarding-address', 'fail', 'FORWARDING_DOMAIN_NO_MX', { mx: { status: 'ok', exchangers: [{ exchange: '', priority: 0 }] } }],
    ['webex-callback-legacy-host', 'webex.callback-url', 'pass', null, { region: 'us', pattern: 'legacy-tenant' }],
    ['webex-callback-legacy-eu', 'webex.forwarding-address', 'warn', 'REGION_MISMATCH', { region: 'us', callbackRegion: 'uk' }],
  ];
  it.each(cases)('%s: %s is %s %s', async (scenario, id, status, code, evidence) => {
    const sim = await startSimulator({ scenario });
    try {
      const r = await doctorJson(sim, ['--only', 'webex.*']);
      const result = resultOf(r.report, id);
      expect(result).toMatchObject({ status, code });
      expect(result.evidence).toMatchObject(evidence);
      // A legacy host is never a typo.
      expect(resultOf(r.report, 'webex.callback-url').code).toBeNull();
    } finally {
      await sim.stop();
    }
  });
});
