import type { Scenario } from '../scenario/schema.js';
import { GUID_RE } from '../http/ids.js';

const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export type TenantLookup = { ok: true; tenantId: string } | { ok: false; code: 90002 | 900023; segment: string };

/**
 * The `{tenant}` path segment of a login URL: the tenant GUID or any verified domain (case-
 * insensitive). Shaped like a GUID or DNS name but unknown → AADSTS90002; neither → AADSTS900023.
 */
export function resolveTenant(scenario: Scenario, segment: string): TenantLookup {
  const s = segment.trim();
  if (s.toLowerCase() === scenario.tenant.id.toLowerCase()) return { ok: true, tenantId: scenario.tenant.id };
  if (scenario.tenant.domains.some((d) => d.toLowerCase() === s.toLowerCase())) return { ok: true, tenantId: scenario.tenant.id };
  if (GUID_RE.test(s) || DNS_NAME.test(s)) return { ok: false, code: 90002, segment: s };
  return { ok: false, code: 900023, segment: s };
}
