import type { Scenario } from '../scenario/schema.js';
import { resourceApi, resourceOfIdentifier, type ResourceApi } from '../graph/resources.js';
import { AADSTS } from './errors.js';

type AadErr = ReturnType<(typeof AADSTS)[keyof typeof AADSTS]>;

export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/**
 * client_credentials: every scope must be `<resource>/.default` of ONE resource (reference A1):
 * a known resource without `/.default` → 1002012, an unknown `.default` resource → 500011,
 * anything unparseable → 70011, two resources → 700022.
 */
export function parseClientCredentialScope(scenario: Scenario, scope: string | null, tenantLabel: string): { ok: true; resource: ResourceApi } | { ok: false; error: AadErr } {
  const parts = (scope ?? '').split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: AADSTS.missingParameter('scope') };
  const found = new Map<string, ResourceApi>();
  for (const s of parts) {
    const slash = s.lastIndexOf('/');
    if (slash <= 0) return { ok: false, error: AADSTS.invalidScope(s) };
    const prefix = s.slice(0, slash);
    const perm = s.slice(slash + 1);
    const api = resourceOfIdentifier(scenario, prefix);
    if (perm !== '.default') {
      if (api) return { ok: false, error: AADSTS.scopeNotDefault(s) };
      return { ok: false, error: AADSTS.invalidScope(s) };
    }
    if (!api) return { ok: false, error: AADSTS.resourceNotFound(prefix, tenantLabel) };
    found.set(api.key, api);
  }
  if (found.size > 1) return { ok: false, error: AADSTS.multipleResources(parts.join(' ')) };
  return { ok: true, resource: [...found.values()][0]! };
}

/** Delegated (device code): OIDC scopes plus scopes of one resource; `.default` or named permissions. */
export function parseDelegatedScope(
  scenario: Scenario,
  scope: string | null,
): { ok: true; resource: ResourceApi; named: string[]; isDefault: boolean; oidc: string[] } | { ok: false; error: AadErr } {
  const parts = (scope ?? '').split(/\s+/).filter(Boolean);
  const oidc = parts.filter((p) => OIDC_SCOPES.has(p));
  const rest = parts.filter((p) => !OIDC_SCOPES.has(p));
  const found = new Map<string, ResourceApi>();
  const named: string[] = [];
  let isDefault = false;
  for (const s of rest) {
    const slash = s.lastIndexOf('/');
    // A bare permission name ("User.Read") means Microsoft Graph, as Entra treats it.
    const api = slash > 0 ? resourceOfIdentifier(scenario, s.slice(0, slash)) : resourceApi(scenario, 'graph');
    if (!api) return { ok: false, error: AADSTS.invalidScope(s) };
    const perm = slash > 0 ? s.slice(slash + 1) : s;
    if (perm === '.default') isDefault = true;
    else named.push(perm);
    found.set(api.key, api);
  }
  if (found.size > 1) return { ok: false, error: AADSTS.multipleResources(parts.join(' ')) };
  const resource = [...found.values()][0] ?? resourceApi(scenario, 'graph');
  if (found.size === 0) named.push('User.Read');
  return { ok: true, resource, named, isDefault, oidc };
}
