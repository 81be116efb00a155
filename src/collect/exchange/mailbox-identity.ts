import type { ExchangeMailbox } from './types.js';

/**
 * Every name Exchange accepts for a mailbox in a recipient list (`From`, `ExceptIfFrom`, a
 * rule's recipient filter): its identity, name, alias, display name, UPN, primary and proxy SMTP
 * addresses and its Entra object id — lower-cased, since Exchange compares them case-insensitively.
 */
export function mailboxNames(m: ExchangeMailbox, configured?: string): Set<string> {
  const names = [m.identity, m.name, m.displayName, m.alias, m.userPrincipalName, m.primarySmtpAddress, m.externalDirectoryObjectId, ...m.emailAddresses, configured];
  return new Set(names.filter((n): n is string => !!n).map((n) => n.trim().toLowerCase()));
}

/** The SMTP addresses of a mailbox (primary, proxies, UPN), lower-cased. */
export function mailboxAddresses(m: ExchangeMailbox, configured?: string): string[] {
  const all = [m.primarySmtpAddress, ...m.emailAddresses, m.userPrincipalName, configured].filter((a): a is string => !!a && a.includes('@'));
  return [...new Set(all.map((a) => a.trim().toLowerCase()))];
}

/** The domain part of an address, lower-cased. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
}
