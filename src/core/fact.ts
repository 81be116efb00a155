import type { Logger } from 'pino';
import type { Asset, RunConfig } from '../config/types.js';
import type { Net } from '../net/net.js';
import type { FixValues } from './fix-values.js';

/**
 * A fact is one thing fetched from the world (an app registration, a mailbox, an SMTP dialogue).
 * It is collected at most once per run (per asset, for asset-scoped facts) and shared by every
 * check that needs it. Collectors live in src/collect/.
 */
export interface FactDefinition<T> {
  id: string;
  /** 'asset' facts are collected once per mailbox; 'tenant' facts once per run. */
  scope: 'tenant' | 'asset';
  /**
   * Sensitive facts (access tokens) are kept out of snapshots. Everything else must be JSON and
   * free of secrets, since `--snapshot-out` writes it to disk.
   */
  sensitive?: boolean;
  collect(ctx: CollectContext, asset: Asset | null): Promise<T>;
  /**
   * Placeholders this fact can fill in a fix (`object-id`, `webex-sp-id`, `user-id`, …): every
   * remediation of the run names the run's own values (src/core/fix-values.ts).
   */
  fixValues?(value: T): FixValues;
}

export interface CollectContext {
  config: RunConfig;
  /** Another fact, memoised. Asset-scoped facts need the asset. */
  get<U>(fact: FactDefinition<U>, asset?: Asset | null): Promise<U>;
  net: Net;
  log: Logger;
  /** Aborted at the run's deadline. */
  signal: AbortSignal;
  /** Per-run services that are not facts (identity providers, caches), keyed by name. */
  services: Map<string, unknown>;
}

export function defineFact<T>(def: FactDefinition<T>): FactDefinition<T> {
  return def;
}

/** The memo key of a fact for an asset. */
export function factKey(fact: FactDefinition<unknown>, asset: Asset | null): string {
  return fact.scope === 'asset' ? `${fact.id}|${asset?.mailbox ?? ''}|${asset?.forwardingAddress ?? ''}` : fact.id;
}
