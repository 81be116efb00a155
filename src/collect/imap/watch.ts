import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { classifyMessage, ndrDiagnostic, type NdrDiagnostic, type ProbeRef, type SeenMessage } from './probe-match.js';
import { imapFailureOf, type ImapFailure } from './session.js';

export interface WatchTiming {
  /** Longest wait for a verdict (--roundtrip-timeout). */
  timeoutMs: number;
  /** After the copy is seen, how long an NDR may still take to arrive. */
  graceMs: number;
  /** Pause between two looks at the inbox. */
  pollMs: number;
}

/**
 * Exchange Online generates the forwarding NDR while it delivers the message, so it follows the
 * copy closely; waiting the whole timeout after the copy would only make the happy path slow. The
 * grace (a quarter of the timeout, 1–30 s) and the poll interval scale with the timeout, so short
 * test timeouts stay short.
 */
export function watchTiming(timeoutMs: number): WatchTiming {
  return {
    timeoutMs,
    graceMs: Math.round(Math.min(30_000, Math.max(1_000, timeoutMs / 4))),
    pollMs: Math.round(Math.min(5_000, Math.max(250, timeoutMs / 30))),
  };
}

export interface FoundNdr extends SeenMessage {
  diagnostic: NdrDiagnostic;
}

export interface WatchResult {
  copy: SeenMessage | null;
  ndr: FoundNdr | null;
  /** Why the wait stopped: an NDR seen, the grace after the copy passed, the timeout, the run deadline, or an IMAP error. */
  ended: 'ndr' | 'copy-grace' | 'timeout' | 'aborted' | 'imap-error';
  waitedMs: number;
  polls: number;
  /** Messages looked at (the last few already there, plus every new one). */
  scanned: number;
  failure: ImapFailure | null;
}

/** Messages already in the inbox when the watch starts that are looked at (the probe may be among them). */
const LOOK_BACK = 50;
const MAX_NDR_SOURCE = 256 * 1024;

/**
 * Watches the inbox (read-only: EXAMINE, BODY.PEEK) for the probe's copy and an NDR about it,
 * and stops as soon as the verdict is certain: NDR seen, or copy seen plus the grace period.
 */
export async function watchForProbe(client: ImapFlow, probe: ProbeRef, timing: WatchTiming, signal?: AbortSignal): Promise<WatchResult> {
  const started = Date.now();
  const out: WatchResult = { copy: null, ndr: null, ended: 'timeout', waitedMs: 0, polls: 0, scanned: 0, failure: null };
  let stage: ImapFailure['stage'] = 'select';
  try {
    const mailbox = await client.mailboxOpen('INBOX', { readOnly: true });
    stage = 'fetch';
    let lastUid = 0;
    let first = true;
    let copySeenAt: number | null = null;
    for (;;) {
      out.polls++;
      const batch: FetchMessageObject[] = first
        ? mailbox.exists > 0
          ? await client.fetchAll(`${Math.max(1, mailbox.exists - LOOK_BACK + 1)}:*`, { uid: true, envelope: true })
          : []
        : await client.fetchAll(`${lastUid + 1}:*`, { uid: true, envelope: true }, { uid: true });
      first = false;
      for (const m of batch) {
        if (m.uid <= lastUid) continue;
        lastUid = Math.max(lastUid, m.uid);
        out.scanned++;
        const seen = toSeen(m);
        const kind = classifyMessage(seen, probe);
        if (kind === 'copy' && !out.copy) out.copy = seen;
        if ((kind === 'ndr' || kind === 'related') && !out.ndr) {
          const full = await client.fetchOne(String(m.uid), { source: true }, { uid: true });
          const source = full && full.source ? full.source.subarray(0, MAX_NDR_SOURCE).toString('latin1') : '';
          const diagnostic = ndrDiagnostic(source);
          // An auto-reply that refers to the probe is not a bounce unless it reports a failure status.
          if (kind === 'ndr' || /^[45]\./.test(diagnostic.enhanced ?? '')) out.ndr = { ...seen, diagnostic };
        }
      }
      const now = Date.now();
      if (out.ndr) {
        out.ended = 'ndr';
        break;
      }
      if (out.copy && copySeenAt === null) copySeenAt = now;
      const stopAt = copySeenAt !== null ? Math.min(copySeenAt + timing.graceMs, started + timing.timeoutMs) : started + timing.timeoutMs;
      if (now >= stopAt) {
        out.ended = copySeenAt !== null && now >= copySeenAt + timing.graceMs ? 'copy-grace' : 'timeout';
        break;
      }
      if (!(await sleep(Math.min(timing.pollMs, stopAt - now), signal))) {
        out.ended = 'aborted';
        break;
      }
      await client.noop();
    }
  } catch (err) {
    out.failure = imapFailureOf(err, stage);
    out.ended = 'imap-error';
  }
  out.waitedMs = Date.now() - started;
  return out;
}

function toSeen(m: FetchMessageObject): SeenMessage {
  const e = m.envelope ?? {};
  const from = e.from?.[0]?.address ?? null;
  const d = e.date ? new Date(e.date) : null;
  const date = d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
  return { uid: m.uid, messageId: e.messageId ?? null, inReplyTo: e.inReplyTo ?? null, subject: e.subject ?? '', from, date };
}

/** Resolves true after `ms`, false if the run deadline passes first. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
