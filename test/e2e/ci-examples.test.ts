import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSimulator } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/ci/', import.meta.url));

/** The shell lines of a CI file's steps, per CI system's keys. */
function scriptLines(file: string): string[] {
  const doc = parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, any>;
  const blocks: string[] = [];
  for (const job of Object.values<any>(doc.jobs ?? {})) for (const step of job.steps ?? []) if (step.run) blocks.push(step.run);
  for (const step of doc.steps ?? []) if (step.script) blocks.push(step.script);
  for (const job of Object.values<any>(doc)) {
    if (job && typeof job === 'object' && !Array.isArray(job)) for (const key of ['before_script', 'script', 'after_script']) blocks.push(...(job[key] ?? []));
  }
  return blocks.flatMap((b) => b.split('\n')).map((l) => l.trim()).filter(Boolean);
}

/** Splits a simple shell command line: words, double quotes, and one `>> file` redirect. */
function words(line: string, vars: Record<string, string>): { argv: string[]; appendTo?: string } {
  const expanded = line.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_m, v: string) => vars[v] ?? '');
  const argv = [...expanded.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const i = argv.indexOf('>>');
  return i < 0 ? { argv } : { argv: argv.slice(0, i), appendTo: argv[i + 1] };
}

describe('the README\'s CI examples run as written (examples/ci)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'go-live-blockers' });
  });
  afterAll(() => sim.stop());

  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yml')))('%s', async (file) => {
    const lines = scriptLines(file);
    const install = lines.filter((l) => l.startsWith('npm install'));
    const steps = lines.filter((l) => l.startsWith('wxmail '));
    // Installing from the repository or a tarball, never `npx` of a name nobody published.
    expect(install).toHaveLength(1);
    expect(install[0]).toMatch(/WXMAIL_PACKAGE/);
    expect(lines.some((l) => /\bnpx\b/.test(l))).toBe(false);
    expect(steps[0]).toMatch(/^wxmail doctor .*--output /);

    const work = mkdtempSync(join(tmpdir(), 'wxci-'));
    copyFileSync(sim.configFile, join(work, 'wxmail.yaml'));
    const summary = join(work, 'step-summary.md');
    const vars = { GITHUB_STEP_SUMMARY: summary };
    const results = [];
    for (const line of steps) {
      const { argv, appendTo } = words(line, vars);
      const r = await runCli(argv.slice(1).map((a) => (a === 'wxmail.yaml' || /^wxmail[-\w]*\.(json|xml)$/.test(a) ? join(work, a) : a)), { env: sim.env });
      if (appendTo) appendFileSync(appendTo, r.stdout);
      results.push(r);
    }
    const [doctor, ...rest] = results;
    // The doctor gates the job (go-live-blockers has findings) and still says so in the log.
    expect(doctor!.code).toBe(1);
    expect(doctor!.stderr).toMatch(/^wxmail: FAIL: \d+ fail, \d+ error, \d+ warn, \d+ skip, \d+ pass\. Report: /m);
    expect(existsSync(join(work, 'wxmail.json'))).toBe(true);
    for (const r of rest) expect(r.code, r.stderr).toBe(0);
    if (steps.some((s) => s.includes('--format junit'))) expect(readFileSync(join(work, 'wxmail-junit.xml'), 'utf8')).toMatch(/<testsuites/);
    if (steps.some((s) => s.includes('GITHUB_STEP_SUMMARY'))) expect(readFileSync(summary, 'utf8')).toMatch(/FAIL/);
  });
});
