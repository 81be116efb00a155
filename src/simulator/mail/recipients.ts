import type { Scenario, ScenarioUser } from '../scenario/schema.js';
import { domainOf } from './mime.js';

/** Where an address lands, as Exchange Online's recipient resolution would decide. */
export type ResolvedRecipient =
  | { kind: 'mailbox'; userKey: string; user: ScenarioUser; address: string }
  | { kind: 'group'; groupKey: string; members: string[] }
  | { kind: 'external'; address: string }
  /** An address in an accepted domain that no recipient owns (Exchange: RecipientNotFound). */
  | { kind: 'unknown'; address: string };

export function isTenantDomain(scenario: Scenario, domain: string): boolean {
  return scenario.tenant.domains.some((d) => d.toLowerCase() === domain.toLowerCase());
}

/** The address a mailbox's inbox is stored under: its primary SMTP address (mail, else UPN). */
export function mailboxAddress(user: ScenarioUser): string {
  return (user.mail ?? user.userPrincipalName).toLowerCase();
}

/** Every address that reaches the user: mail, UPN, and their local parts at each accepted domain (Exchange stamps an alias per accepted domain, e.g. the *.onmicrosoft.com one). */
export function userAddresses(scenario: Scenario, user: ScenarioUser): string[] {
  const primary = [user.mail, user.userPrincipalName].filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase());
  const locals = new Set(primary.map((a) => a.slice(0, a.lastIndexOf('@'))));
  const aliases = [...locals].flatMap((l) => scenario.tenant.domains.map((d) => `${l}@${d.toLowerCase()}`));
  return [...new Set([...primary, ...aliases])];
}

export function findUserByAddress(scenario: Scenario, address: string): [string, ScenarioUser] | undefined {
  const a = address.trim().toLowerCase();
  const entries = Object.entries(scenario.users);
  // Exact primary addresses first, so an alias never shadows another user's primary address.
  return (
    entries.find(([, u]) => u.mail?.toLowerCase() === a || u.userPrincipalName.toLowerCase() === a) ??
    entries.find(([, u]) => userAddresses(scenario, u).includes(a))
  );
}

export function resolveRecipient(scenario: Scenario, address: string): ResolvedRecipient {
  const a = address.trim().replace(/^smtp:/i, '').toLowerCase();
  const found = findUserByAddress(scenario, a);
  if (found?.[1].mailbox) return { kind: 'mailbox', userKey: found[0], user: found[1], address: mailboxAddress(found[1]) };
  const group = Object.entries(scenario.groups).find(([, g]) => g.mail?.toLowerCase() === a);
  if (group) {
    const members = Object.entries(scenario.users)
      .filter(([, u]) => u.memberOf.includes(group[0]))
      .map(([k]) => k);
    return { kind: 'group', groupKey: group[0], members };
  }
  if (isTenantDomain(scenario, domainOf(a))) return { kind: 'unknown', address: a };
  return { kind: 'external', address: a };
}

/**
 * Get-Mailbox ForwardingAddress names a recipient, not necessarily an address: accept a user key,
 * an address, or a display name (as `-ForwardingAddress` accepts any recipient identity).
 */
export function resolveRecipientIdentity(scenario: Scenario, identity: string): ResolvedRecipient {
  const contact = findMailContact(scenario, identity);
  if (contact) return resolveRecipient(scenario, contact[1].externalEmailAddress);
  const byKey = scenario.users[identity];
  if (byKey?.mailbox) return { kind: 'mailbox', userKey: identity, user: byKey, address: mailboxAddress(byKey) };
  if (identity.includes('@')) return resolveRecipient(scenario, identity);
  const byName = Object.entries(scenario.users).find(([, u]) => u.displayName.toLowerCase() === identity.toLowerCase());
  if (byName?.[1].mailbox) return { kind: 'mailbox', userKey: byName[0], user: byName[1], address: mailboxAddress(byName[1]) };
  return { kind: 'unknown', address: identity };
}

/** A mail contact by Name, alias or display name (any recipient identity `-ForwardingAddress` takes). */
export function findMailContact(scenario: Scenario, identity: string): [string, NonNullable<Scenario['exchange']['mailContacts']>[string]] | undefined {
  const id = identity.trim().toLowerCase();
  return Object.entries(scenario.exchange.mailContacts ?? {}).find(([name, c]) => [name, c.alias, c.displayName].some((v) => v?.toLowerCase() === id));
}

/** Group keys a user belongs to, plus each group's id and mail, for rule conditions that name groups any of these ways. */
export function groupIdentities(scenario: Scenario, user: ScenarioUser): Set<string> {
  const out = new Set<string>();
  for (const key of user.memberOf) {
    out.add(key.toLowerCase());
    const g = scenario.groups[key];
    if (!g) continue;
    out.add(g.id.toLowerCase());
    if (g.mail) out.add(g.mail.toLowerCase());
    out.add(g.displayName.toLowerCase());
  }
  return out;
}
