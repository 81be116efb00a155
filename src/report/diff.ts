import { HARMLESS_SKIPS } from '../core/codes.js';
import type { CheckResult, ReportModel } from '../core/result.js';
import { stripTerminalControls } from './sanitize.js';

/**
 * `wxmail diff`: what changed per check between two reports, and whether anything got worse.
 * DESIGN.md "Exit code and overall status" defines worse, by rank
 * pass < skip (harmless) < warn < skip (missing permission or input) < error < fail:
 * any move up the ranks, a check that appears with warn, error or fail, and a check that is no
 * longer reported (unless the caller allows missing checks).
 */

export function rankOf(r: Pick<CheckResult, 'status' | 'code'>): number {
  switch (r.status) {
    case 'pass':
      return 0;
    case 'skip':
      // A skip that means "a requested check did not run" ranks above a warning.
      return HARMLESS_SKIPS.has(r.code ?? '') ? 1 : 3;
    case 'warn':
      return 2;
    case 'error':
      return 4;
    case 'fail':
      return 5;
  }
}

export type ChangeKind = 'worse' | 'better' | 'changed' | 'new' | 'missing';

export interface Change {
  key: string;
  kind: ChangeKind;
  before: CheckResult | null;
  after: CheckResult | null;
  /** Counts as "got worse" for the exit code. */
  worse: boolean;
}

export const checkKey = (r: CheckResult) => `${r.id}${r.asset ? ` [${r.asset}]` : ''}`;

export function diffModels(before: ReportModel, after: ReportModel, opts: { allowMissing?: boolean } = {}): Change[] {
  const old = new Map(before.checks.map((r) => [checkKey(r), r]));
  const changes: Change[] = [];
  for (const r of after.checks) {
    const key = checkKey(r);
    const o = old.get(key) ?? null;
    old.delete(key);
    if (!o) {
      const worse = r.status === 'warn' || r.status === 'error' || r.status === 'fail';
      changes.push({ key, kind: 'new', before: null, after: r, worse });
      continue;
    }
    if (o.status === r.status && o.code === r.code) continue;
    const delta = rankOf(r) - rankOf(o);
    changes.push({ key, kind: delta > 0 ? 'worse' : delta < 0 ? 'better' : 'changed', before: o, after: r, worse: delta > 0 });
  }
  for (const [key, o] of old) changes.push({ key, kind: 'missing', before: o, after: null, worse: !opts.allowMissing });
  return changes;
}

const label = (r: CheckResult) => `${r.status}${r.code ? ` ${r.code}` : ''}`;

export function diffLines(changes: Change[], opts: { allowMissing?: boolean } = {}): string[] {
  const lines = changes.map((c) => {
    const mark = c.worse ? '!' : c.kind === 'new' ? '+' : c.kind === 'missing' ? '-' : '~';
    if (c.kind === 'new') return `${mark} ${c.key}: new, ${label(c.after!)}`;
    if (c.kind === 'missing') return `${mark} ${c.key}: no longer reported (was ${label(c.before!)})`;
    return `${mark} ${c.key}: ${label(c.before!)} → ${label(c.after!)}`;
  });
  if (!changes.length) return ['No changes.'];
  // Ids, assets and codes come from files someone else sent: no control sequence reaches the terminal.
  for (let i = 0; i < lines.length; i++) lines[i] = stripTerminalControls(lines[i]!).replace(/\n/g, ' ');
  const worse = changes.filter((c) => c.worse).length;
  const missing = changes.filter((c) => c.kind === 'missing').length;
  lines.push(`${worse} check(s) got worse.`);
  if (missing) {
    lines.push(
      opts.allowMissing
        ? `${missing} check(s) no longer reported (allowed by --allow-missing).`
        : `${missing} check(s) no longer reported: the newer report proves less. Run the same checks, or pass --allow-missing.`,
    );
  }
  return lines;
}
