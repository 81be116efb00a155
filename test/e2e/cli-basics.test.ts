import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { validateReport } from '../../src/report/schema.js';
import type { ReportModel } from '../../src/core/result.js';
import { resultOf, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wxe2e-'));
const WEBEX_ONLY = ['--only', 'webex.*', '--callback-url', 'https://acme.us.webexconnect.io/callback', '--dns-server', '127.0.0.1:9'];

describe('the built CLI', () => {
  it('--version and --help', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const h = await runCli(['--help']);
    expect(h.stdout).toContain('wxmail doctor --demo');
    expect(h.stdout).toMatch(/Exit codes: 0/);
  });

  it('`checks` lists every registered check with its step', async () => {
    const r = await runCli(['checks', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; step: number }[];
    expect(rows.map((x) => x.id)).toEqual(builtinChecks.map((c) => c.id));
    for (const row of rows) expect(row.step).toBe(builtinChecks.find((c) => c.id === row.id)!.step);
    const text = await runCli(['checks']);
    for (const c of builtinChecks) expect(text.stdout).toMatch(new RegExp(`^${c.id.replace('.', '\\.')}\\s+${c.step}\\s`, 'm'));
  });

  it('bad configuration exits 2 with one line naming the field, before any network call', async () => {
    const r = await runCli(['doctor', '--callback-url', 'http://x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/callbackUrl/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    const unknown = await runCli(['doctor', '--only', 'entra.nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/only\/skip: no check matches 'entra.nope'/);
    const yaml = join(dir, 'bad.yaml');
    writeFileSync(yaml, 'tenantId: [\n');
    const y = await runCli(['doctor', '--config', yaml]);
    expect(y.code).toBe(2);
    expect(y.stderr).toMatch(/config file .*bad\.yaml: syntax error/);
  });

  it('`explain` renders a code from its explanation entry; unknown → exit 2', async () => {
    const ok = await runCli(['explain', 'MISSING_PERMISSION']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^MISSING_PERMISSION \(skip\)/);
    expect(ok.stdout).toMatch(/Fix: /);
    const nope = await runCli(['explain', 'NO_SUCH_THING']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/neither a check id nor a reason code/);
  });

  it('a saved JSON report re-renders in every format; `diff` compares two', async () => {
    const saved = join(dir, 'saved.json');
    const first = await runCli(['doctor', ...WEBEX_ONLY, '--format', 'json', '--output', saved]);
    expect([0, 1, 2]).toContain(first.code);
    const model = JSON.parse(readFileSync(saved, 'utf8')) as ReportModel;
    expect(validateReport(model)).toEqual({ ok: true });
    const junit = await runCli(['report', saved, '--format', 'junit']);
    expect(junit.code).toBe(0);
    expect((junit.stdout.match(/<testcase /g) ?? []).length).toBe(model.checks.length);
    const md = await runCli(['report', saved, '--format', 'markdown']);
    for (const c of model.checks) expect(md.stdout).toContain(c.id);
    const html = await runCli(['report', saved, '--format', 'html']);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/i);
    expect(html.stdout).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
    const missing = await runCli(['report', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);

    const same = await runCli(['diff', saved, saved]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/No changes/);
    const worse = structuredClone(model);
    worse.summary[worse.checks[0]!.status]--;
    worse.checks[0]!.status = 'fail';
    worse.checks[0]!.code = 'CALLBACK_URL_INVALID';
    worse.summary.fail++;
    const worseFile = join(dir, 'worse.json');
    writeFileSync(worseFile, JSON.stringify(worse));
    const d = await runCli(['diff', saved, worseFile]);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/! webex\.callback-url: pass → fail CALLBACK_URL_INVALID/);
  });

  it('a --plugin check runs with its own code and explanation', async () => {
    const r = await runCli(['doctor', '--only', 'acme.*', '--plugin', 'fixtures/plugins/acme-banner.mjs', '--callback-url', 'https://contoso.us.webexconnect.io/callback', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ReportModel;
    expect(validateReport(report)).toEqual({ ok: true });
    const acme = resultOf(report, 'acme.callback-tenant');
    expect(acme).toMatchObject({ status: 'warn', code: 'ACME_CALLBACK_NOT_ACME' });
    expect(acme.remediation?.text).toBe('Copy the Call Back URL of the ACME tenant.');
    const bad = await runCli(['doctor', '--plugin', join(dir, 'missing.mjs')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/plugins \(--plugin\): cannot load/);
  });

  it('shell completion prints a script', async () => {
    const r = await runCli(['completion']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/complete -o/);
  });
});
