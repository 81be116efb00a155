/**
 * Each admin API read once per run, and a fleet's per-mailbox reads all at once.
 *
 * The runner works through a fleet's checks a few at a time, so the per-mailbox cmdlets
 * (Get-Mailbox -Identity, Get-CASMailbox -Identity, …) of asset 37 would otherwise go out long
 * after those of asset 1, one small batch after another. When a cmdlet is read with
 * `Identity` = one asset's mailbox and the run has several assets, the same cmdlet is started for
 * every asset's mailbox in the same tick: they travel together in `$batch` requests of 10
 * (command-batch.ts), and the facts of the other assets find their answer waiting here.
 */
import type { CollectContext } from '../../core/fact.js';

const MEMO_KEY = 'exchange.adminApi.reads';

type Memo = Map<string, Promise<unknown>>;

export function readOnce<T>(ctx: CollectContext, cmdlet: string, parameters: Record<string, unknown>, read: (parameters: Record<string, unknown>) => Promise<T>): Promise<T> {
  let memo = ctx.services.get(MEMO_KEY) as Memo | undefined;
  if (!memo) {
    memo = new Map();
    ctx.services.set(MEMO_KEY, memo);
  }
  const start = (params: Record<string, unknown>): Promise<T> => {
    const key = `${cmdlet} ${JSON.stringify(params)}`;
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read(params);
      memo.set(key, p);
    }
    return p;
  };
  const own = start(parameters);
  for (const identity of fleetIdentities(ctx, parameters)) {
    // Read ahead for another asset; its fact awaits (and reports) the outcome, so none is lost.
    start({ ...parameters, Identity: identity }).catch(() => undefined);
  }
  return own;
}

/** The other assets' mailboxes when `parameters` is a per-mailbox read of one asset of a fleet. */
function fleetIdentities(ctx: CollectContext, parameters: Record<string, unknown>): string[] {
  const identity = parameters.Identity;
  if (typeof identity !== 'string') return [];
  const mailboxes = [...new Set(ctx.config.assets.map((a) => a.mailbox?.trim()).filter((m): m is string => !!m))];
  if (mailboxes.length < 2) return [];
  const mine = identity.trim().toLowerCase();
  if (!mailboxes.some((m) => m.toLowerCase() === mine)) return [];
  return mailboxes.filter((m) => m.toLowerCase() !== mine);
}
