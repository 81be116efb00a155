import { diagnoseSmtpReply, type SmtpDiagnosis, type SmtpPhase } from '../../src/collect/errors/smtp.js';
import type { SessionFailure } from '../../src/collect/smtp/session.js';

/**
 * The reason code for a failed SMTP session: the server's reply goes through THE table
 * (src/collect/errors/smtp.ts); a failure without a reply is a network problem (error).
 * `allowed` keeps a check to the codes it explains: a row of another phase falls back.
 */
export function codeForFailure(
  f: SessionFailure,
  phase: SmtpPhase,
  allowed: readonly string[],
): { code: string; diagnosis: SmtpDiagnosis | null; summary: string } {
  if (f.reply) {
    const d = diagnoseSmtpReply(f.reply, phase);
    const fallback = phase === 'auth' ? 'SMTP_AUTH_FAILED' : 'SEND_REJECTED';
    const code = allowed.includes(d.reason) || d.reason === 'UNEXPECTED_RESPONSE' ? d.reason : fallback;
    return { code, diagnosis: d, summary: `${d.meaning} Exchange Online answered: ${oneLine(f.reply)}` };
  }
  const timeout = f.errorCode === 'TIMEOUT' || f.errorCode === 'ETIMEDOUT' || f.errorCode === 'ABORTED';
  if (!timeout && f.stage === 'auth' && allowed.includes('SMTP_AUTH_FAILED')) {
    return { code: 'SMTP_AUTH_FAILED', diagnosis: null, summary: `The XOAUTH2 login failed without a server reply: ${f.message}` };
  }
  return { code: timeout ? 'TIMEOUT' : 'NETWORK', diagnosis: null, summary: `The SMTP session failed at stage "${f.stage}": ${f.message}` };
}

export function oneLine(s: string): string {
  const l = s.replace(/\s*\n\s*/g, ' ').trim();
  return l.length > 300 ? `${l.slice(0, 300)}…` : l;
}
