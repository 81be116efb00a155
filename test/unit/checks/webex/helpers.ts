import type { Asset, RunConfig } from '../../../../src/config/types.js';
import type { CheckContext, FactOutcome } from '../../../../src/core/check.js';
import { FactError } from '../../../../src/core/fact-error.js';
import type { MxLookup } from '../../../../src/collect/dns/mx.js';

/** A RunConfig with only what the webex checks read; the rest is irrelevant to them. */
export function config(over: Partial<RunConfig> = {}): RunConfig {
  return { assets: [], ...over } as RunConfig;
}

export function ctx(over: Partial<RunConfig> = {}, asset: Asset | null = null): CheckContext {
  return { config: config(over), asset, now: new Date('2025-01-01T00:00:00Z') };
}

export function mxOk(domain: string, exchangers = [{ exchange: `mx1.${domain}`, priority: 10 }]): FactOutcome<MxLookup> {
  return { ok: true, value: { domain, status: 'ok', exchangers, server: '127.0.0.1:5353' } };
}

export function mxStatus(domain: string, status: MxLookup['status'], error?: string): FactOutcome<MxLookup> {
  return { ok: true, value: { domain, status, exchangers: [], server: '127.0.0.1:5353', ...(error ? { error } : {}) } };
}

export function mxFailed(message: string): FactOutcome<MxLookup> {
  return { ok: false, error: new FactError('TIMEOUT', message) };
}
