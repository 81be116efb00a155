/**
 * Each admin API read once per run, and a fleet's per-mailbox reads all at once.
 *
 * The runner works through a fleet's checks a few at a time, so the per-mailbox cmdlets
 * (Get-Mailbox -Identity, Get-CASMailbox -Identity, …) of asset 37 would otherwise go out long
 * after those of asset 1, one small batch after another. When a cmdlet is read with
 * `Identity` = one asset's mailbox and the run has several assets, the same cmdlet is started for
 * every asset's mailbox in the same tick: they travel together in `$batch` requests of 10
 * (command-batch.ts), and the facts of the other assets find their answer waiting here.
 *
 * Get-Mailbox and Get-CASMailbox go further (mailbox-filter.ts): the fleet's addresses are read
 * with one `-Filter` per chunk of 50, and each asset's answer is its row of its chunk. A mailbox
 * the filter does not return, or whose chunk failed (refused filter, missing permission, network),
 * is read with `-Identity` as a single mailbox is, so its verdict and its errors are the same.
 */
import type { CollectContext } from '../../core/fact.js';
import { emailAddressesFilter, filterChunks, isFilterableAddress, isFilterableRead, rowForAddress } from './mailbox-filter.js';
import type { Row } from './values.js';

const MEMO_KEY = 'exchange.adminApi.reads';

type Memo = Map<string, Promise<Row[]>>;
type Read = (parameters: Record<string, unknown>) => Promise<Row[]>;

export function readOnce(ctx: CollectContext, cmdlet: string, parameters: Record<string, unknown>, read: Read): Promise<Row[]> {
  let memo = ctx.services.get(MEMO_KEY) as Memo | undefined;
  if (!memo) {
    memo = new Map();
    ctx.services.set(MEMO_KEY, memo);
  }
  const start = (params: Record<string, unknown>): Promise<Row[]> => {
    const key = keyOf(cmdlet, params);
    let p = memo.get(key);
    if (!p) {
      p = read(params);
      memo.set(key, p);
    }
    return p;
  };
  const known = memo.get(keyOf(cmdlet, parameters));
  if (known) return known;
  const others = fleetIdentities(ctx, parameters);
  if (others.length > 0 && isFilterableRead(cmdlet, parameters)) {
    readFleetThroughFilter(ctx, memo, cmdlet, fleetMailboxes(ctx), read, start);
    return memo.get(keyOf(cmdlet, parameters)) ?? start(parameters);
  }
  const own = start(parameters);
  for (const identity of others) {
    // Read ahead for another asset; its fact awaits (and reports) the outcome, so none is lost.
    start({ ...parameters, Identity: identity }).catch(() => undefined);
  }
  return own;
}

function keyOf(cmdlet: string, parameters: Record<string, unknown>): string {
  return `${cmdlet} ${JSON.stringify(parameters)}`;
}

/**
 * Stores, under each mailbox's `-Identity` key, its answer: its row of its chunk's filter, else
 * (not returned, ambiguous, or the chunk failed) its own `-Identity` read. Mailboxes that are no
 * complete address (an alias) are read with `-Identity` straight away.
 */
function readFleetThroughFilter(ctx: CollectContext, memo: Memo, cmdlet: string, identities: string[], read: Read, start: Read): void {
  const byIdentity = (identity: string): Promise<Row[]> => read({ Identity: identity });
  const addresses = identities.filter(isFilterableAddress);
  for (const identity of identities.filter((i) => !isFilterableAddress(i))) settle(start({ Identity: identity }));
  // Chunks follow the configuration's order, so every asset of the fleet names the same filters.
  for (const chunk of filterChunks(addresses)) {
    const chunkRows = start({ Filter: emailAddressesFilter(chunk) });
    const inChunk = new Set(chunk.map((a) => a.toLowerCase()));
    for (const identity of addresses.filter((a) => inChunk.has(a.toLowerCase()))) {
      if (memo.has(keyOf(cmdlet, { Identity: identity }))) continue;
      const answer = chunkRows.then(
        (rows) => {
          const row = rowForAddress(rows, identity);
          return row ? [row] : byIdentity(identity);
        },
        (err: unknown) => {
          // The run's deadline ends the run as it does today; any other failure of the filter
          // must not decide a verdict: the mailbox is read as a single mailbox is.
          if (ctx.signal.aborted) throw err;
          return byIdentity(identity);
        },
      );
      memo.set(keyOf(cmdlet, { Identity: identity }), answer);
      settle(answer);
    }
  }
}

/** A read ahead's failure belongs to the fact that awaits it, never to an unhandled rejection. */
function settle(p: Promise<unknown>): void {
  p.catch(() => undefined);
}

/** The other assets' mailboxes when `parameters` is a per-mailbox read of one asset of a fleet. */
function fleetIdentities(ctx: CollectContext, parameters: Record<string, unknown>): string[] {
  const identity = parameters.Identity;
  if (typeof identity !== 'string') return [];
  const mailboxes = fleetMailboxes(ctx);
  if (mailboxes.length < 2) return [];
  const mine = identity.trim().toLowerCase();
  if (!mailboxes.some((m) => m.toLowerCase() === mine)) return [];
  return mailboxes.filter((m) => m.toLowerCase() !== mine);
}

/** Every asset's mailbox, once each, in the configuration's order. */
function fleetMailboxes(ctx: CollectContext): string[] {
  return [...new Set(ctx.config.assets.map((a) => a.mailbox?.trim()).filter((m): m is string => !!m))];
}
