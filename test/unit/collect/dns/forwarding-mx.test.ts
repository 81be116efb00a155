import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { forwardingDomainMx } from '../../../../src/collect/dns/forwarding-mx.js';
import type { RunConfig } from '../../../../src/config/types.js';
import type { CollectContext } from '../../../../src/core/fact.js';
import { FactError } from '../../../../src/core/fact-error.js';

function collectContext(): CollectContext {
  return {
    config: { assets: [] } as unknown as RunConfig,
    get: () => Promise.reject(new Error('not used')),
    net: {} as CollectContext['net'],
    log: pino({ enabled: false }),
    signal: new AbortController().signal,
    services: new Map(),
  };
}

describe('forwardingDomainMx (no network: the cases that never reach DNS)', () => {
  it('is an asset-scoped fact', () => {
    expect(forwardingDomainMx.scope).toBe('asset');
    expect(forwardingDomainMx.sensitive).toBeFalsy();
  });

  it('throws INPUT_MISSING without a forwarding address', async () => {
    const err = await forwardingDomainMx.collect(collectContext(), { mailbox: 'john@contoso.com' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FactError);
    expect((err as FactError).code).toBe('INPUT_MISSING');
  });

  it('throws FORWARDING_ADDRESS_INVALID when there is no domain to ask about', async () => {
    const err = await forwardingDomainMx.collect(collectContext(), { forwardingAddress: 'not-an-address' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FactError);
    expect((err as FactError).code).toBe('FORWARDING_ADDRESS_INVALID');
  });
});
