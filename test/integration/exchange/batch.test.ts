import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { RunConfig } from '../../../src/config/types.js';
import { FactStore } from '../../../src/core/fact-store.js';
import type { FactDefinition } from '../../../src/core/fact.js';
import { casMailboxFact, exchangeMailboxFact, outboundSpamFact, remoteDomainsFact, transportConfigFact, transportRulesFact } from '../../../src/collect/exchange/facts.js';
import { createNet } from '../../../src/net/create-net.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { withSimulator } from '../../helpers/sim.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Scenario } from '../../../src/simulator/scenario/schema.js';

// The admin API's `$batch` (G20 [O]) end to end: the collector against the simulator, which
// answers it the observed way, refuses it on request (`exchange.refuseBatch`), and throttles
// single items of a batch with path faults.

const ASSET = { mailbox: 'john@contoso.com', forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' };
const FACTS: FactDefinition<unknown>[] = [exchangeMailboxFact, casMailboxFact, transportConfigFact, outboundSpamFact, remoteDomainsFact, transportRulesFact];

function configFor(sim: RunningSimulator): RunConfig {
  return loadConfig({ flags: { config: sim.configFile }, env: sim.env, readStdin: () => '', warn: () => undefined });
}

/** Every Exchange fact at once, as the runner starts them. */
async function collectTogether(sim: RunningSimulator, asset = ASSET) {
  const config = configFor(sim);
  const s = new FactStore({ config, net: createNet(config, { retryBudgetMs: 3_000 }), log: pino({ level: 'silent' }), signal: new AbortController().signal });
  const outcomes = await Promise.all(FACTS.map((f) => s.outcome(f, f.scope === 'asset' ? asset : null)));
  return Object.fromEntries(FACTS.map((f, i) => [f.id, outcomes[i]!.ok ? outcomes[i]!.value : { error: outcomes[i]!.error.code }]));
}

const traffic = (sim: RunningSimulator) => ({
  batches: sim.ctx.traffic.entries().filter((e) => e.service === 'exchange-batch'),
  inBatch: sim.ctx.traffic.entries().filter((e) => e.service === 'exchange' && e.what.includes('(in $batch)')),
  single: sim.ctx.traffic.entries().filter((e) => e.service === 'exchange' && !e.what.includes('(in $batch)')),
});

function refusing(): Scenario {
  const s = loadScenario('healthy');
  return { ...s, exchange: { ...s.exchange, refuseBatch: true } };
}

describe('Exchange admin API $batch against the simulator', () => {
  it('the seven cmdlets of a run leave in one $batch, and read the same facts as single calls do', async () => {
    const batched = await withSimulator('healthy', [], async (sim) => {
      const facts = await collectTogether(sim);
      const t = traffic(sim);
      expect(t.batches).toHaveLength(1);
      expect(t.single).toHaveLength(0);
      expect(t.inBatch.map((e) => e.what.split(' ').pop()).sort()).toEqual(['Get-CASMailbox', 'Get-HostedOutboundSpamFilterPolicy', 'Get-HostedOutboundSpamFilterRule', 'Get-Mailbox', 'Get-RemoteDomain', 'Get-TransportConfig', 'Get-TransportRule']);
      return facts;
    });
    const singly = await withSimulator(refusing(), [], async (sim) => {
      const facts = await collectTogether(sim);
      const t = traffic(sim);
      // Refused once (404), then every cmdlet alone.
      expect(t.batches).toHaveLength(1);
      expect(t.inBatch).toHaveLength(0);
      expect(t.single).toHaveLength(7);
      return facts;
    });
    for (const f of Object.values(batched)) expect(f).not.toHaveProperty('error');
    expect(batched).toEqual(singly);
  });

  it('an unknown mailbox fails its own facts only', async () => {
    await withSimulator('healthy', [], async (sim) => {
      const facts = await collectTogether(sim, { ...ASSET, mailbox: 'nobody@contoso.com' });
      expect(facts['exchange.mailbox']).toEqual({ error: 'MAILBOX_NOT_FOUND' });
      expect(facts['exchange.cas-mailbox']).toEqual({ error: 'MAILBOX_NOT_FOUND' });
      expect(facts['exchange.remote-domains']).not.toHaveProperty('error');
      expect(traffic(sim).batches).toHaveLength(1);
    });
  });

  it('an item throttled inside the batch ("maximum number of concurrent requests") is asked again', async () => {
    await withSimulator('healthy', [{ service: 'exchange', path: 'InvokeCommand', kind: 'status', status: 429, count: 2 }], async (sim) => {
      const facts = await collectTogether(sim);
      for (const f of Object.values(facts)) expect(f).not.toHaveProperty('error');
      // 7 items in the first batch, the 2 throttled ones once more.
      expect(traffic(sim).inBatch.length + traffic(sim).single.length).toBe(9);
    });
  });

  it('refuses more than 10 requests, and answers each item by id', async () => {
    await withSimulator('healthy', [], async (sim) => {
      const config = configFor(sim);
      const net = createNet(config);
      const { getAccessToken } = await import('../../../src/collect/identity/tokens.js');
      const s = new FactStore({ config, net, log: pino({ level: 'silent' }), signal: new AbortController().signal });
      const token = await new Promise<string>((resolve, reject) => {
        void s.outcome({ id: 'probe', scope: 'tenant', collect: async (ctx) => resolve((await getAccessToken(ctx, 'reader', 'exchange')).token) }, null).catch(reject);
      });
      const base = `${sim.urls.exchange}/adminapi/beta/${config.tenantId}`;
      const item = (id: string, cmdlet: string, parameters: Record<string, unknown> = {}) => ({ id, method: 'POST', url: `${base}/InvokeCommand`, body: { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } } });
      const post = (requests: unknown[]) => net.request<any>({ method: 'POST', url: `${base}/$batch`, headers: { authorization: `Bearer ${token}` }, body: { requests } });
      const tooMany = await post(Array.from({ length: 11 }, (_, i) => item(String(i), 'Get-RemoteDomain')));
      expect(tooMany.status).toBe(400);
      const ok = await post([item('a', 'Get-RemoteDomain'), item('b', 'Get-Mailbox', { Identity: 'nobody@contoso.com' })]);
      expect(ok.status).toBe(200);
      const byId = new Map((ok.body.responses as { id: string; status: number; body: any }[]).map((r) => [r.id, r]));
      expect(byId.get('a')).toMatchObject({ status: 200, body: { value: [{ DomainName: '*' }] } });
      expect(byId.get('b')!.status).toBe(404);
      expect(JSON.stringify(byId.get('b')!.body)).toContain('ManagementObjectNotFoundException');
    });
  });
});
