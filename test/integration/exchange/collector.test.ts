import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { RunConfig } from '../../../src/config/types.js';
import { FactStore } from '../../../src/core/fact-store.js';
import type { FactDefinition } from '../../../src/core/fact.js';
import {
  casMailboxFact,
  exchangeMailboxFact,
  outboundSpamFact,
  remoteDomainsFact,
  transportConfigFact,
  transportRulesFact,
} from '../../../src/collect/exchange/facts.js';
import { createNet } from '../../../src/net/create-net.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import type { Fault } from '../../../src/simulator/scenario/schema.js';

// The Exchange collector against the simulated admin API on loopback, with the real identity
// provider (client credentials of the scenario's reader app).

const ASSET = { mailbox: 'john@contoso.com', forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' };
const FACTS: FactDefinition<unknown>[] = [exchangeMailboxFact, casMailboxFact, transportConfigFact, outboundSpamFact, remoteDomainsFact, transportRulesFact];

function configFor(sim: RunningSimulator, over: Partial<RunConfig> = {}): RunConfig {
  const c = loadConfig({ flags: { config: sim.configFile }, env: sim.env, readStdin: () => '', warn: () => undefined });
  return { ...c, ...over };
}

function storeFor(config: RunConfig, net = createNet(config, { retryBudgetMs: 3_000 })) {
  return new FactStore({ config, net, log: pino({ level: 'silent' }), signal: new AbortController().signal });
}

async function collectAll(config: RunConfig) {
  const s = storeFor(config);
  const out: Record<string, unknown> = {};
  for (const f of FACTS) {
    const o = await s.outcome(f, f.scope === 'asset' ? ASSET : null);
    out[f.id] = o.ok ? o.value : { error: o.error.code, message: o.error.message };
  }
  return out;
}

/** The facts without where they came from (and the fields only one side carries). */
function comparable(facts: Record<string, any>) {
  const strip = (v: any): any => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const { source: _s, autoForwardingModeNumber: _n, emailAddresses: _e, ...rest } = v;
      return Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, strip(x)]));
    }
    return v;
  };
  return strip(facts);
}

async function withSim<T>(scenario: string, faults: Fault[], fn: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ scenario, faults });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

describe('Exchange collector against the simulator', () => {
  it('live facts equal the facts read from the ConvertTo-Json evidence of the same tenant', async () => {
    await withSim('healthy', [], async (sim) => {
      const live = await collectAll(configFor(sim));
      const offline = await collectAll(configFor(sim, { exchangeEvidenceDir: fileURLToPath(new URL('../../../fixtures/evidence/healthy', import.meta.url)) }));
      expect(live['exchange.outbound-spam']).toMatchObject({ source: 'Exchange admin API (undocumented, observed shape)' });
      expect(offline['exchange.outbound-spam']).toMatchObject({ source: expect.stringContaining('evidence file Get-HostedOutboundSpamFilterPolicy.json') });
      expect(comparable(offline)).toEqual(comparable(live));
    });
  });

  it('rides out 429s from the admin API (Retry-After)', async () => {
    await withSim('healthy', [{ service: 'exchange', kind: 'status', status: 429, retryAfterSeconds: 0, count: 2 }], async (sim) => {
      const facts = await collectAll(configFor(sim));
      expect(Object.values(facts).some((f: any) => f?.error)).toBe(false);
      expect(sim.ctx.traffic.entries().filter((e) => e.service === 'exchange').length).toBeGreaterThanOrEqual(7);
    });
  });

  it('a throttling storm ends THROTTLED (error), an HTML answer UNEXPECTED_RESPONSE', async () => {
    await withSim('healthy', [{ service: 'exchange', kind: 'status', status: 503, retryAfterSeconds: 60 }], async (sim) => {
      const o = await storeFor(configFor(sim)).outcome(transportConfigFact, null);
      expect(!o.ok && o.error.code).toBe('THROTTLED');
    });
    await withSim('healthy', [{ service: 'exchange', kind: 'html' }], async (sim) => {
      const o = await storeFor(configFor(sim)).outcome(remoteDomainsFact, null);
      expect(!o.ok && o.error.code).toBe('UNEXPECTED_RESPONSE');
    });
  });

  it('an unknown mailbox ends MAILBOX_NOT_FOUND', async () => {
    await withSim('healthy', [], async (sim) => {
      const o = await storeFor(configFor(sim)).outcome(exchangeMailboxFact, { mailbox: 'nobody@contoso.com' });
      expect(!o.ok && o.error.code).toBe('MAILBOX_NOT_FOUND');
      expect(!o.ok && o.error.message).toContain('nobody@contoso.com');
    });
  });
});
