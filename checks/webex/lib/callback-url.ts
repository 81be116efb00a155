import { legacyDomainOf, WEBEX_DOMAIN, WEBEX_REGIONS, type LegacyDomain } from './hosts.js';

/**
 * What a Webex Connect "Call Back URL" looks like. The host names are Cisco's (G25 [V], see
 * ./hosts.ts); the `/callback` path and the host forms below come from observed examples
 * (reference/microsoft-365.md E3 [O]: Cisco lab guides, the setup guide's screenshot).
 *
 * - `https://<tenant>.<region>.webexconnect.io/callback` — the Email app (the setup guide, step 1).
 * - `https://<tenant>.imiconnect.{eu,ca,us,in,com,io,com.au}/callback` — legacy hosts that still
 *   work for existing tenants (G25 [V]); e.g. `cl1pod12.imiconnect.io`. A region is read from
 *   all but `.imiconnect.com` and `.imiconnect.io`.
 * - `https://oauth.<tenant>.<region>.webexconnect.io/callback` — third-party notes citing Webex
 *   help [O, NOT VERIFIED]; names a tenant and region, accepted with a note.
 * - `https://oauth.us.webexconnect.io/callback`, legacy `https://oauthus.imiconnect.io/callback` —
 *   the shared callback of integrations / custom nodes, not the Email app's tenant URL: a near miss.
 */

/** Region labels of Webex Connect hosts (G25 [V]); others are accepted with a note. */
export const OBSERVED_REGIONS: readonly string[] = WEBEX_REGIONS;

export const CALLBACK_PATH = '/callback';

export type CallbackPattern = 'tenant' | 'oauth-tenant' | 'legacy-tenant' | 'shared-oauth' | 'legacy-shared-oauth';

export type CallbackUrlAnalysis =
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'recognized' | 'unrecognized';
      /** The URL as parsed (host lower-cased). */
      url: string;
      host: string;
      /** Which known host form matched, or null. */
      pattern: CallbackPattern | null;
      tenant: string | null;
      /** Region read from the host, where it names one (a legacy host's region per G25). */
      region: string | null;
      /** The legacy domain (imiconnect.*) the host is in, or null for webexconnect.io and others. */
      legacy: LegacyDomain | null;
      /** For 'unrecognized': the nearest difference to a known form, one sentence. */
      nearMiss: string | null;
      /** Remarks that change nothing about the verdict. */
      notes: string[];
    };

interface HostMatch {
  pattern: CallbackPattern | null;
  legacy: LegacyDomain | null;
  tenant: string | null;
  region: string | null;
  /** Why the host itself is a near miss (null when the host is a known Email-app form). */
  nearMiss: string | null;
  notes: string[];
}

const WEBEX = WEBEX_DOMAIN;

export function analyzeCallbackUrl(raw: string): CallbackUrlAnalysis {
  const value = raw.trim();
  if (value === '') return { kind: 'invalid', reason: 'The Call Back URL is empty.' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const hint = /^[a-z0-9.-]+\.[a-z]{2,}(?:[/:]|$)/i.test(value) ? ` It has no scheme; Webex Connect shows it as https://${value}.` : '';
    return { kind: 'invalid', reason: `"${value}" is not a URL.${hint}` };
  }
  if (url.protocol !== 'https:') {
    const http = url.protocol === 'http:' ? ' Webex Connect shows an https URL, and Microsoft Entra accepts http redirect URIs only for localhost.' : '';
    return { kind: 'invalid', reason: `"${value}" uses ${url.protocol.slice(0, -1)}, not https.${http}` };
  }
  if (url.hostname === '') return { kind: 'invalid', reason: `"${value}" has no host.` };

  const notes: string[] = [];
  if (value !== raw) notes.push('The value has spaces around it; copy it without them, also into the redirect URI in Azure.');
  const host = url.hostname.toLowerCase();
  const hostMatch = matchHost(host);
  notes.push(...hostMatch.notes);
  const hostMiss = hostMatch.nearMiss ?? (hostMatch.pattern === null ? `The host ${host} is not a Webex Connect callback host.` : null);
  const nearMisses = [hostMiss, ...pathAndExtras(url)].filter((m): m is string => m !== null);
  // Credentials in a URL are never echoed back (evidence ends up in reports and tickets).
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  const base = {
    url: shown.href,
    host,
    pattern: hostMatch.pattern,
    tenant: hostMatch.tenant,
    region: hostMatch.region,
    legacy: hostMatch.legacy,
    notes,
  };
  if (nearMisses.length === 0) return { kind: 'recognized', ...base, nearMiss: null };
  return { kind: 'unrecognized', ...base, nearMiss: nearMisses.join(' ') };
}

function matchHost(host: string): HostMatch {
  const none: HostMatch = { pattern: null, legacy: null, tenant: null, region: null, nearMiss: null, notes: [] };
  const legacy = legacyDomainOf(host);
  if (host === WEBEX || (legacy && host === legacy.domain)) {
    return { ...none, nearMiss: `The host ${host} has no tenant label; Webex Connect shows https://<tenant>.<region>.${WEBEX}/callback.` };
  }
  if (host.endsWith(`.${WEBEX}`)) {
    const labels = host.slice(0, -WEBEX.length - 1).split('.');
    if (labels.length === 1) {
      const t = labels[0]!;
      return {
        ...none,
        tenant: t,
        nearMiss: `The host ${host} has no region label; Webex Connect shows https://${t}.<region>.${WEBEX}/callback (for example ${t}.us.${WEBEX}).`,
      };
    }
    if (labels.length === 2 && labels[0] === 'oauth') {
      const region = labels[1]!;
      return {
        ...none,
        pattern: 'shared-oauth',
        region,
        nearMiss: `${host} is the shared OAuth callback of Webex Connect integrations and custom nodes, not the tenant's Email app URL the setup guide shows (https://<tenant>.${region}.${WEBEX}/callback).`,
      };
    }
    if (labels.length === 2) {
      const [tenant, region] = labels as [string, string];
      return { ...none, pattern: 'tenant', tenant, region, notes: regionNote(region) };
    }
    if (labels.length === 3 && labels[0] === 'oauth') {
      const [, tenant, region] = labels as [string, string, string];
      return {
        ...none,
        pattern: 'oauth-tenant',
        tenant,
        region,
        notes: [
          `The form oauth.<tenant>.<region>.${WEBEX} comes from third-party notes on Webex Connect OAuth, not from a Cisco document; the Email app in the setup guide shows https://${tenant}.${region}.${WEBEX}/callback. It is fine if it is exactly what the Email app shows.`,
          ...regionNote(region),
        ],
      };
    }
    return { ...none, nearMiss: `The host ${host} has more labels than <tenant>.<region>.${WEBEX}.` };
  }
  if (legacy) {
    const labels = host.slice(0, -legacy.domain.length - 1).split('.');
    const label = labels[0]!;
    if (labels.length !== 1) return { ...none, nearMiss: `The host ${host} has more labels than the legacy <tenant>.${legacy.domain}.` };
    const shared = /^oauth([a-z]{2}\d*)$/.exec(label);
    if (shared) {
      return {
        ...none,
        pattern: 'legacy-shared-oauth',
        legacy,
        region: shared[1]!,
        nearMiss: `${host} is the legacy shared OAuth callback of integrations and custom nodes, not the tenant's Email app URL (https://<tenant>.<region>.${WEBEX}/callback, or legacy https://<tenant>.${legacy.domain}/callback).`,
      };
    }
    if (/^mail-/.test(label)) {
      return { ...none, nearMiss: `${host} is the domain of the Forwarding Address, not of the Call Back URL.` };
    }
    // A legacy host is a valid Email-app host for an existing tenant (G25 [V]), not a typo.
    const where = legacy.region
      ? `region ${legacy.region}: ${legacy.source}`
      : `${legacy.source}, so the tool cannot tell this tenant's region from the host`;
    return {
      ...none,
      pattern: 'legacy-tenant',
      legacy,
      tenant: label,
      region: legacy.region,
      notes: [`${host} is a legacy Webex Connect host that still works for existing tenants (Cisco, "Webex Connect API endpoints and regions"); ${where}.`],
    };
  }
  const typo = /(?:^|\.)(webexconnect|imiconnect)\.([a-z]+)$/.exec(host);
  if (typo) {
    const known = typo[1] === 'webexconnect' ? `${WEBEX}` : `${WEBEX} (or a legacy imiconnect domain: .eu, .ca, .us, .in, .com, .io, .com.au)`;
    return { ...none, nearMiss: `The host ${host} ends in ${typo[1]}.${typo[2]}; Webex Connect hosts end in ${known}.` };
  }
  return none;
}

function regionNote(region: string): string[] {
  if (region === 'jp') return ['Cisco\'s hosts have no jp region: Japan-hosted tenants use the au hosts (G25). It is fine if it is exactly what the Email app shows.'];
  return OBSERVED_REGIONS.includes(region)
    ? []
    : [`The region label "${region}" is not one of Cisco's regions (${OBSERVED_REGIONS.join(', ')}). It is fine if it is exactly what the Email app shows.`];
}

/** Differences in everything but the host; empty when path and the rest are exactly right. */
function pathAndExtras(url: URL): string[] {
  const out: string[] = [];
  const path = url.pathname;
  if (path !== CALLBACK_PATH) {
    if (path === `${CALLBACK_PATH}/`) out.push('The path ends in a slash (/callback/); Webex Connect shows …/callback without one, and the redirect URI in Azure must match it exactly.');
    else if (path.toLowerCase() === CALLBACK_PATH) out.push(`The path is ${path}; Webex Connect shows /callback, and Microsoft Entra compares redirect URI paths case-sensitively.`);
    else if (path === '/') out.push('The URL has no path; Webex Connect shows …/callback.');
    else out.push(`The path is ${path}; Webex Connect shows /callback.`);
  }
  if (url.port !== '') out.push(`The URL names port ${url.port}; Webex Connect shows none.`);
  if (url.username !== '' || url.password !== '') out.push('The URL carries a user name or password; Webex Connect shows none.');
  if (url.search !== '') out.push(`The URL has a query (${url.search}); Webex Connect shows none.`);
  if (url.hash !== '') out.push(`The URL has a fragment (${url.hash}); Webex Connect shows none.`);
  return out;
}
