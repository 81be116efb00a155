import type { FailOn } from '../config/types.js';
import { HARMLESS_SKIPS, type Status } from './codes.js';
import type { CheckResult, ReportModel, Summary } from './result.js';

export function summarize(results: CheckResult[]): Summary {
  const s: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

/** A skip that means "a requested check did not run" (never exit 0 on those). */
export function isHarmfulSkip(r: CheckResult): boolean {
  return r.status === 'skip' && !HARMLESS_SKIPS.has(r.code ?? '') && r.code !== 'DEPENDENCY_FAILED';
}

/** DESIGN.md "Exit code and overall status". */
export function overallStatus(results: CheckResult[], failOn: FailOn): Exclude<Status, 'skip'> {
  if (results.some((r) => r.status === 'fail' || (failOn === 'warn' && r.status === 'warn'))) return 'fail';
  if (results.some((r) => r.status === 'error' || isHarmfulSkip(r))) return 'error';
  if (results.some((r) => r.status === 'warn')) return 'warn';
  return 'pass';
}

export function exitCodeOf(status: ReportModel['status']): number {
  return status === 'fail' ? 1 : status === 'error' ? 2 : 0;
}
