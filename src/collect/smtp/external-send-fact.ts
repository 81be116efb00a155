/**
 * The round-trip probe sent from OUTSIDE the organisation (G13): an SMTP submission account of
 * another provider (`--external-sender-*`) mails the mailbox, the way a customer does. Its From is
 * the outside account, so the mailbox's forward of it meets the mail flow rules as customer mail
 * does — something the self-sent probe cannot show.
 */
import { defineFact } from '../../core/fact.js';
import { Deadline, probeBudgetMs } from './budget.js';
import { requireMailbox } from './login-fact.js';
import { buildProbeMessage } from './probe-message.js';
import { SmtpSession, type SessionFailure } from './session.js';
import { Transcript } from './transcript.js';

/** JSON, no secrets (the transcript is redacted like every transcript). */
export interface ExternalProbeSend {
  /** The outside account (the probe's From). */
  sender: string;
  host: string;
  port: number;
  ok: boolean;
  messageId: string;
  serverMessageId: string | null;
  nonce: string;
  subject: string;
  sentAt: string | null;
  failure: SessionFailure | null;
  transcript: string[];
}

export const externalProbeSendFact = defineFact<ExternalProbeSend | null>({
  id: 'smtp.external-probe-send',
  scope: 'asset',
  async collect(ctx, asset) {
    const sender = ctx.config.externalSender;
    if (!sender) return null;
    const mailbox = requireMailbox(asset?.mailbox);
    const deadline = new Deadline(probeBudgetMs(ctx.config));
    const message = buildProbeMessage(mailbox, new Date(), undefined, sender.user);
    const log = new Transcript();
    const base = { sender: sender.user, host: sender.smtpHost, port: sender.smtpPort, messageId: message.messageId, nonce: message.nonce, subject: message.subject };
    const { session, attempt } = await SmtpSession.login({
      host: sender.smtpHost,
      port: sender.smtpPort,
      net: ctx.net,
      user: sender.user,
      ...(sender.password !== undefined ? { password: sender.password } : { accessToken: sender.token ?? '' }),
      budgetMs: deadline.remaining(),
      signal: ctx.signal,
      transcript: log,
      // Port 465 is implicit TLS by convention (RFC 8314 §3.3); any other port starts with STARTTLS.
      implicitTls: sender.smtpPort === 465,
    });
    if (!session) return { ...base, ok: false, serverMessageId: null, sentAt: null, failure: attempt.failure, transcript: log.lines() };
    try {
      const sent = await session.send({ from: sender.user, to: mailbox, raw: message.raw, budgetMs: Math.max(1, deadline.remaining()), signal: ctx.signal });
      return { ...base, ok: sent.ok, serverMessageId: sent.serverMessageId, sentAt: sent.ok ? new Date().toISOString() : null, failure: sent.failure, transcript: log.lines() };
    } finally {
      session.close();
    }
  },
});
