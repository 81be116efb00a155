import type { Scenario } from './schema.js';

/**
 * A fleet: the scenario with `size` assets in one tenant, for the bench and fleet tests. The first
 * asset's user is copied `size - 1` times (fleet002@…, fleet003@… in its mail domain, with
 * GUIDs derived from the index), each with the same mailbox settings and an asset of its own;
 * outbound spam rules that name the first mailbox in `from` name every copy too, so the fleet is
 * as healthy (or as broken) as the first asset.
 */
export function fleetScenario(base: Scenario, size: number): Scenario {
  const first = base.doctor.assets[0];
  const template = first ? base.users[first.user] : undefined;
  if (!first || !template || size <= 1) return base;
  const address = template.mail ?? template.userPrincipalName;
  const domain = address.split('@')[1]!;
  const users = { ...base.users };
  const assets = [...base.doctor.assets];
  const added: string[] = [];
  for (let i = 2; i <= size; i++) {
    const key = `fleet${String(i).padStart(3, '0')}`;
    const mail = `${key}@${domain}`;
    users[key] = { ...template, id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, userPrincipalName: mail, displayName: `Fleet ${i}`, mail };
    assets.push({ ...first, user: key });
    added.push(mail);
  }
  const named = (list: string[]) => list.some((a) => a.toLowerCase() === address.toLowerCase());
  const outboundSpamRules = Object.fromEntries(
    Object.entries(base.exchange.outboundSpamRules).map(([name, rule]) => [name, named(rule.from) ? { ...rule, from: [...rule.from, ...added] } : rule]),
  );
  return {
    ...base,
    name: `${base.name} ×${size}`,
    users,
    exchange: { ...base.exchange, outboundSpamRules },
    doctor: { ...base.doctor, assets },
  };
}
