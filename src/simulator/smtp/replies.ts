import { BACKEND_HOST, FRONTEND_HOST } from '../mail/hosts.js';
import type { MailAuthFailure } from '../mail/auth.js';
import { rfc5322Date } from '../mail/mime.js';

/**
 * Exchange Online's SMTP reply texts. The 5xx lines are the ones in microsoft-365.md B1/B4 (the
 * 5.7.3 and 5.7.139 lines [V]/[O], 530 5.7.57 [O], 554 5.2.252 [O]); the 2xx/3xx lines are the
 * everyday ones seen in Exchange Online transcripts [O]. Every text starts with its enhanced status
 * code, so the server sends it as written.
 */
export const REPLY = {
  authOk: '2.7.0 Authentication successful',
  authFailed: `5.7.3 Authentication unsuccessful [${BACKEND_HOST}]`,
  authDisabledMailbox: `5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [${BACKEND_HOST}]`,
  authDisabledTenant: `5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [${BACKEND_HOST}]`,
  /** B4 [O]: Conditional Access / MFA / legacy-auth block. Exactly as logged: no [hostname] suffix. */
  authBlockedConditionalAccess: '5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.',
  /** B4 [O]: security defaults (seen with basic auth; the scenario knob applies it to XOAUTH2 too). No [hostname] suffix. */
  authBlockedSecurityDefaults: "5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
  basicAuthDisabled: `5.7.139 Authentication unsuccessful, basic authentication is disabled. [${BACKEND_HOST}]`,
  notAuthenticated: '5.7.57 Client not authenticated to send mail.',
  startTlsFirst: '5.7.0 Must issue a STARTTLS command first',
  recipientNotFound: `5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup [${BACKEND_HOST}]`,
  serviceNotAvailable: `4.3.2 Service not available, closing transmission channel [${BACKEND_HOST}]`,
  sendAsDenied: (auth: string, from: string): string =>
    `5.2.252 SendAsDenied; ${auth} not allowed to send as ${from}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. [Hostname=${BACKEND_HOST}]`,
  /**
   * Restricted sender (outbound spam: the mailbox is on the restricted-users list). B4 [V] names
   * the line "550 5.1.8 Bad outbound sender"; the fuller wording here is the NDR's
   * "Remote Server returned '550 5.1.8 Access denied, bad outbound sender'" [O]
   * (MicrosoftDocs/OfficeDocs-o365seccomp#643).
   */
  badOutboundSender: '5.1.8 Access denied, bad outbound sender',
  /** G28 [O]: a login whose credentials Exchange refused (not a policy). */
  credentialsIncorrect: `5.7.139 Authentication unsuccessful, the user credentials were incorrect. [${BACKEND_HOST}]`,
  /** G28 [O]: too many simultaneous SMTP connections for the mailbox (throttling). */
  concurrentConnections: `4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information. [Hostname=${BACKEND_HOST}]`,
  /** G28 [O]: the store could not open the mailbox for the app-only sender (mailbox permission). */
  mailboxLogonFailure: (address: string): string =>
    `4.2.0 STOREDRV; mailbox logon failure; Cannot open mailbox ${address}. [Hostname=${BACKEND_HOST}]`,
  queued: (messageId: string): string => `2.0.0 OK ${messageId} [Hostname=${BACKEND_HOST}]`,
} as const;

export function authFailureReply(reason: MailAuthFailure): string {
  if (reason === 'smtp-disabled-mailbox') return REPLY.authDisabledMailbox;
  if (reason === 'smtp-disabled-tenant') return REPLY.authDisabledTenant;
  if (reason === 'blocked-conditional-access') return REPLY.authBlockedConditionalAccess;
  if (reason === 'blocked-security-defaults') return REPLY.authBlockedSecurityDefaults;
  return REPLY.authFailed;
}

export function banner(now: Date): string {
  return `${FRONTEND_HOST} Microsoft ESMTP MAIL Service ready at ${rfc5322Date(now)}`;
}

const HAS_ENHANCED = /^\d\.\d{1,3}\.\d{1,3}( |$)/;

/**
 * smtp-server's built-in replies in Exchange's words. Returns the reply to send instead, or
 * undefined to keep smtp-server's own. `context` is smtp-server's (a command name, a status context
 * like MAIL_FROM_OK, or false for the greeting).
 */
export function exchangeReply(code: number, data: unknown, context: string | false | undefined, now: () => Date): [number, string | string[] | null | undefined, string | false | undefined] | undefined {
  if (code === 220 && context === false && typeof data === 'string' && data.startsWith(`${FRONTEND_HOST} ESMTP`)) return [220, banner(now()), false];
  if (typeof data !== 'string') return undefined;
  if (HAS_ENHANCED.test(data)) return [code, data, false];
  if (code === 220 && data === 'Ready to start TLS') return [220, '2.0.0 SMTP server ready', false];
  if (code === 235) return [235, REPLY.authOk, false];
  if (code === 250 && context === 'MAIL_FROM_OK') return [250, '2.1.0 Sender OK', false];
  if (code === 250 && context === 'RCPT_TO_OK') return [250, '2.1.5 Recipient OK', false];
  if (code === 354) return [354, 'Start mail input; end with <CRLF>.<CRLF>', false];
  if (code === 250 && data === 'Flushed') return [250, '2.0.0 Resetting', false];
  if (code === 252) return [252, '2.1.5 Cannot VRFY user, but will accept message for delivery', false];
  if (code === 221) return [221, '2.0.0 Service closing transmission channel', false];
  // AUTH is hidden until STARTTLS; Exchange answers an early AUTH like an unknown mechanism.
  if (code === 500 && context === 'AUTH') return [504, '5.7.4 Unrecognized authentication type', false];
  if (code === 500) return [500, '5.3.3 Unrecognized command', false];
  if (code === 503 && /HELO\/EHLO first/.test(data)) return [503, '5.5.2 Send hello first', false];
  return undefined;
}
