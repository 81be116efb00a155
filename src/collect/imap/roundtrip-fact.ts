import type { Asset } from '../../config/types.js';
import { defineFact, type CollectContext } from '../../core/fact.js';
import { casMailboxFact } from '../exchange/facts.js';
import { externalProbeSendFact } from '../smtp/external-send-fact.js';
import type { SessionFailure } from '../smtp/session.js';
import { probeBudgetMs } from '../smtp/budget.js';
import { requireMailbox } from '../smtp/login-fact.js';
import { chooseMailToken, mailTokensFact, type CredentialSummary } from '../smtp/mail-tokens.js';
import { smtpProbeSendFact } from '../smtp/send-fact.js';
import type { ProbeRef } from './probe-match.js';
import { openImapSession, type ImapFailure } from './session.js';
import { watchForProbe, watchTiming, type FoundNdr, type WatchResult, type WatchTiming } from './watch.js';

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
  /** The probe came from the external sender (`--external-sender-*`), not from the mailbox itself; null for the self-sent probe. */
  external?: ExternalTrip | null;
}

/** The round trip of the probe from outside (G13). Bounces of it go to the sender, so its inbox is where to look. */
export interface ExternalTrip {
  sender: string;
  sent: boolean;
  sendFailure: SessionFailure | null;
  sendTranscript: string[];
  /** The outside account's inbox: read for bounces, not configured (no --external-sender-imap-host), or could not be read. */
  senderInbox: 'read' | 'not-configured' | 'failed';
  senderInboxFailure: ImapFailure | null;
  ndrAtSender: FoundNdr | null;
}

/**
 * Bounces of mail from outside go back to its sender (DEF: "returned to the sender in an NDR"), so
 * the outside account's inbox is read too, for as long as an NDR may still follow (the grace).
 */
async function watchSenderInbox(ctx: CollectContext, external: ExternalTrip, probe: ProbeRef, timing: WatchTiming): Promise<void> {
  const cfg = ctx.config.externalSender;
  if (!cfg?.imapHost) return;
  const session = await openImapSession({
    host: cfg.imapHost,
    port: cfg.imapPort,
    net: ctx.net,
    user: cfg.user,
    ...(cfg.password !== undefined ? { password: cfg.password } : { accessToken: cfg.token ?? '' }),
    budgetMs: probeBudgetMs(ctx.config),
    signal: ctx.signal,
  });
  if (!session.client) {
    Object.assign(external, { senderInbox: 'failed', senderInboxFailure: session.failure });
    return;
  }
  try {
    const w = await watchForProbe(session.client, probe, { timeoutMs: timing.graceMs, graceMs: timing.graceMs, pollMs: timing.pollMs }, ctx.signal);
    Object.assign(external, w.failure ? { senderInbox: 'failed', senderInboxFailure: w.failure } : { senderInbox: 'read', ndrAtSender: w.ndr });
  } finally {
    const client = session.client;
    await Promise.race([client.logout().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    client.close();
  }
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
    // With an external sender the probe that matters is the one from outside (G13); the self-sent
    // one stays smtp.send's, and the round trip does not wait for (or depend on) it.
    const ext = await ctx.get(externalProbeSendFact, asset);
    const sent = ext ?? (await ctx.get(smtpProbeSendFact, asset));
    const { token, summary } = chooseMailToken(await ctx.get(mailTokensFact, null), 'imap');
    const timing = watchTiming(ctx.config.roundtripTimeoutMs);
    const probe = {
      messageIds: [sent.messageId, ...(sent.serverMessageId ? [sent.serverMessageId] : [])],
      nonce: sent.nonce,
      subject: sent.subject,
      sentAt: sent.sentAt,
    };
    const external: ExternalTrip | null = ext
      ? { sender: ext.sender, sent: ext.ok, sendFailure: ext.failure, sendTranscript: ext.transcript, senderInbox: 'not-configured', senderInboxFailure: null, ndrAtSender: null }
      : null;
    const base = { mailbox, host, port, credential: summary, probe, timing, external };
    if (!sent.ok || !token) {
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
      if (external && !watch.ndr) await watchSenderInbox(ctx, external, probe, timing);
      return { ...base, attempted: true, imapFailure: null, watch, via: session.via, proxy: session.proxy, transcript: session.transcript.lines() };
    } finally {
      // LOGOUT is a courtesy: never wait long for it.
      const client = session.client;
      await Promise.race([client.logout().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
      client.close();
    }
  },
});
