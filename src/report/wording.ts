import type { ReportModel } from '../core/result.js';
import type { Status } from '../core/codes.js';
import { isHarmfulSkip } from '../core/overall.js';

/** Sentences every format uses, so the formats cannot drift apart in what they claim. */

export const STATUS_WORD: Readonly<Record<Status, string>> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERROR',
};

export function readerIdentityText(reader: ReportModel['environment']['readerIdentity']): string {
  switch (reader) {
    case 'webex':
      return "webex (the Webex app's own credentials)";
    case 'app':
      return 'app (a separate reader app registration)';
    case 'device-code':
      return 'device-code (an admin signed in with a device code)';
  }
}

/** What the overall status means for the exit code (DESIGN.md "Exit code and overall status"). */
export function exitMeaning(model: ReportModel): string {
  switch (model.status) {
    case 'fail':
      return model.summary.fail > 0
        ? 'exit code 1: at least one check failed'
        : 'exit code 1: a check warned and warnings count as failures (--fail-on warn)';
    case 'error': {
      const why = couldNotRun(model);
      return why
        ? `exit code 2: ${why}`
        : 'exit code 2: a requested check could not run (an error, a missing permission or missing input)';
    }
    case 'warn':
      return 'exit code 0: works, with warnings worth a look';
    case 'pass':
      return 'exit code 0: every requested check passed';
  }
}

/**
 * The counts, worst first, without zeros; a skip that makes the run an error (a missing
 * permission, a missing input) is called so, or "0 error. Overall: ERROR" would contradict itself.
 */
export function countsText(model: ReportModel): string {
  const parts: string[] = [];
  for (const s of ['fail', 'error', 'warn', 'skip', 'pass'] as const) {
    const n = model.summary[s];
    if (!n) continue;
    const harmful = s === 'skip' ? model.checks.filter(isHarmfulSkip).length : 0;
    parts.push(harmful ? `${n} skip (${harmful} could not run)` : `${n} ${s}`);
  }
  return parts.length ? parts.join(', ') : 'no checks';
}

/** "3 checks could not run (2× MISSING_PERMISSION, THROTTLED)": why an ERROR run is one. */
function couldNotRun(model: ReportModel): string | null {
  const stuck = model.checks.filter((c) => c.status === 'error' || isHarmfulSkip(c));
  if (!stuck.length) return null;
  const counts = new Map<string, number>();
  for (const c of stuck) counts.set(c.code ?? 'no code', (counts.get(c.code ?? 'no code') ?? 0) + 1);
  const codes = [...counts].map(([code, n]) => (n > 1 ? `${n}× ${code}` : code)).join(', ');
  return `${stuck.length} requested check${stuck.length > 1 ? 's' : ''} could not run (${codes})`;
}

export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function checkLabel(id: string, asset: string | null): string {
  return asset ? `${id} (${asset})` : id;
}

/** Every format says when facts were replayed from a snapshot: when, against which tenant and cloud. */
export function sourceText(model: ReportModel): string | null {
  const s = model.source;
  if (!s) return null;
  const when = s.collectedAt ? `collected ${s.collectedAt}` : 'collected at a time the snapshot does not record';
  const by = s.collectedWith ? ` by ${s.collectedWith}` : '';
  const redacted = s.redacted ? '; names are masked (--redact-pii)' : '';
  return `evaluated offline from a snapshot: facts ${when}${by} from tenant ${s.tenantId ?? '(not given)'}, cloud ${s.cloud}${redacted}. They show the tenant as it was then.`;
}
