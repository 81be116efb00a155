import type { Asset } from '../../config/types.js';
import { defineFact, type CollectContext } from '../../core/fact.js';
import { casMailboxFact } from '../exchange/facts.js';
import { probeBudgetMs } from '../smtp/budget.js';
import { requireMailbox } from '../smtp/login-fact.js';
import { chooseMailToken, mailTokensFact, type CredentialSummary } from '../smtp/mail-tokens.js';
import { smtpProbeSendFact } from '../smtp/send-fact.js';
import type { ProbeRef } from './probe-match.js';
import { openImapSession, type ImapFailure } from './session.js';
import { watchForProbe, watchTiming, type WatchResult, type WatchTiming } from './watch.js';

/** What the mailbox showed after the probe was sent. JSON, no secrets. */
export interface Roundtrip {
  mailbox: string;
  host: string;
  port: number;
  credential: CredentialSummary;
  /** false: no probe was sent, or no token may read the mailbox over IMAP. */
  attempted: boolean;
  probe: ProbeRef & { subject: string; sentAt: string | null };
  /** Signing in over IMAP failed (the watch did not start). */
  imapFailure: ImapFailure | null;
  watch: WatchResult | null;
  timing: WatchTiming;
  via: 'direct' | 'proxy' | null;
  proxy: string | null;
  transcript: string[];
}

/**
 * "User is authenticated but not connected." has three causes (G27): IMAP off on the mailbox, no
 * Exchange service principal, no FullAccess. ImapEnabled comes from the Get-CASMailbox the run
 * reads anyway (memoised); null when the reader may not read Exchange.
 */
async function imapEnabledOf(ctx: CollectContext, asset: Asset | null): Promise<boolean | null> {
  const cas = await ctx.get(casMailboxFact, asset).catch(() => null);
  return cas?.imapEnabled ?? null;
}

export const roundtripFact = defineFact<Roundtrip>({
  id: 'mailflow.roundtrip',
  scope: 'asset',
  async collect(ctx, asset) {
    const mailbox = requireMailbox(asset?.mailbox);
    const { imapHost: host, imapPort: port } = ctx.config.endpoints;
    const send = await ctx.get(smtpProbeSendFact, asset);
    const { token, summary } = chooseMailToken(await ctx.get(mailTokensFact, null), 'imap');
    const timing = watchTiming(ctx.config.roundtripTimeoutMs);
    const probe = {
      messageIds: [send.messageId, ...(send.serverMessageId ? [send.serverMessageId] : [])],
      nonce: send.nonce,
      subject: send.subject,
      sentAt: send.sentAt,
    };
    const base = { mailbox, host, port, credential: summary, probe, timing };
    if (!send.ok || !token) {
      return { ...base, attempted: false, imapFailure: null, watch: null, via: null, proxy: null, transcript: [] };
    }
    const session = await openImapSession({
      host,
      port,
      net: ctx.net,
      user: mailbox,
      accessToken: token.token,
      budgetMs: probeBudgetMs(ctx.config),
      signal: ctx.signal,
    });
    if (!session.client) {
      const failure = session.failure && session.failure.notConnected ? { ...session.failure, imapEnabled: await imapEnabledOf(ctx, asset) } : session.failure;
      return { ...base, attempted: true, imapFailure: failure, watch: null, via: session.via, proxy: session.proxy, transcript: session.transcript.lines() };
    }
    try {
      const watch = await watchForProbe(session.client, probe, timing, ctx.signal);
      return { ...base, attempted: true, imapFailure: null, watch, via: session.via, proxy: session.proxy, transcript: session.transcript.lines() };
    } finally {
      // LOGOUT is a courtesy: never wait long for it.
      const client = session.client;
      await Promise.race([client.logout().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
      client.close();
    }
  },
});
