/**
 * The remote domain that governs mail to a domain: an exact `DomainName` beats a wildcard
 * (`*.contoso.com` covers contoso.com and its subdomains), a longer wildcard beats a shorter one,
 * and `*` (the built-in Default) covers everything else.
 */
import type { RemoteDomain } from '../../../src/collect/exchange/types.js';

export function specificity(domainName: string, domain: string): number {
  const d = domain.toLowerCase();
  const pattern = domainName.trim().toLowerCase();
  if (pattern === '*') return 0;
  if (pattern === d) return 100_000 + pattern.length;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(2);
    if (d === suffix || d.endsWith(`.${suffix}`)) return 1 + suffix.length;
  }
  return -1;
}

/** The most specific remote domain for `domain`, or null when none (not even `*`) matches. */
export function matchRemoteDomain(domains: RemoteDomain[], domain: string): RemoteDomain | null {
  let best: RemoteDomain | null = null;
  let bestScore = -1;
  for (const rd of domains) {
    const s = specificity(rd.domainName, domain);
    if (s > bestScore) {
      best = rd;
      bestScore = s;
    }
  }
  return best;
}
