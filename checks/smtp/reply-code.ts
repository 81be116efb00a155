import { diagnoseSmtpReply, type SmtpDiagnosis, type SmtpPhase } from '../../src/collect/errors/smtp.js';
import type { SessionFailure } from '../../src/collect/smtp/session.js';
import { fillPlaceholders, type FixValues } from '../../src/core/fix-values.js';

export interface FailureVerdict {
  code: string;
  /** The table row, when the server answered. */
  diagnosis: SmtpDiagnosis | null;
  /** What went wrong, one line: the server's reply, or the transport failure. */
  what: string;
  /** What it means (the table's sentence), for the details. */
  meaning: string;
}

/**
 * The reason code for a failed SMTP session: the server's reply goes through THE table
 * (src/collect/errors/smtp.ts); a failure without a reply is a network problem (error).
 * `allowed` keeps a check to the codes it explains: a row of another phase falls back.
 */
export function codeForFailure(f: SessionFailure, phase: SmtpPhase, allowed: readonly string[]): FailureVerdict {
  if (f.reply) {
    const d = diagnoseSmtpReply(f.reply, phase);
    const fallback = phase === 'auth' ? 'SMTP_AUTH_FAILED' : 'SEND_REJECTED';
    // UNEXPECTED_RESPONSE and THROTTLED (432 4.3.2, G28) mean the probe could not run: error, whatever the check.
    const code = allowed.includes(d.reason) || d.reason === 'UNEXPECTED_RESPONSE' || d.reason === 'THROTTLED' ? d.reason : fallback;
    return { code, diagnosis: d, what: oneLine(f.reply), meaning: d.meaning };
  }
  const timeout = f.errorCode === 'TIMEOUT' || f.errorCode === 'ETIMEDOUT' || f.errorCode === 'ABORTED';
  if (!timeout && f.stage === 'auth' && allowed.includes('SMTP_AUTH_FAILED')) {
    return { code: 'SMTP_AUTH_FAILED', diagnosis: null, what: f.message, meaning: 'The XOAUTH2 login failed without a server reply.' };
  }
  return {
    code: timeout ? 'TIMEOUT' : 'NETWORK',
    diagnosis: null,
    what: `the session failed at stage "${f.stage}": ${f.message}`,
    meaning: timeout ? 'The SMTP server stopped answering within the probe\'s time.' : 'The SMTP connection broke down.',
  };
}

/**
 * The causes a reply names (SmtpRule.narrows), with this run's values filled in (mailbox, client
 * id); a value the run does not know stays a visible `<placeholder>`.
 */
export function namedCauses(v: FailureVerdict, values: FixValues): string[] {
  return v.diagnosis?.narrows ? v.diagnosis.causes.map((c) => fillPlaceholders(c, values)) : [];
}

export function oneLine(s: string): string {
  const l = s.replace(/\s*\n\s*/g, ' ').trim();
  return l.length > 300 ? `${l.slice(0, 300)}…` : l;
}
