import type { ReportModel } from '../core/result.js';
import { mapStrings } from './sanitize.js';

/**
 * `--redact-pii`: a report a customer can hand to someone outside the company. Mailbox and
 * forwarding addresses, the tenant id and the tenant's domains are replaced by stable
 * placeholders — the same value gets the same mask everywhere in the report, so a reader can
 * still see that the forwarding address of one check is the one another check found missing.
 */

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = `(?:${LABEL}\\.)+[A-Za-z]{2,63}`;
/** `%40` too: addresses show up URL-encoded in request paths and evidence. */
const EMAIL = new RegExp(`([A-Za-z0-9._%+'-]+?)(@|%40)(${DOMAIN})(?![A-Za-z0-9-])`, 'gi');
/** Initial domains (and their mail routing subdomains) name the tenant even without an address. */
const TENANT_DOMAIN = /\b(?:[a-z0-9-]+\.)+(?:onmicrosoft\.(?:com|us|de)|onmschina\.cn)\b/gi;
const WEBEX_HOST = /\b([a-z0-9-]+)\.[a-z0-9-]+\.(?:webexconnect|imiconnect)\.(?:io|eu|com)\b/gi;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN_ONLY = new RegExp(`^${DOMAIN}$`, 'i');
/** Public, non-personal domains (Webex Connect's, Microsoft's) stay readable: they name no customer. */
const PUBLIC_DOMAIN = /(?:^|\.)(?:imiconnect\.io|webexconnect\.io|microsoftonline\.(?:com|us)|office365\.(?:com|us)|outlook\.com|microsoft\.com|graph\.microsoft\.(?:com|us)|partner\.outlook\.cn|chinacloudapi\.cn)$/;
/** Evidence keys whose GUID value is a tenant id (a token's `tid`, a lookup's `tenantId`). */
const TENANT_KEY = /^(?:tenant_?id|tid|tenant)$/i;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class Masks {
  readonly emails = new Map<string, string>();
  readonly domains = new Map<string, string>();
  readonly tenants = new Map<string, string>();

  domain(d: string): string {
    const key = d.toLowerCase();
    if (PUBLIC_DOMAIN.test(key)) return d;
    let mask = this.domains.get(key);
    if (!mask) this.domains.set(key, (mask = `domain-${this.domains.size + 1}.example`));
    return mask;
  }

  email(local: string, domain: string): string {
    const key = `${local}@${domain}`.toLowerCase();
    const domainMask = this.domain(domain);
    let localMask = this.emails.get(key);
    if (!localMask) this.emails.set(key, (localMask = `user-${this.emails.size + 1}`));
    return `${localMask}@${domainMask}`;
  }

  tenant(guid: string): string {
    const key = guid.toLowerCase();
    let mask = this.tenants.get(key);
    if (!mask) this.tenants.set(key, (mask = `tenant-${this.tenants.size + 1}`));
    return mask;
  }
}

/** Calls `visit` on every string of a JSON-like value, keys included, in document order. */
function eachString(value: unknown, visit: (s: string, key: string | null) => void, key: string | null = null): void {
  if (typeof value === 'string') visit(value, key);
  else if (Array.isArray(value)) for (const item of value) eachString(item, visit, key);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, null);
      eachString(v, visit, k);
    }
  }
}

/** First pass: number every value in order of first appearance, so masks are stable and readable. */
function collect(value: unknown, tenantId: string | null): Masks {
  const masks = new Masks();
  if (tenantId && GUID.test(tenantId)) masks.tenant(tenantId);
  else if (tenantId && DOMAIN_ONLY.test(tenantId)) masks.domain(tenantId);
  eachString(value, (s, key) => {
    // The Call Back URL's first label is the Webex Connect tenant's name (acme.us.webexconnect.io).
    for (const m of s.matchAll(WEBEX_HOST)) masks.tenant(m[1]!);
    for (const m of s.matchAll(EMAIL)) masks.email(m[1]!, m[3]!);
    for (const m of s.matchAll(TENANT_DOMAIN)) masks.domain(m[0]);
    if (key && TENANT_KEY.test(key) && GUID.test(s)) masks.tenant(s);
  });
  return masks;
}

function replacer(masks: Masks): (s: string) => string {
  const alternation = (values: Iterable<string>) =>
    [...values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  // A domain may follow a subdomain label ("mail.contoso.com") but not be part of a longer name.
  const domains = masks.domains.size
    ? new RegExp(`(?<![A-Za-z0-9-])(?:${alternation(masks.domains.keys())})(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'gi')
    : null;
  // Tenant ids and Webex tenant names (a whole word: "tenant acme, region us" too).
  const tenants = masks.tenants.size ? new RegExp(`(?<![A-Za-z0-9-])(?:${alternation(masks.tenants.keys())})(?![A-Za-z0-9-])`, 'gi') : null;
  return (s) => {
    let out = s.replace(EMAIL, (_m, local: string, at: string, domain: string) =>
      masks.email(local, domain).replace('@', at),
    );
    if (domains) out = out.replace(domains, (d) => masks.domain(d));
    if (tenants) out = out.replace(tenants, (g) => masks.tenant(g));
    return out;
  };
}

/** A copy of the report with personal and tenant-identifying values masked; the input is untouched. */
export function redactPii(model: ReportModel): ReportModel {
  return redactPiiIn(model, model.target.tenantId);
}

/** The same masking for any JSON-like value (a snapshot: its config and facts masked consistently). */
export function redactPiiIn<T>(value: T, tenantId: string | null): T {
  return mapStrings(value, replacer(collect(value, tenantId)));
}
