import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf, runCli } from '../helpers/cli.js';

// Hostile files and hostile runs through the built CLI (issue 8 items 3, 5–10).

const BIN = process.env.WXMAIL_E2E_BIN ?? fileURLToPath(new URL('../../bin/wxmail.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wxhostile-runs-'));
const evidence = (name: string) => fileURLToPath(new URL(`../../fixtures/evidence/${name}`, import.meta.url));
const BASE_ENV = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'healthy' });
});
afterAll(async () => {
  await sim?.stop();
});

/** The built CLI with stdout on a file descriptor of our choosing (a full disk, a closed pipe). */
function runWithStdout(args: string[], stdout: number | 'pipe-closed', env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...BASE_ENV, ...env }, stdio: ['ignore', stdout === 'pipe-closed' ? 'pipe' : stdout, 'pipe'] });
    if (stdout === 'pipe-closed') child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** A doctor --demo in its own process with its own TMPDIR, stopped by `signal` once it has started. */
function interruptedDemo(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; tmp: string }> {
  const tmp = mkdtempSync(join(dir, 'tmp-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'doctor', '--demo', '--scenario', 'healthy-app-smtp', '--send-test', '--roundtrip-timeout', '60'], { env: { ...BASE_ENV, TMPDIR: tmp } });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /demo: simulated tenant/.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill(signal), 300);
      }
    });
    child.stdout.resume();
    child.on('close', (code) => resolve({ code, stderr, tmp }));
  });
}

function writeEvidence(name: string, replace: Record<string, string>): string {
  const d = join(dir, `evidence-${name}`);
  mkdirSync(d);
  for (const f of readdirSync(evidence('healthy'))) writeFileSync(join(d, f), replace[f] ?? readFileSync(join(evidence('healthy'), f)));
  return d;
}

const deep = `${'['.repeat(5000)}{}${']'.repeat(5000)}`;
const evidenceCases: { name: string; file: string; body: string }[] = [
  { name: 'null', file: 'Get-Mailbox.json', body: 'null' },
  { name: 'a string', file: 'Get-Mailbox.json', body: '"john@contoso.com"' },
  { name: '[{}]', file: 'Get-CASMailbox.json', body: '[{}]' },
  { name: 'a list of numbers', file: 'Get-TransportConfig.json', body: '[1, 2, 3]' },
  { name: 'absurdly deep', file: 'Get-RemoteDomain.json', body: deep },
  { name: "another cmdlet's output", file: 'Get-Mailbox.json', body: readFileSync(join(evidence('healthy'), 'Get-CASMailbox.json'), 'utf8') },
  { name: "Get-TransportConfig holding Get-CASMailbox's output", file: 'Get-TransportConfig.json', body: readFileSync(join(evidence('healthy'), 'Get-CASMailbox.json'), 'utf8') },
];

describe('evidence files are validated (item 3)', () => {
  it.each(evidenceCases)('$name in $file is UNEXPECTED_RESPONSE naming the file', async (c) => {
    const d = writeEvidence(c.name.replace(/\W+/g, '-'), { [c.file]: c.body });
    const r = await doctorJson(sim, ['--only', 'exchange.*', '--exchange-evidence', d]);
    const bad = r.report.checks.filter((x) => x.code === 'UNEXPECTED_RESPONSE');
    expect(bad.length, r.report.checks.map((x) => `${x.id} ${x.status} ${x.code}`).join('\n')).toBeGreaterThan(0);
    for (const x of bad) expect(x.summary).toContain(c.file);
    expect(r.code).toBe(2);
  });
});

describe('crashes end in one line (item 5)', () => {
  it('stdout on a full disk (ENOSPC)', async () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = await runWithStdout(['checks'], fd);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/stdout.*ENOSPC/);
    } finally {
      closeSync(fd);
    }
  });

  it('stdout closed by the reader (EPIPE)', async () => {
    const r = await runWithStdout(['explain', 'MISSING_PERMISSION'], 'pipe-closed');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+|Error:/);
    expect(r.code).not.toBe(0);
  });

  it('a very long token in a saved report', async () => {
    const saved = join(dir, 'long.json');
    const first = await runCli(['doctor', '--only', 'webex.*', '--callback-url', 'https://acme.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:9', '--format', 'json', '-o', saved]);
    expect([0, 1, 2]).toContain(first.code);
    const model = JSON.parse(readFileSync(saved, 'utf8')) as ReportModel;
    model.checks[0]!.summary = `eyJ${'A'.repeat(3_000_000)}.eyJ${'B'.repeat(100)}.sig`;
    writeFileSync(saved, JSON.stringify(model));
    const r = await runCli(['report', saved, '--format', 'text']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('A'.repeat(1000));
  });

  it('a refused proxy is named as the proxy, not the target', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await doctorJson(sim, ['--only', 'entra.token'], { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '' }, { cli: true });
    const token = resultOf(r.report, 'entra.token');
    expect(token.status).toBe('error');
    expect(token.summary).toMatch(new RegExp(`proxy (http://)?127\\.0\\.0\\.1:${port}`));
  });
});

describe('outputs (item 6)', () => {
  it('a bad --output path costs no mail with --send-test', async () => {
    const before = sim.ctx.traffic.entries().length;
    const r = await runCli(['doctor', '--config', sim.configFile, '--send-test', '--format', 'json', '--output', join(dir, 'missing-dir', 'r.json')], { env: sim.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/output \(--output\): cannot write/);
    expect(sim.ctx.traffic.entries().slice(before).filter((e) => e.service === 'smtp')).toEqual([]);
  });

  it('--snapshot-out is written with mode 0600, atomically (no temp file left)', async () => {
    const out = join(dir, 'snaps');
    mkdirSync(out);
    const r = await runCli(['doctor', '--only', 'webex.*', '--callback-url', 'https://acme.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:9', '--snapshot-out', join(out, 's.json'), '--format', 'json', '-o', join(out, 'r.json')]);
    expect([0, 1, 2]).toContain(r.code);
    expect(statSync(join(out, 's.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(out).sort()).toEqual(['r.json', 's.json']);
  });
});

describe('signals and temp files (item 7)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: one line saying the run was interrupted; the simulator temp folder is gone', async (signal) => {
    const r = await interruptedDemo(signal);
    expect(r.stderr).toMatch(/^wxmail: interrupted/m);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(readdirSync(r.tmp).filter((f) => f.startsWith('wxmail-sim-'))).toEqual([]);
  });
});

describe('terminal output and scenario files (items 8, 9)', () => {
  it('`simulate` prints no scenario name that breaks out of the export lines', async () => {
    const file = join(dir, 'evil.yaml');
    writeFileSync(file, 'extends: healthy\nname: "x\\nexport PATH=/tmp/evil #"\ndescription: "d\\u001b]0;t\\u0007\\rexport X=1"\n');
    const child = spawn(process.execPath, [BIN, 'simulate', '--scenario', file], { env: BASE_ENV });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ctrl-C stops it.')) resolve();
      });
      child.on('close', () => resolve());
    });
    child.kill('SIGINT');
    for (const line of out.split('\n')) expect(line, out).toMatch(/^(#.*|export WXMAIL_\w+=\S+|)$/);
    // eslint-disable-next-line no-control-regex -- no terminal control in what users source
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('a user scenario extending a user scenario extending a built-in works', async () => {
    const d = join(dir, 'chain');
    mkdirSync(d);
    writeFileSync(join(d, 'base.yaml'), 'extends: healthy\nname: base\ndescription: My base.\n');
    writeFileSync(join(d, 'child.yaml'), 'extends: base\nname: child\ndescription: My child.\n');
    const r = await runCli(['doctor', '--demo', '--scenario', join(d, 'child.yaml'), '--only', 'webex.*', '--format', 'json']);
    expect(r.stderr).toMatch(/demo: simulated tenant "child"/);
    expect([0, 1, 2]).toContain(r.code);
  });
});

describe('small messages (item 10)', () => {
  it('a trailing newline in WXMAIL_CLIENT_SECRET is trimmed, with a note', async () => {
    const r = await doctorJson(sim, ['--only', 'entra.token'], { WXMAIL_CLIENT_SECRET: `${sim.env.WXMAIL_CLIENT_SECRET}\n` });
    expect(resultOf(r.report, 'entra.token').status).toBe('pass');
    expect(r.stderr).toMatch(/WXMAIL_CLIENT_SECRET.*trailing newline/);
  });

  it('a Unicode domain in a mailbox is accepted as punycode', async () => {
    const r = await runCli(['doctor', '--only', 'webex.*', '--callback-url', 'https://acme.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:9', '--mailbox', 'john@bücher.de', '--format', 'json']);
    expect(r.stderr).not.toMatch(/must be an email/);
    expect([0, 1, 2]).toContain(r.code);
  });

  it('--redact-pii masks the tenant name inside the callback host', async () => {
    const r = await runCli(['doctor', '--only', 'webex.*', '--callback-url', 'https://acmewidgets.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:9', '--format', 'json', '--redact-pii']);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.stdout).not.toMatch(/acmewidgets/i);
    expect(existsSync(BIN)).toBe(true);
  });
});
