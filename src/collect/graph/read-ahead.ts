import type { Asset } from '../../config/types.js';
import type { CollectContext, FactDefinition } from '../../core/fact.js';

/**
 * A fleet's per-mailbox Graph fact, started for every asset as soon as one asset asks for it: the
 * reads leave in the same tick and travel in `$batch` requests of 20, instead of trickling out as
 * the runner reaches each asset. Facts are memoised, so each is still collected once; an asset's
 * failure stays that asset's (its own check reads it again from the memo).
 */
export function readAheadForFleet<T>(ctx: CollectContext, fact: FactDefinition<T>, asset: Asset | null): void {
  const assets = ctx.config.assets;
  if (assets.length < 2) return;
  // In a microtask: the asking asset's collection is remembered by then (whatever memoises the
  // context), and the reads still leave with this tick's batch (sent on setImmediate).
  queueMicrotask(() => {
    for (const other of assets) if (other !== asset && other.mailbox) ctx.get(fact, other).catch(() => undefined);
  });
}
