import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { forwardingDomainMx } from '../../../src/collect/dns/forwarding-mx.js';
import { lookupMx } from '../../../src/collect/dns/mx.js';
import type { RunConfig } from '../../../src/config/types.js';
import type { CollectContext } from '../../../src/core/fact.js';
import { startDnsStub, type DnsStub } from './dns-stub.js';

let stub: DnsStub;

beforeAll(async () => {
  stub = await startDnsStub({
    'mail-us.imiconnect.io': {
      mx: [
        { exchange: 'mx2.mail-us.imiconnect.io', preference: 20 },
        { exchange: 'mx1.mail-us.imiconnect.io', preference: 10 },
      ],
    },
    'mail-eu.imiconnect.io': { mx: [{ exchange: 'mx1.mail-eu.imiconnect.io', preference: 10 }] },
    'nomx.example.com': { rcode: 'NOERROR' },
    'nullmx.example.com': { mx: [{ exchange: '.', preference: 0 }] },
    'broken.example.com': { rcode: 'SERVFAIL' },
    'silent.example.com': { silent: true },
  });
});

afterAll(async () => {
  await stub.close();
});

function collectContext(dnsServer: string | undefined, signal = new AbortController().signal): CollectContext {
  return {
    config: { assets: [], dnsServer } as unknown as RunConfig,
    get: () => Promise.reject(new Error('not used')),
    net: {} as CollectContext['net'],
    log: pino({ enabled: false }),
    signal,
    services: new Map(),
  };
}

describe('lookupMx against a DNS stub on loopback', () => {
  it('returns the MX records, sorted by priority, and the server asked', async () => {
    const r = await lookupMx('mail-us.imiconnect.io', { server: stub.server });
    expect(r).toEqual({
      domain: 'mail-us.imiconnect.io',
      status: 'ok',
      server: stub.server,
      exchangers: [
        { exchange: 'mx1.mail-us.imiconnect.io', priority: 10 },
        { exchange: 'mx2.mail-us.imiconnect.io', priority: 20 },
      ],
    });
  });

  it('reports NXDOMAIN as nxdomain', async () => {
    const r = await lookupMx('mail-us.imiconnnect.io', { server: stub.server });
    expect(r.status).toBe('nxdomain');
    expect(r.exchangers).toEqual([]);
  });

  it('reports NOERROR without an MX answer as nodata', async () => {
    const r = await lookupMx('nomx.example.com', { server: stub.server });
    expect(r.status).toBe('nodata');
  });

  it('returns a null MX (RFC 7505) as an empty exchange name', async () => {
    const r = await lookupMx('nullmx.example.com', { server: stub.server });
    expect(r.status).toBe('ok');
    expect(r.exchangers).toEqual([{ exchange: '', priority: 0 }]);
  });

  it('reports SERVFAIL as unreachable, with the reason', async () => {
    const r = await lookupMx('broken.example.com', { server: stub.server });
    expect(r.status).toBe('unreachable');
    expect(r.error).toMatch(/SERVFAIL/);
  });

  it('reports a server that never answers as unreachable after its timeout', async () => {
    const r = await lookupMx('silent.example.com', { server: stub.server, timeoutMs: 200 });
    expect(r.status).toBe('unreachable');
    expect(r.error).toMatch(/no answer within/);
  });

  it('reports 127.0.0.1:9 (nothing listening) as unreachable, not as a throw', { timeout: 15_000 }, async () => {
    const r = await lookupMx('mail-us.imiconnect.io', { server: '127.0.0.1:9' });
    expect(r.status).toBe('unreachable');
    expect(r.server).toBe('127.0.0.1:9');
    expect(r.error).toMatch(/ECONNREFUSED|ETIMEOUT|no answer/);
  });

  it('stops at the run deadline', async () => {
    const ac = new AbortController();
    const pending = lookupMx('silent.example.com', { server: stub.server, timeoutMs: 60_000, signal: ac.signal });
    ac.abort();
    const r = await pending;
    expect(r.status).toBe('unreachable');
    expect(r.error).toMatch(/deadline/);
  });

  it('turns a DNS server that is not an address into unreachable', async () => {
    const r = await lookupMx('mail-us.imiconnect.io', { server: 'dns.contoso.com:53' });
    expect(r.status).toBe('unreachable');
    expect(r.error).toMatch(/not a usable DNS server address/);
  });
});

describe('forwardingDomainMx fact', () => {
  it('asks config.dnsServer about the domain of the forwarding address', async () => {
    const ctx = collectContext(stub.server);
    const r = await forwardingDomainMx.collect(ctx, { mailbox: 'john@contoso.com', forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-eu.imiconnect.io' });
    expect(r.status).toBe('ok');
    expect(r.domain).toBe('mail-eu.imiconnect.io');
    expect(r.exchangers.map((e) => e.exchange)).toEqual(['mx1.mail-eu.imiconnect.io']);
  });

  it('looks a domain up once per run, however many assets forward to it', async () => {
    const ctx = collectContext(stub.server);
    const before = stub.queries.filter((q) => q === 'MX mail-us.imiconnect.io').length;
    const results = await Promise.all([
      forwardingDomainMx.collect(ctx, { mailbox: 'john@contoso.com', forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' }),
      forwardingDomainMx.collect(ctx, { mailbox: 'jane@contoso.com', forwardingAddress: '0123456789abcdef0123456789abcdef@MAIL-US.imiconnect.io' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok']);
    const after = stub.queries.filter((q) => q === 'MX mail-us.imiconnect.io').length;
    expect(after - before).toBe(1);
  });

  it('returns unreachable (never throws) when the DNS server cannot be reached', { timeout: 15_000 }, async () => {
    const r = await forwardingDomainMx.collect(collectContext('127.0.0.1:9'), { forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' });
    expect(r.status).toBe('unreachable');
  });
});
