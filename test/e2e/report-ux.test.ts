import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 13 "Done when": the go-live-blockers demo's text report (not a terminal, NO_COLOR: 100
 * columns) fits on two screens, 80 lines, without --verbose, and still names every finding and
 * every command of its fix, as the JSON report of the same scenario has them.
 */
describe('the demo reads like a doctor', () => {
  it('go-live-blockers: ≤ 80 lines at 100 columns, every non-pass check and every fix command of the JSON report in it', async () => {
    const [text, json] = await Promise.all([runCli(['doctor', '--demo']), runCli(['doctor', '--demo', '--format', 'json'])]);
    expect(text.code).toBe(1);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as ReportModel;
    const lines = text.stdout.replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(80);

    const findings = report.checks.filter((c) => c.status !== 'pass');
    expect(findings.length).toBeGreaterThan(5);
    const trimmed = new Set(lines.map((l) => l.trim()));
    for (const c of findings) {
      expect(text.stdout, c.id).toMatch(new RegExp(`^ {2}(FAIL|WARN|SKIP|ERROR) +(\\S+, )*${c.id.replace('.', '\\.')}\\b.* {2}${c.code}$`, 'm'));
      // Each command on a line of its own, whole: pasted as it is.
      for (const command of c.remediation?.commands ?? []) for (const line of command.split('\n')) expect(trimmed.has(line.trim()), `${c.id}: ${line}`).toBe(true);
    }
    // Prose is wrapped at 100 columns; only commands and portal paths (never broken) run longer.
    const commandLines = new Set(findings.flatMap((c) => (c.remediation?.commands ?? []).flatMap((x) => x.split('\n').map((l) => l.trim()))));
    const long = lines.filter((l) => l.length > 100 && !commandLines.has(l.trim()) && !/^ +Portal: /.test(l) && !/^ {2}(FAIL|WARN|SKIP|ERROR|PASS) /.test(l));
    expect(long).toEqual([]);
    // Details on demand: no request ids, no evidence, no null, no `source:` line.
    for (const c of findings) for (const id of c.requestIds) expect(text.stdout).not.toContain(id);
    expect(text.stdout).not.toMatch(/Evidence:|Request ids:|: null\b|source: /);
    expect(text.stdout).toMatch(/^What to fix, in order$/m);
  });

  it('--verbose adds the evidence and request ids (doctor and report)', async () => {
    const verbose = await runCli(['doctor', '--demo', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stdout).toMatch(/Request ids: [0-9a-f-]{36}/);
    expect(verbose.stdout).toContain('Evidence: ');
    expect(verbose.stdout).not.toMatch(/: null\b/);
    expect(verbose.stdout.split('\n').length).toBeGreaterThan(80);

    const file = join(mkdtempSync(join(tmpdir(), 'wxreport-')), 'run.json');
    expect((await runCli(['doctor', '--demo', '--format', 'json', '-o', file])).code).toBe(1);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as ReportModel;
    const ids = saved.checks.filter((c) => c.status !== 'pass').flatMap((c) => c.requestIds);
    expect(ids.length).toBeGreaterThan(0);
    const plain = await runCli(['report', file]);
    const full = await runCli(['report', file, '--verbose']);
    expect(plain.code).toBe(0);
    for (const id of ids) {
      expect(plain.stdout).not.toContain(id);
      expect(full.stdout).toContain(id);
    }
  });

  it('a run that is an error only through skips for a missing permission says so in its summary', async () => {
    const r = await runCli(['doctor', '--demo', '--scenario', 'exchange-missing-permission']);
    expect(r.code).toBe(2);
    const summary = r.stdout.slice(r.stdout.indexOf('Summary: ')).replace(/\s+/g, ' ');
    expect(summary).toMatch(/^Summary: \d+ skip \(5 could not run\), \d+ pass\. Overall: ERROR \(exit code 2: 5 requested checks could not run \(5× MISSING_PERMISSION\)\)\./);
    expect(summary).not.toMatch(/\b0 error/);
    // The shared way out is one entry, its commands once.
    expect(r.stdout.match(/^ {13}wxmail evidence-script --mailbox \S+ > wxmail-evidence\.ps1$/gm)).toHaveLength(1);
    expect(r.stdout.split('\n').length).toBeLessThanOrEqual(50);
  });
});
