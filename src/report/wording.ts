import type { ReportModel } from '../core/result.js';
import { STATUSES, type Status } from '../core/codes.js';

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
    case 'error':
      return 'exit code 2: a requested check could not run (an error, a missing permission or missing input)';
    case 'warn':
      return 'exit code 0: works, with warnings worth a look';
    case 'pass':
      return 'exit code 0: every requested check passed';
  }
}

export function countsText(model: ReportModel): string {
  return STATUSES.map((s) => `${model.summary[s]} ${s}`).join(', ');
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
