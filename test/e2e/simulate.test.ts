import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/simulator/scenario/load.js';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { runCli } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../bin/wxmail.js', import.meta.url));

/** `wxmail simulate` in its own process: resolves with the env it printed, and a way to stop it. */
function simulate(scenario: string): Promise<{ env: Record<string, string>; configFile: string; stop(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> }> {
  const child = spawn(process.execPath, [BIN, 'simulate', '--scenario', scenario], { env: { PATH: process.env.PATH ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulate printed no environment: ${stdout} ${stderr}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!stdout.includes('Ctrl-C stops it.')) return;
      clearTimeout(timer);
      const env: Record<string, string> = {};
      for (const m of stdout.matchAll(/^export (WXMAIL_\w+)=(?:'((?:[^']|'\\'')*)'|(\S+))$/gm)) env[m[1]!] = (m[2] ?? m[3] ?? '').replace(/'\\''/g, "'");
      const configFile = /wxmail doctor --config (\S+)/.exec(stdout)?.[1] ?? '';
      resolve({ env, configFile, stop: (signal) => (child.kill(signal), exited) });
    });
  });
}

describe('wxmail simulate', () => {
  it('healthy, in its own process: every check of a doctor pointed at it passes or skips harmlessly; SIGINT stops it', async () => {
    const sim = await simulate('healthy');
    try {
      expect(Object.keys(sim.env)).toEqual(expect.arrayContaining(['WXMAIL_CA_FILE', 'WXMAIL_LOGIN_URL', 'WXMAIL_GRAPH_URL', 'WXMAIL_EXCHANGE_URL', 'WXMAIL_SMTP_PORT', 'WXMAIL_CLIENT_SECRET', 'WXMAIL_TENANT_ID']));
      for (const [k, v] of Object.entries(sim.env)) if (/^WXMAIL_(LOGIN|GRAPH|EXCHANGE)_URL$/.test(k)) expect(v).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // Only the environment it printed: no config file.
      const r = await runCli(['doctor', '--format', 'json'], { env: sim.env });
      const report = JSON.parse(r.stdout) as ReportModel;
      expect(validateReport(report)).toEqual({ ok: true });
      const bad = report.checks.filter((c) => c.status !== 'pass' && !(c.status === 'skip' && ['NOT_REQUESTED', 'NOT_APPLICABLE'].includes(c.code ?? '')));
      expect(bad.map((c) => `${c.id} ${c.status} ${c.code}: ${c.summary}`)).toEqual([]);
      expect(report.checks.length).toBeGreaterThanOrEqual(18);
      expect(r.code).toBe(0);
    } finally {
      const end = await sim.stop('SIGINT');
      expect(end.code).toBe(0);
      expect(end.stderr).toMatch(/simulator stopped/);
    }
  });

  it('SIGTERM stops it cleanly too', async () => {
    const sim = await simulate('go-live-blockers');
    const end = await sim.stop('SIGTERM');
    expect(end.code).toBe(0);
  });

  it('--list gives one line per scenario', async () => {
    const r = await runCli(['simulate', '--list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(listScenarios().length);
    expect(lines.some((l) => /^healthy\s+Configured exactly as the setup guide says/.test(l))).toBe(true);
  });

  it('a bad scenario file is one line naming the field, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxsim-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ndescription: x\nextends: healthy\nusers:\n  john:\n    mailbox:\n      smtpClientAuthenticationDisabled: maybe\n');
    const r = await runCli(['simulate', '--scenario', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/scenario .*bad\.yaml: users\.john\.mailbox\.smtpClientAuthenticationDisabled: /);
    const unknown = await runCli(['simulate', '--scenario', 'no-such-scenario']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no such scenario/);
  });
});
