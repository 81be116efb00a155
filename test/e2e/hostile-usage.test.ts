import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

// Bad input a careless user (or an unset CI variable) gives: each ends in one line on stderr that
// names the option, exit 2, no stack trace, nothing on stdout, no network (issue 8 items 4–6,
// issue 13 items 3–4). `--dns-server 127.0.0.1:9` keeps a run that would start offline.

const dir = mkdtempSync(join(tmpdir(), 'wxhostile-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const WEBEX = ['--callback-url', 'https://acme.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:9'];
const TENANT = ['--tenant-id', 'contoso.onmicrosoft.com', '--client-id', '0f47778c-61c2-4b0a-8e94-3f05e737a1dd'];

function expectOneLine(r: CliResult, pattern: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  expect({ code: r.code, lines: lines.length, stdout: r.stdout }, r.stderr).toEqual({ code: 2, lines: 1, stdout: '' });
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+|Invalid values:\s*$/m);
}

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  expect: RegExp;
}

const cases: Case[] = [
  // Gates (issue 8 item 4)
  { name: "--only '' (an unset CI variable)", args: ['doctor', '--only', '', ...WEBEX], expect: /only \(--only\): .*empty/ },
  { name: 'everything left out by --only/--skip', args: ['doctor', '--only', 'webex.*', '--skip', 'webex', ...WEBEX], expect: /no check (is )?left to run/ },
  { name: '--only a probe that sends mail, without --send-test (nothing would be checked)', args: ['doctor', '--only', 'smtp.send', ...TENANT, '--mailbox', 'john@contoso.com'], expect: /only: smtp\.send sends a real message and runs only with --send-test/ },
  // Crashes (item 5)
  { name: '--dns-server 127.0.0.1:0', args: ['doctor', '--only', 'webex.*', '--callback-url', 'https://acme.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:0'], expect: /dnsServer \(--dns-server\): .*port 1–65535/ },
  { name: '--dns-server with a port above 65535', args: ['doctor', '--only', 'webex.*', '--dns-server', '127.0.0.1:70000'], expect: /dnsServer \(--dns-server\): .*port 1–65535/ },
  { name: '--timeout beyond the timer limit', args: ['doctor', '--timeout', '99999999', ...WEBEX], expect: /timeout \(--timeout\): .*at most/ },
  { name: '--check-timeout beyond the timer limit', args: ['doctor', '--check-timeout', '1e12', ...WEBEX], expect: /checkTimeout \(--check-timeout\): .*at most/ },
  { name: 'invalid --cloud', args: ['doctor', '--cloud', 'mars'], expect: /--cloud.*mars.*global, usgov, usgovdod, china/ },
  { name: 'invalid --format', args: ['doctor', '--format', 'pdf'], expect: /--format.*pdf.*text, json, junit, markdown, html/ },
  { name: 'invalid --fail-on', args: ['doctor', '--fail-on', 'never'], expect: /--fail-on.*never.*fail, warn/ },
  { name: 'invalid WXMAIL_CLOUD', args: ['doctor', ...WEBEX], env: { WXMAIL_CLOUD: 'mars' }, expect: /cloud \(WXMAIL_CLOUD\): must be one of global, usgov, usgovdod, china/ },
  { name: 'an encrypted private key', args: ['doctor', ...TENANT, '--client-certificate', file('enc.pem', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')], expect: /clientCertificate \(--client-certificate\): .*encrypted/ },
  {
    name: 'an EC private key (Entra signs app assertions with RSA only)',
    args: ['doctor', ...TENANT, '--only', 'entra.token', '--client-certificate', file('ec.pem', `${generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()}-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n`)],
    expect: /clientCertificate \(--client-certificate\): .*EC private key; Entra accepts only RSA/,
  },
  { name: 'a malformed HTTPS_PROXY', args: ['doctor', ...TENANT, '--client-secret-file', file('s1', 'abc~secret\n'), '--only', 'entra.token'], env: { HTTPS_PROXY: 'http://[::1' }, expect: /HTTPS_PROXY.*http:\/\/\[::1/ },
  // Outputs (item 6)
  { name: "-o ''", args: ['doctor', '-o', '', ...WEBEX, '--only', 'webex.*'], expect: /output \(--output\): .*empty/ },
  { name: '--output into a folder that does not exist', args: ['doctor', '--only', 'webex.*', ...WEBEX, '--output', join(dir, 'nope', 'r.json')], expect: /output \(--output\): cannot write .*ENOENT/ },
  { name: '--snapshot-out into a folder that does not exist', args: ['doctor', '--only', 'webex.*', ...WEBEX, '--snapshot-out', join(dir, 'nope', 's.json')], expect: /snapshot-out \(--snapshot-out\): cannot write .*ENOENT/ },
  { name: '--output over the config file of the same run', args: ['doctor', '--only', 'webex.*', '--config', file('same.yaml', 'callbackUrl: https://acme.us.webexconnect.io/callback\ndnsServer: 127.0.0.1:9\n'), '--output', join(dir, 'same.yaml')], expect: /output \(--output\): .*same\.yaml is an input of this run/ },
  { name: '--output over the secret file of the same run', args: ['doctor', ...TENANT, '--client-secret-file', file('secret.txt', 'abc~secret\n'), '--output', join(dir, 'secret.txt')], expect: /output \(--output\): .*secret\.txt is an input of this run/ },
  // Missing inputs before the run (issue 13 item 3)
  { name: 'no secret for the token checks', args: ['doctor', ...TENANT, '--only', 'entra.token'], expect: /WXMAIL_CLIENT_SECRET.*--client-secret-file/ },
  { name: 'no mailbox for the mailbox checks', args: ['doctor', ...TENANT, '--client-secret-file', file('s2', 'abc~secret\n'), '--only', 'exchange.forwarding'], expect: /mailbox \(--mailbox \/ WXMAIL_MAILBOX\)/ },
  { name: 'an --exchange-evidence folder that does not exist', args: ['doctor', ...TENANT, '--client-secret-file', file('s3', 'abc~secret\n'), '--mailbox', 'john@contoso.com', '--only', 'exchange.*', '--exchange-evidence', join(dir, 'no-such-folder')], expect: /exchangeEvidence \(--exchange-evidence\): .*no-such-folder.*ENOENT/ },
  // Typical mistakes (issue 13 item 4)
  { name: '--tenant', args: ['doctor', '--tenant', 'contoso.onmicrosoft.com'], expect: /--tenant.*did you mean --tenant-id/i },
  { name: '--app-id', args: ['doctor', '--app-id', '0f47778c-61c2-4b0a-8e94-3f05e737a1dd'], expect: /--app-id.*did you mean --client-id/i },
  { name: 'doctr', args: ['doctr'], expect: /doctr.*did you mean doctor/i },
  { name: '--timeout 5m accepted as a duration, else "seconds"', args: ['doctor', '--timeout', '5 minutes', ...WEBEX], expect: /timeout \(--timeout\): .*seconds/ },
  { name: 'mailbox: at the top of the config file', args: ['doctor', '--config', file('level.yaml', 'tenantId: contoso.onmicrosoft.com\nmailbox: john@contoso.com\n')], expect: /mailbox: .*belongs under assets:/ },
  { name: 'smtpHost: at the top of the config file', args: ['doctor', '--config', file('level2.yaml', 'smtpHost: smtp.office365.com\n')], expect: /smtpHost: .*belongs under endpoints:/ },
  // Terminal (item 8)
  { name: 'a control sequence in an unknown config key', args: ['doctor', '--config', file('esc.json', '{"\\u001b]0;pwned\\u0007\\u001b[2Jx": 1}')], expect: /unknown key/ },
  { name: 'a control sequence in a report that is not JSON', args: ['report', file('esc-report.json', '\u001b[2J\u001b]0;pwned\u0007 not json')], expect: /report/ },
];

describe('hostile and careless input: one line, exit 2', () => {
  it.each(cases)('$name', async (c) => {
    const r = await runCli(c.args, { env: c.env ?? {} });
    expectOneLine(r, c.expect);
    // eslint-disable-next-line no-control-regex -- no terminal control may reach stderr
    expect(r.stderr).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  it('--timeout 5m is accepted as a duration', async () => {
    const r = await runCli(['doctor', '--only', 'webex.*', ...WEBEX, '--timeout', '5m', '--format', 'json']);
    expect(r.stderr).not.toMatch(/timeout/);
    // The run happened (a report), whatever its verdicts.
    expect(JSON.parse(r.stdout).checks.length).toBeGreaterThan(0);
  });

  it("--only 'webex.*' needs no secret, tenant or mailbox", async () => {
    const r = await runCli(['doctor', '--only', 'webex.*', ...WEBEX, '--format', 'json'], { env: { WXMAIL_TENANT_ID: 'contoso.onmicrosoft.com' } });
    expect(r.stderr).not.toMatch(/WXMAIL_CLIENT_SECRET|mailbox/);
    expect(JSON.parse(r.stdout).checks.map((c: { id: string }) => c.id)).toEqual(['webex.callback-url', 'webex.forwarding-address']);
  });
});
