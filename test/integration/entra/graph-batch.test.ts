import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { Asset } from '../../../src/config/types.js';
import { FactStore } from '../../../src/core/fact-store.js';
import type { FactDefinition } from '../../../src/core/fact.js';
import { appRegistrationFact } from '../../../src/collect/graph/entra/app-registration.js';
import { appRoleAssignmentsFact, consentPolicyFact, delegatedGrantsFact } from '../../../src/collect/graph/entra/consent.js';
import { exchangeResourceFact, webexServicePrincipalFact } from '../../../src/collect/graph/entra/service-principals.js';
import { inboxRulesFact } from '../../../src/collect/graph/mailbox/inbox-rules.js';
import { securityDefaultsFact } from '../../../src/collect/graph/mailbox/security-defaults.js';
import { createNet } from '../../../src/net/create-net.js';
import { fleetScenario } from '../../../src/simulator/scenario/fleet.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { withSimulator } from '../../helpers/sim.js';

// Graph reads started together leave in one `$batch` (C7 [V]), read what single GETs read, and a
// fleet's per-mailbox reads are read for every asset at once.

const TENANT_FACTS: FactDefinition<unknown>[] = [appRegistrationFact, webexServicePrincipalFact, exchangeResourceFact, appRoleAssignmentsFact, delegatedGrantsFact, consentPolicyFact, securityDefaultsFact];

function storeFor(sim: RunningSimulator, fleet = false) {
  const env = { ...sim.env };
  if (fleet) delete env.WXMAIL_MAILBOX;
  if (fleet) delete env.WXMAIL_FORWARDING_ADDRESS;
  const config = loadConfig({ flags: { config: sim.configFile }, env, readStdin: () => '', warn: () => undefined });
  return { config, store: new FactStore({ config, net: createNet(config, { retryBudgetMs: 3_000 }), log: pino({ level: 'silent' }), signal: new AbortController().signal }) };
}

async function collectTogether(sim: RunningSimulator) {
  const { config, store } = storeFor(sim);
  const asset: Asset = config.assets[0]!;
  const facts = [...TENANT_FACTS, inboxRulesFact];
  const outcomes = await Promise.all(facts.map((f) => store.outcome(f, f.scope === 'asset' ? asset : null)));
  return Object.fromEntries(facts.map((f, i) => [f.id, outcomes[i]!.ok ? outcomes[i]!.value : { error: outcomes[i]!.error.code }]));
}

const graphTraffic = (sim: RunningSimulator) => {
  const g = sim.ctx.traffic.entries().filter((e) => e.service === 'graph');
  return { requests: g.filter((e) => !e.what.includes('(in $batch)')), inBatch: g.filter((e) => e.what.includes('(in $batch)')) };
};

describe('Graph $batch against the simulator', () => {
  it('reads started together travel in one $batch and read what single GETs read', async () => {
    const batched = await withSimulator('healthy', [], async (sim) => {
      const facts = await collectTogether(sim);
      const t = graphTraffic(sim);
      // Two waves: the tenant reads with the mailbox's user lookup (G1), then what depends on them
      // (the user's inbox rules by id, the assigned consent policies, G4).
      expect(t.requests.filter((e) => e.what.startsWith('POST /v1.0/$batch')).length).toBeLessThanOrEqual(2);
      expect(t.inBatch.length).toBeGreaterThanOrEqual(6);
      return facts;
    });
    const singly = await withSimulator('healthy', [{ service: 'graph', path: '\\$batch', kind: 'status', status: 501 }], async (sim) => {
      const facts = await collectTogether(sim);
      expect(graphTraffic(sim).inBatch).toHaveLength(0);
      return facts;
    });
    for (const f of Object.values(batched)) expect(f).not.toHaveProperty('error');
    // Dates derive from each simulator's start: compare the rest.
    const undated = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k.endsWith('DateTime') ? undefined : x))) as unknown;
    expect(undated(batched)).toEqual(undated(singly));
  });

  it('a fleet reads every mailbox\'s inbox rules at once, in batches of at most 20', async () => {
    await withSimulator(fleetScenario(loadScenario('healthy'), 25), [], async (sim) => {
      const { config, store } = storeFor(sim, true);
      expect(config.assets).toHaveLength(25);
      const first = await store.outcome(inboxRulesFact, config.assets[0]!);
      expect(first.ok).toBe(true);
      const rest = await Promise.all(config.assets.slice(1).map((a) => store.outcome(inboxRulesFact, a)));
      expect(rest.every((o) => o.ok)).toBe(true);
      const t = graphTraffic(sim);
      // Every mailbox's rules read once; the 24 read together travel in batches of at most 20 (the
      // first asset, read alone before the others, may go alone).
      const rules = [...t.inBatch, ...t.requests].filter((e) => e.what.includes('messageRules'));
      expect(rules).toHaveLength(25);
      expect(t.inBatch.filter((e) => e.what.includes('messageRules')).length).toBeGreaterThanOrEqual(24);
      expect(t.requests.filter((e) => e.what.startsWith('POST /v1.0/$batch')).length).toBeLessThanOrEqual(6);
    });
  });
});
