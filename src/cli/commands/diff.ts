import type { Status } from '../../core/codes.js';
import type { CheckResult } from '../../core/result.js';
import { loadSavedReport } from '../../report/load.js';

const WORSE: Record<Status, Status[]> = {
  pass: ['warn', 'skip', 'error', 'fail'],
  warn: ['error', 'fail'],
  skip: [],
  error: [],
  fail: [],
};

/** `wxmail diff old.json new.json`: what changed per check; exit 1 when any check got worse. */
export function diffReports(oldFile: string, newFile: string): number {
  const before = loadSavedReport(oldFile);
  const after = loadSavedReport(newFile);
  const key = (r: CheckResult) => `${r.id}${r.asset ? ` [${r.asset}]` : ''}`;
  const old = new Map(before.checks.map((r) => [key(r), r]));
  const lines: string[] = [];
  let worse = 0;
  for (const r of after.checks) {
    const o = old.get(key(r));
    old.delete(key(r));
    if (!o) {
      lines.push(`+ ${key(r)}: ${r.status}${r.code ? ` ${r.code}` : ''}`);
      continue;
    }
    if (o.status === r.status && o.code === r.code) continue;
    const got = WORSE[o.status].includes(r.status);
    if (got) worse++;
    lines.push(`${got ? '!' : '~'} ${key(r)}: ${o.status}${o.code ? ` ${o.code}` : ''} → ${r.status}${r.code ? ` ${r.code}` : ''}`);
  }
  for (const k of old.keys()) lines.push(`- ${k}: no longer reported`);
  lines.push(lines.length ? `${worse} check(s) got worse.` : 'No changes.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return worse > 0 ? 1 : 0;
}
