/**
 * Webex Connect tenant host names and the region each one names (reference/microsoft-365.md G25
 * [V]: Cisco "Know your API endpoints" and developer.webex.com "Webex Connect API endpoints and
 * regions", https://developer.webex.com/docs/webex-connect-api-endpoints-and-regions).
 *
 * - Current: `<tenant>.<region>.webexconnect.io`, region one of us, us1, eu, uk, ca, in, au, sg.
 *   Japan-hosted tenants use the `au` hosts.
 * - Legacy hosts that "will continue to work for existing tenants": `<tenant>.imiconnect.eu` (the
 *   UK data centre), `.imiconnect.ca`, `.imiconnect.us`, `.imiconnect.in`, `.imiconnect.com`,
 *   `.imiconnect.io`; auth hosts also `.imiconnect.com.au`.
 */

/** Region labels of the current hosts (G25 [V]). */
export const WEBEX_REGIONS: readonly string[] = ['us', 'us1', 'eu', 'uk', 'ca', 'in', 'au', 'sg'];

export const WEBEX_DOMAIN = 'webexconnect.io';

export interface LegacyDomain {
  /** The registrable domain, e.g. `imiconnect.eu`. */
  domain: string;
  /** The current region it corresponds to, or null where Cisco's page names none. */
  region: string | null;
  /** Why the region is what it is (shown in details). */
  source: string;
}

/**
 * Longest first, so `imiconnect.com.au` wins over `imiconnect.com`. `.imiconnect.com` and
 * `.imiconnect.io` name no region on Cisco's page: the tool cannot tell theirs and says so.
 */
export const LEGACY_DOMAINS: readonly LegacyDomain[] = [
  { domain: 'imiconnect.com.au', region: 'au', source: 'imiconnect.com.au is the legacy Sydney (au) domain' },
  { domain: 'imiconnect.eu', region: 'uk', source: 'imiconnect.eu is the legacy domain of the UK data centre (Cisco: "imiconnect.eu (UK)")' },
  { domain: 'imiconnect.ca', region: 'ca', source: 'imiconnect.ca is the legacy Canada domain' },
  { domain: 'imiconnect.us', region: 'us', source: 'imiconnect.us is a legacy US domain' },
  { domain: 'imiconnect.in', region: 'in', source: 'imiconnect.in is the legacy India domain' },
  { domain: 'imiconnect.com', region: null, source: "Cisco's list of legacy hosts names no region for imiconnect.com" },
  { domain: 'imiconnect.io', region: null, source: "Cisco's list of legacy hosts names no region for imiconnect.io" },
];

/** The legacy domain a host ends in (`<label>.imiconnect.eu` …), or null. */
export function legacyDomainOf(host: string): LegacyDomain | null {
  return LEGACY_DOMAINS.find((d) => host === d.domain || host.endsWith(`.${d.domain}`)) ?? null;
}

/**
 * The labels that name a region in Webex Connect host names. Legacy `imiconnect.eu` is the UK
 * data centre, so an imiconnect-era `eu` label (e.g. a forwarding domain `mail-eu.imiconnect.io`)
 * may name the UK region too: both count as the same region for a legacy `.eu` callback.
 * `us1` is a second US environment: which forwarding domain it gets has no source, so it counts
 * as `us`.
 */
export function regionLabels(region: string, legacy: LegacyDomain | null): string[] {
  const base = region.toLowerCase().replace(/\d+$/, '');
  const labels = new Set([region.toLowerCase(), base]);
  if (legacy?.domain === 'imiconnect.eu') labels.add('eu');
  return [...labels];
}
