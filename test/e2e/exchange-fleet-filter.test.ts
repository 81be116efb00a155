import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { fleetScenario } from '../../src/simulator/scenario/fleet.js';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import { doctorJson } from '../helpers/cli.js';
import { withSimulator } from '../helpers/sim.js';

// The built CLI on a 26-mailbox fleet: Get-Mailbox / Get-CASMailbox through OPATH -Filter chunks
// give the same verdicts as when every filter is refused and each mailbox is read by -Identity.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scenario(refuseFilter: boolean) {
  const s = structuredClone(fleetScenario(loadScenario('healthy'), 25));
  s.users.fleet007!.userPrincipalName = 'f7.upn@contoso.com'; // no proxy address: the filter misses it, Identity finds it
  // One mailbox whose verdict differs (its own mailbox object: the fleet's users share the template's).
  s.users.fleet003!.mailbox = { ...s.users.fleet003!.mailbox!, smtpClientAuthenticationDisabled: true };
  s.exchange.refuseFilter = refuseFilter;
  return s;
}

/** The simulator's config with the fleet's assets: addresses, a UPN that is no proxy address, and a mailbox that does not exist. */
function fleetTarget(sim: RunningSimulator) {
  const config = parse(readFileSync(sim.configFile, 'utf8')) as { assets: { mailbox: string; forwardingAddress?: string }[] };
  const forwardingAddress = config.assets[0]!.forwardingAddress;
  const mailboxes = config.assets.map((a) => a.mailbox).filter((m) => !/^fleet007@/.test(m));
  config.assets = [...mailboxes, 'f7.upn@contoso.com', 'ghost@contoso.com'].map((mailbox) => ({ mailbox, ...(forwardingAddress ? { forwardingAddress } : {}) }));
  const dir = mkdtempSync(join(tmpdir(), 'wxmail-fleet-'));
  dirs.push(dir);
  const configFile = join(dir, 'wxmail.yaml');
  writeFileSync(configFile, stringify(config));
  const env = { ...sim.env };
  delete env.WXMAIL_MAILBOX;
  delete env.WXMAIL_FORWARDING_ADDRESS;
  return { configFile, env, count: config.assets.length };
}

async function run(refuseFilter: boolean) {
  return withSimulator(scenario(refuseFilter), [], async (sim) => {
    const target = fleetTarget(sim);
    const { report } = await doctorJson(target, [], {}, { cli: true });
    const items = sim.ctx.traffic.entries().filter((e) => e.service === 'exchange' && /Get-(CAS)?Mailbox$/.test(e.what));
    // The summary of an Exchange check too (others name this run's ports and clock).
    const verdicts = report.checks.map((c) => `${c.asset ?? '-'} ${c.id} ${c.status} ${c.code ?? ''}${c.id.startsWith('exchange.') ? ` ${c.summary}` : ''}`).sort();
    return { verdicts, mailboxItems: items.length, count: target.count };
  });
}

describe('a fleet through -Filter (built CLI)', () => {
  it('same verdicts as -Identity reads, with far fewer Get-Mailbox / Get-CASMailbox calls', async () => {
    const filtered = await run(false);
    const refused = await run(true);
    expect(filtered.count).toBe(26);
    // 2 filters + 2 × 2 by -Identity (the UPN, the ghost), against 2 refused filters + 26 × 2.
    expect(filtered.mailboxItems).toBe(6);
    expect(refused.mailboxItems).toBe(2 + 2 * 26);
    expect(filtered.verdicts).toEqual(refused.verdicts);
    const line = (asset: string, id: string) => filtered.verdicts.filter((v) => v.startsWith(`${asset} ${id} `));
    expect(filtered.verdicts.some((v) => v.startsWith('ghost@contoso.com ') && v.includes('MAILBOX_NOT_FOUND'))).toBe(true);
    // The mailbox the filter missed was still found by -Identity, one it found is read from its row.
    for (const asset of ['f7.upn@contoso.com', 'fleet009@contoso.com']) expect(line(asset, 'exchange.smtp-auth')).toEqual([expect.stringMatching(/ exchange\.smtp-auth pass /)]);
    expect(line('fleet003@contoso.com', 'exchange.smtp-auth')).toEqual([expect.not.stringMatching(/ pass /)]);
  }, 180_000);
});
