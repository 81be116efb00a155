import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { runCli } from '../helpers/cli.js';

/**
 * The support engineer's loop with files only (issue 12): an HTML report carries its model, so
 * it re-renders, diffs and compares like the JSON; diff names checks that disappeared.
 */
describe('support engineer: HTML reports and diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxloop-'));
  const WEBEX_ONLY = ['--only', 'webex.callback-url', '--callback-url', 'https://contoso.us.webexconnect.io/callback'];

  it('`wxmail report run.html --format json` returns the model the HTML was rendered from; diff reads HTML', async () => {
    const json = join(dir, 'run.json');
    const html = join(dir, 'run.html');
    const first = await runCli(['doctor', ...WEBEX_ONLY, '--format', 'json', '-o', json]);
    expect(first.code).toBe(0);
    expect((await runCli(['report', json, '--format', 'html', '-o', html])).code).toBe(0);
    const back = await runCli(['report', html, '--format', 'json']);
    expect(back.code).toBe(0);
    const model = JSON.parse(back.stdout) as ReportModel;
    expect(validateReport(model)).toEqual({ ok: true });
    expect(model).toEqual(JSON.parse(readFileSync(json, 'utf8')));
    const md = await runCli(['report', html, '--format', 'markdown']);
    expect(md.stdout).toContain('webex.callback-url');

    // A later run in which the callback URL got a trailing slash: diff works from the two HTML files.
    const later = join(dir, 'later.html');
    expect((await runCli(['doctor', '--only', 'webex.callback-url', '--callback-url', 'https://contoso.us.webexconnect.io/callback/', '--format', 'html', '-o', later])).code).toBe(0);
    const d = await runCli(['diff', html, later]);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/^! webex\.callback-url: pass → warn CALLBACK_URL_UNRECOGNIZED$/m);
  });

  it('a report that lost checks is not "nothing got worse": named, exit 1, unless --allow-missing', async () => {
    const full = join(dir, 'full.json');
    await runCli(['doctor', '--only', 'webex.*', '--callback-url', 'https://contoso.us.webexconnect.io/callback', '--forwarding-address', 'x@nowhere.invalid', '--format', 'json', '-o', full]);
    const model = JSON.parse(readFileSync(full, 'utf8')) as ReportModel;
    expect(model.checks.length).toBeGreaterThan(1);
    const gone = model.checks[model.checks.length - 1]!;
    const fewer = { ...model, checks: model.checks.slice(0, -1), summary: { ...model.summary, [gone.status]: model.summary[gone.status] - 1 } };
    const lost = join(dir, 'lost.json');
    writeFileSync(lost, JSON.stringify(fewer));
    const strict = await runCli(['diff', full, lost]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`! ${gone.id}${gone.asset ? ` [${gone.asset}]` : ''}: no longer reported (was ${gone.status}`);
    const allowed = await runCli(['diff', full, lost, '--allow-missing']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/no longer reported \(allowed by --allow-missing\)/);
  });
});
