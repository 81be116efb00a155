import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { Asset, RunConfig } from '../../../src/config/types.js';
import { FactStore } from '../../../src/core/fact-store.js';
import type { FactDefinition } from '../../../src/core/fact.js';
import { casMailboxFact, exchangeMailboxFact } from '../../../src/collect/exchange/facts.js';
import { createNet } from '../../../src/net/create-net.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { fleetScenario } from '../../../src/simulator/scenario/fleet.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { withSimulator } from '../../helpers/sim.js';

// A fleet's Get-Mailbox / Get-CASMailbox through OPATH `-Filter` chunks (issue 9), against the
// simulator: each asset reads what it reads alone (by -Identity), in far fewer InvokeCommand items.

const SIZE = 25;

/** 25 fleet mailboxes, one configured by a UPN that is no proxy address (the filter misses it, Identity resolves it), one alias, one that does not exist. */
function scenario() {
  const s = structuredClone(fleetScenario(loadScenario('healthy'), SIZE));
  s.users.fleet007!.userPrincipalName = 'f7.upn@contoso.com';
  return s;
}

function mailboxesOf(sim: RunningSimulator): string[] {
  const users = Object.values(sim.ctx.scenario.users).filter((u) => u.mailbox);
  const addresses = users.map((u) => u.mail ?? u.userPrincipalName).filter((a) => !a.startsWith('fleet007@') && !a.startsWith('fleet009@'));
  return [...addresses, 'f7.upn@contoso.com', 'fleet009', 'ghost@contoso.com'];
}

function storeFor(sim: RunningSimulator, assets: Asset[]) {
  const env = { ...sim.env };
  delete env.WXMAIL_MAILBOX;
  delete env.WXMAIL_FORWARDING_ADDRESS;
  const loaded = loadConfig({ flags: { config: sim.configFile }, env, readStdin: () => '', warn: () => undefined });
  const config: RunConfig = { ...loaded, assets };
  return new FactStore({ config, net: createNet(config, { retryBudgetMs: 3_000 }), log: pino({ level: 'silent' }), signal: new AbortController().signal });
}

async function readAll(store: FactStore, assets: Asset[]) {
  const facts: FactDefinition<unknown>[] = [exchangeMailboxFact, casMailboxFact];
  const out = await Promise.all(assets.flatMap((a) => facts.map((f) => store.outcome(f, a))));
  return out.map((o) => (o.ok ? o.value : { error: o.error.code }));
}

const invokeItems = (sim: RunningSimulator) => sim.ctx.traffic.entries().filter((e) => e.service === 'exchange' && e.what.includes('InvokeCommand'));

describe('a fleet reads Get-Mailbox and Get-CASMailbox through -Filter', () => {
  it('verdict facts equal the -Identity reads; InvokeCommand items far below 2 per mailbox', async () => {
    await withSimulator(scenario(), [], async (sim) => {
      const assets = mailboxesOf(sim).map((mailbox) => ({ mailbox }));
      expect(assets.length).toBe(SIZE + 1);
      const fleet = await readAll(storeFor(sim, assets), assets);
      const items = invokeItems(sim);
      // One filter per cmdlet for the 24 filterable addresses; the UPN (missed), the alias and the ghost by -Identity.
      expect(items.length).toBe(2 * (1 + 3));
      expect(items.length).toBeLessThan(assets.length / 2);

      const alone: unknown[] = [];
      for (const a of assets) alone.push(...(await readAll(storeFor(sim, [a]), [a])));
      expect(fleet).toEqual(alone);
      const byMailbox = Object.fromEntries(assets.map((a, i) => [a.mailbox, [fleet[2 * i], fleet[2 * i + 1]]]));
      expect(byMailbox['ghost@contoso.com']).toEqual([{ error: 'MAILBOX_NOT_FOUND' }, { error: 'MAILBOX_NOT_FOUND' }]);
      expect(byMailbox['f7.upn@contoso.com']![0]).toMatchObject({ primarySmtpAddress: 'fleet007@contoso.com', userPrincipalName: 'f7.upn@contoso.com' });
      expect(byMailbox['fleet009']![1]).toMatchObject({ primarySmtpAddress: 'fleet009@contoso.com' });
      expect(byMailbox['john@contoso.com']![0]).toMatchObject({ primarySmtpAddress: 'john@contoso.com' });
    });
  });
});
