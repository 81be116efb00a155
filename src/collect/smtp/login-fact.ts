import type { CollectContext } from '../../core/fact.js';
import { defineFact } from '../../core/fact.js';
import { FactError } from '../../core/fact-error.js';
import { probeBudgetMs } from './budget.js';
import { chooseMailToken, mailTokensFact, type CredentialSummary } from './mail-tokens.js';
import { SmtpSession, type SessionFailure } from './session.js';
import { Transcript } from './transcript.js';

/** The XOAUTH2 login as the mailbox. JSON, no secrets (the transcript is redacted). */
export interface SmtpLogin {
  mailbox: string;
  host: string;
  port: number;
  credential: CredentialSummary;
  /** false: no usable token (no SMTP.SendAsApp and no delegated token) — nothing was sent. */
  attempted: boolean;
  ok: boolean;
  /** The 235 line on success. */
  response: string | null;
  failure: SessionFailure | null;
  via: 'direct' | 'proxy' | null;
  proxy: string | null;
  transcript: string[];
  durationMs: number;
}

const SESSIONS = 'smtp.sessions';

/** The logged-in sessions of this run, so smtp.send reuses smtp.auth's login. */
export function smtpSessions(ctx: Pick<CollectContext, 'services'>): Map<string, SmtpSession> {
  let m = ctx.services.get(SESSIONS) as Map<string, SmtpSession> | undefined;
  if (!m) {
    m = new Map();
    ctx.services.set(SESSIONS, m);
  }
  return m;
}

export function requireMailbox(mailbox: string | undefined): string {
  if (!mailbox) throw new FactError('INPUT_MISSING', 'No mailbox configured (--mailbox).');
  return mailbox;
}

export const smtpLoginFact = defineFact<SmtpLogin>({
  id: 'smtp.login',
  scope: 'asset',
  async collect(ctx, asset) {
    const mailbox = requireMailbox(asset?.mailbox);
    const { smtpHost: host, smtpPort: port } = ctx.config.endpoints;
    const { token, summary } = chooseMailToken(await ctx.get(mailTokensFact, null), 'smtp');
    const base = { mailbox, host, port, credential: summary };
    if (!token) {
      return { ...base, attempted: false, ok: false, response: null, failure: null, via: null, proxy: null, transcript: [], durationMs: 0 };
    }
    const log = new Transcript();
    const { attempt, session } = await SmtpSession.login({
      transcript: log,
      host,
      port,
      net: ctx.net,
      user: mailbox,
      accessToken: token.token,
      budgetMs: probeBudgetMs(ctx.config),
      signal: ctx.signal,
    });
    const transcript = log.lines();
    if (session) {
      // Kept for smtp.send only when it will run; otherwise sign off now.
      if (ctx.config.sendTest) smtpSessions(ctx).set(mailbox.toLowerCase(), session);
      else session.close();
    }
    return {
      ...base,
      attempted: true,
      ok: attempt.ok,
      response: attempt.response,
      failure: attempt.failure,
      via: attempt.via,
      proxy: attempt.proxy,
      transcript,
      durationMs: attempt.durationMs,
    };
  },
});
