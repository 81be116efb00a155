import { defineFact } from '../../core/fact.js';
import { Deadline, probeBudgetMs } from './budget.js';
import { requireMailbox, smtpLoginFact, smtpSessions } from './login-fact.js';
import { chooseMailToken, mailTokensFact } from './mail-tokens.js';
import { buildProbeMessage } from './probe-message.js';
import { SmtpSession, type LoginAttempt, type SessionFailure } from './session.js';
import { Transcript } from './transcript.js';

/** The probe mail from the mailbox to itself. The Message-ID is what mailflow.roundtrip looks for. */
export interface SmtpProbeSend {
  mailbox: string;
  /** false: smtp.auth did not log in, nothing was sent. */
  attempted: boolean;
  ok: boolean;
  messageId: string;
  /** The id Exchange gave the message, when its 250 reply names one (it may replace ours). */
  serverMessageId: string | null;
  nonce: string;
  subject: string;
  /** ISO time the server accepted the message. */
  sentAt: string | null;
  response: string | null;
  failure: SessionFailure | null;
  /** true when smtp.auth's session was reused (one login per run). */
  reusedSession: boolean;
  /** Set when a fresh login was needed (the session had closed) and failed. */
  relogin: LoginAttempt | null;
  transcript: string[];
  durationMs: number;
}

export const smtpProbeSendFact = defineFact<SmtpProbeSend>({
  id: 'smtp.probe-send',
  scope: 'asset',
  async collect(ctx, asset) {
    const mailbox = requireMailbox(asset?.mailbox);
    const started = Date.now();
    // A re-login and the send share one budget, so the check ends before the runner's timeout.
    const deadline = new Deadline(probeBudgetMs(ctx.config));
    const message = buildProbeMessage(mailbox, new Date());
    const base = {
      mailbox,
      messageId: message.messageId,
      nonce: message.nonce,
      subject: message.subject,
      serverMessageId: null,
      sentAt: null,
      response: null,
      relogin: null,
    };
    const login = await ctx.get(smtpLoginFact, asset);
    if (!login.attempted || !login.ok) {
      return { ...base, attempted: false, ok: false, failure: null, reusedSession: false, transcript: [], durationMs: 0 };
    }
    const sessions = smtpSessions(ctx);
    const key = mailbox.toLowerCase();
    let session = sessions.get(key) ?? null;
    sessions.delete(key);
    const reusedSession = !!session?.usable;
    const log = reusedSession ? session!.transcript : new Transcript();
    const from = log.lines().length;
    if (!reusedSession) {
      session?.close();
      const { token } = chooseMailToken(await ctx.get(mailTokensFact, null), 'smtp');
      const fresh = token
        ? await SmtpSession.login({
            host: login.host,
            port: login.port,
            net: ctx.net,
            user: mailbox,
            accessToken: token.token,
            budgetMs: deadline.remaining(),
            signal: ctx.signal,
            transcript: log,
          })
        : null;
      if (!fresh?.session) {
        const failure = fresh?.attempt.failure ?? { stage: 'auth' as const, reply: null, errorCode: null, message: 'no token for SMTP' };
        return { ...base, attempted: true, ok: false, failure, reusedSession, relogin: fresh?.attempt ?? null, transcript: log.lines(), durationMs: Date.now() - started };
      }
      session = fresh.session;
    }
    try {
      const sent = await session!.send({ from: mailbox, to: mailbox, raw: message.raw, budgetMs: Math.max(1, deadline.remaining()), signal: ctx.signal });
      return {
        ...base,
        attempted: true,
        ok: sent.ok,
        serverMessageId: sent.serverMessageId,
        sentAt: sent.ok ? new Date().toISOString() : null,
        response: sent.response,
        failure: sent.failure,
        reusedSession,
        transcript: log.lines().slice(reusedSession ? from : 0),
        durationMs: Date.now() - started,
      };
    } finally {
      session!.close();
    }
  },
});
