import type { Logger } from 'pino';
import type { Asset, RunConfig } from '../config/types.js';
import type { Net } from '../net/net.js';
import type { FactOutcome } from './check.js';
import { FactError, type SerializedFactError } from './fact-error.js';
import { factKey, type CollectContext, type FactDefinition } from './fact.js';
import type { FixValues } from './fix-values.js';
import { collectingRequestIds } from './request-ids.js';

export type SnapshotEntry = { ok: true; value: unknown } | { ok: false; error: SerializedFactError };

interface Memo {
  fact: FactDefinition<unknown>;
  asset: Asset | null;
  promise: Promise<FactOutcome<unknown>>;
  ids: string[];
  sensitive: boolean;
  settled: boolean;
  /** What a snapshot keeps instead of the late outcome: the check that needed it timed out first. */
  snapshotAs?: FactOutcome<unknown>;
}

/**
 * Collects each fact once per run (per asset for asset facts) and remembers the outcome, so any
 * number of checks can read it. With a snapshot it collects nothing and answers from the file.
 */
export class FactStore {
  private readonly memo = new Map<string, Memo>();
  readonly services = new Map<string, unknown>();

  constructor(
    private readonly env: { config: RunConfig; net: Net; log: Logger; signal: AbortSignal },
    private readonly snapshot?: Record<string, SnapshotEntry>,
  ) {}

  outcome<T>(fact: FactDefinition<T>, asset: Asset | null): Promise<FactOutcome<T>> {
    const key = factKey(fact, asset);
    let m = this.memo.get(key);
    if (!m) {
      // Remembered before collecting starts: a collector that asks for the same fact (a fleet's
      // read-ahead asks for every asset's, its own included) gets this promise, not a second run.
      let settle!: (o: Promise<FactOutcome<unknown>>) => void;
      const promise = new Promise<FactOutcome<unknown>>((resolve) => (settle = resolve));
      const memo: Memo = { fact: fact as FactDefinition<unknown>, asset, ids: [], sensitive: !!fact.sensitive, promise, settled: false };
      this.memo.set(key, memo);
      settle(this.collect(fact, asset, key, memo));
      void promise.then(() => (memo.settled = true));
      m = memo;
    }
    return m.promise as Promise<FactOutcome<T>>;
  }

  /** Request ids seen while collecting these facts (and the facts they read). */
  requestIds(keys: string[]): string[] {
    return [...new Set(keys.flatMap((k) => this.memo.get(k)?.ids ?? []))];
  }

  private async collect<T>(fact: FactDefinition<T>, asset: Asset | null, key: string, memo: Memo): Promise<FactOutcome<T>> {
    if (this.snapshot) {
      const entry = this.snapshot[key];
      if (!entry) {
        if (fact.sensitive) {
          return { ok: false, error: new FactError('NOT_APPLICABLE', `Not evaluated offline: ${fact.id} is never saved in a snapshot.`) };
        }
        return { ok: false, error: new FactError('INPUT_MISSING', `The snapshot has no value for ${fact.id}.`) };
      }
      return entry.ok ? { ok: true, value: entry.value as T } : { ok: false, error: FactError.fromJSON(entry.error) };
    }
    const ctx: CollectContext = {
      config: this.env.config,
      net: this.env.net,
      log: this.env.log.child({ fact: fact.id }),
      signal: this.env.signal,
      services: this.services,
      get: async <U>(other: FactDefinition<U>, a: Asset | null = asset) => {
        const o = await this.outcome(other, a);
        if (!o.ok) throw o.error;
        return o.value;
      },
    };
    const r = await collectingRequestIds(() => fact.collect(ctx, asset));
    memo.ids = r.ids;
    if ('value' in r) return { ok: true, value: r.value };
    const error = r.error instanceof FactError ? r.error : unexpected(fact.id, r.error);
    return { ok: false, error };
  }

  /** Fix placeholders the facts collected for this asset (and the tenant's) can fill. */
  async fixValues(asset: Asset | null): Promise<FixValues> {
    const out: FixValues = {};
    for (const m of this.memo.values()) {
      if (!m.fact.fixValues || (m.fact.scope === 'asset' && factKey(m.fact, m.asset) !== factKey(m.fact, asset))) continue;
      const o = await m.promise;
      if (!o.ok) continue;
      try {
        for (const [k, v] of Object.entries(m.fact.fixValues(o.value))) if (v) out[k] = v;
      } catch {
        // A snapshot's fact may lack a field; the placeholder then stays visible.
      }
    }
    return out;
  }

  /**
   * A check timed out while these facts were still being collected: a snapshot keeps them as the
   * check saw them (TIMEOUT), so a replay gives the verdict the run gave, not one from an answer
   * that arrived after it.
   */
  timedOut(keys: string[], error: FactError): void {
    for (const key of keys) {
      const m = this.memo.get(key);
      if (m && !m.settled && !m.snapshotAs) m.snapshotAs = { ok: false, error };
    }
  }

  /** Every collected, non-sensitive fact, for `--snapshot-out`. */
  async toSnapshot(): Promise<Record<string, SnapshotEntry>> {
    const out: Record<string, SnapshotEntry> = {};
    for (const [key, m] of this.memo) {
      if (m.sensitive) continue;
      const o = m.snapshotAs ?? (await m.promise);
      out[key] = o.ok ? { ok: true, value: o.value } : { ok: false, error: o.error.toJSON() };
    }
    return out;
  }
}

function unexpected(factId: string, err: unknown): FactError {
  const message = err instanceof Error ? err.message : String(err);
  return new FactError('INTERNAL_ERROR', `Collecting ${factId} failed: ${message}`, {
    evidence: { fact: factId, error: err instanceof Error ? err.name : typeof err },
  });
}
