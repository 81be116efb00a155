import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// The built CLI against the simulator (`npm run build` first; `npm test` does).

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

function expectValid(report: ReportModel): void {
  const v = validateReport(report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
}

type Expect = Record<string, [status: string, code: string | null]>;

async function doctor(scenario: string, args: string[]): Promise<{ code: number; report: ReportModel; stdout: string; stderr: string }> {
  sim = await startSimulator({ scenario });
  const r = await doctorJson(sim, args);
  expectValid(r.report);
  return r;
}

function expectResults(report: ReportModel, want: Expect): void {
  for (const [id, [status, code]] of Object.entries(want)) {
    const r = resultOf(report, id);
    expect({ id, status: r.status, code: r.code }).toEqual({ id, status, code });
  }
}

const SEND = ['--send-test', '--roundtrip-timeout', '4'];

describe('wxmail doctor: SMTP probes against the simulator', () => {
  it('healthy: smtp.connect passes, smtp.auth is NOT_APPLICABLE (no SMTP.SendAsApp), the send probes are NOT_REQUESTED; exit 0', async () => {
    const r = await doctor('healthy', []);
    expectResults(r.report, {
      'smtp.connect': ['pass', null],
      'smtp.auth': ['skip', 'NOT_APPLICABLE'],
      'smtp.send': ['skip', 'NOT_REQUESTED'],
      'mailflow.roundtrip': ['skip', 'NOT_REQUESTED'],
    });
    const auth = resultOf(r.report, 'smtp.auth', 'john@contoso.com');
    expect(auth.details).toContain('New-ServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62 -ObjectId');
    expect(auth.remediation).toBeNull();
    expect(r.code).toBe(0);
  });

  it('healthy-app-smtp with --send-test: every probe passes, one SMTP login for auth and send; exit 0', async () => {
    const r = await doctor('healthy-app-smtp', SEND);
    expectResults(r.report, {
      'smtp.connect': ['pass', null],
      'smtp.auth': ['pass', null],
      'smtp.send': ['pass', null],
      'mailflow.roundtrip': ['pass', null],
    });
    expect(sim!.ctx.traffic.entries().filter((e) => e.service === 'smtp' && e.what === 'AUTH XOAUTH2')).toHaveLength(1);
    const send = resultOf(r.report, 'smtp.send');
    expect(send.evidence.messageId).toMatch(/^<wxmail-probe-[0-9a-f]+@wxmail\.invalid>$/);
    expect(send.evidence.reusedSession).toBe(true);
    expect(r.report.status).toBe('pass');
    expect(r.code).toBe(0);
  });

  it.each([
    ['smtp-untrusted-cert', 'smtp.connect', 'fail', 'SMTP_UNREACHABLE', { stage: 'tls', swaksExitCode: 29 }],
    ['smtp-auth-disabled-mailbox', 'smtp.auth', 'fail', 'SMTP_AUTH_DISABLED_MAILBOX', { reply: expect.stringMatching(/^535 5\.7\.139 .*disabled for the Mailbox/) }],
    ['smtp-auth-disabled-tenant', 'smtp.auth', 'fail', 'SMTP_AUTH_DISABLED_TENANT', { reply: expect.stringMatching(/^535 5\.7\.139 .*disabled for the Tenant/) }],
    ['smtp-auth-no-service-principal', 'smtp.auth', 'fail', 'SMTP_AUTH_FAILED', { reply: expect.stringMatching(/^535 5\.7\.3 /) }],
    ['smtp-auth-no-full-access', 'smtp.auth', 'fail', 'SMTP_AUTH_FAILED', { reply: expect.stringMatching(/^535 5\.7\.3 /) }],
  ] as const)('%s: %s ends %s / %s; exit 1', async (scenario, id, status, code, evidence) => {
    const r = await doctor(scenario, [...SEND, '--only', 'smtp.*']);
    const res = resultOf(r.report, id);
    expect({ status: res.status, code: res.code }).toEqual({ status, code });
    expect(res.evidence).toMatchObject(evidence);
    expect(res.remediation?.text.length).toBeGreaterThan(20);
    if (id === 'smtp.auth') expect(resultOf(r.report, 'smtp.send')).toMatchObject({ status: 'skip', code: 'DEPENDENCY_FAILED' });
    expect(r.code).toBe(1);
  });

  it('smtp-auth-no-service-principal: names New-ServicePrincipal with the app and service principal ids', async () => {
    const r = await doctor('smtp-auth-no-service-principal', ['--only', 'smtp.auth']);
    const res = resultOf(r.report, 'smtp.auth');
    expect(res.details).toContain('New-ServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62 -ObjectId 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14');
  });

  it('smtp-unreachable-hang: a silent server ends as SMTP_UNREACHABLE at stage banner inside the check timeout, not as a hang', async () => {
    const r = await doctor('smtp-unreachable-hang', ['--check-timeout', '3', '--only', 'smtp.*']);
    const connect = resultOf(r.report, 'smtp.connect');
    expect({ status: connect.status, code: connect.code }).toEqual({ status: 'fail', code: 'SMTP_UNREACHABLE' });
    expect(connect.evidence).toMatchObject({ stage: 'banner', swaksExitCode: 21, errorCode: 'TIMEOUT' });
    expect(resultOf(r.report, 'smtp.auth')).toMatchObject({ status: 'skip', code: 'DEPENDENCY_FAILED' });
    expect(r.code).toBe(1);
  });

  it('a delegated token (--access-token-file) is used as is: the mailbox user signs in, as Webex Connect does', async () => {
    sim = await startSimulator({ scenario: 'healthy' });
    const dir = mkdtempSync(join(tmpdir(), 'wxmail-token-'));
    try {
      const file = join(dir, 'token.jwt');
      writeFileSync(file, await delegatedToken(sim, 'john@contoso.com'));
      const r = await doctorJson(sim, [...SEND, '--access-token-file', file, '--only', 'smtp.*', '--only', 'mailflow.*']);
      expectValid(r.report);
      expectResults(r.report, { 'smtp.auth': ['pass', null], 'smtp.send': ['pass', null], 'mailflow.roundtrip': ['pass', null] });
      expect(resultOf(r.report, 'smtp.auth').evidence).toMatchObject({ tokenKind: 'delegated', upn: 'john@contoso.com' });
      // A delegated token needs no Webex app token: entra.token is not pulled in.
      expect(r.report.checks.some((c) => c.id === 'entra.token')).toBe(false);

      writeFileSync(file, await delegatedToken(sim, 'mary@contoso.com'));
      const other = await doctorJson(sim, ['--access-token-file', file, '--only', 'smtp.auth']);
      const auth = resultOf(other.report, 'smtp.auth');
      expect({ status: auth.status, code: auth.code }).toEqual({ status: 'fail', code: 'SMTP_AUTH_FAILED' });
      expect(auth.details).toContain('belongs to mary@contoso.com');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never prints the token, the XOAUTH2 blob or the client secret, even in the transcripts', async () => {
    const r = await doctor('healthy-app-smtp', [...SEND, '--only', 'smtp.*']);
    const secret = sim!.env.WXMAIL_CLIENT_SECRET!;
    const out = r.stdout + r.stderr;
    expect(out).not.toContain(secret);
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(out).not.toMatch(/dXNlcj1qb2hu/); // base64 of "user=john" — an XOAUTH2 blob
    expect(JSON.stringify(resultOf(r.report, 'smtp.auth').evidence.transcript)).toContain('AUTH XOAUTH2');
  });
});

/** A user token as Entra would issue it for the Outlook resource (delegated SMTP.Send + IMAP). */
async function delegatedToken(s: RunningSimulator, upn: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return s.ctx.tokens.sign({
    aud: 'https://outlook.office365.com',
    iss: `https://sts.windows.net/${s.ctx.scenario.tenant.id}/`,
    tid: s.ctx.scenario.tenant.id,
    appid: s.ctx.scenario.apps.webex!.appId,
    oid: s.ctx.scenario.users.john!.id,
    iat: now,
    nbf: now,
    exp: now + 3600,
    idtyp: 'user',
    scp: 'SMTP.Send IMAP.AccessAsUser.All offline_access',
    upn,
  });
}
