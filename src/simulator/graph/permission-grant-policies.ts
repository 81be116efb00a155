import type { SimContext } from '../context.js';
import type { ScenarioPermissionGrantPolicy } from '../scenario/schema.js';
import { opaqueId } from './directory.js';
import { RESOURCE_APP_IDS, scopeId } from './resources.js';

type Obj = Record<string, unknown>;

/**
 * `GET /policies/permissionGrantPolicies/{id}` (G4 [V]: includes/excludes condition sets;
 * Policy.Read.PermissionGrant or Policy.Read.All). The built-in user-consent policies are
 * served with the content Microsoft documents or that was observed:
 * - microsoft-user-default-recommended [O] (public tenant dumps, MC1097272): delegated permissions
 *   of Microsoft Graph, only openid, profile, email, offline_access, User.Read, verified publishers only.
 * - microsoft-user-default-legacy [I] (ENTRA configure-user-consent: "any permission that doesn't
 *   require admin consent, for any application").
 * - microsoft-user-default-low [I] (same page: verified publishers or apps registered in this
 *   tenant, permissions classified low); the real policy cannot name a tenant, the simulator models
 *   "registered in your tenant" with this tenant's id.
 */
export function builtInPolicies(ctx: SimContext): Record<string, ScenarioPermissionGrantPolicy> {
  type Set = ScenarioPermissionGrantPolicy['includes'][number];
  const any: Set = { permissionType: 'delegated', permissionClassification: 'all', resource: 'any', permissions: ['all'], clientApplicationIds: ['all'], clientApplicationTenantIds: ['all'], clientApplicationPublisherIds: ['all'], clientApplicationsFromVerifiedPublisherOnly: false };
  const low: Set = { ...any, permissionType: 'delegatedUserConsentable', permissionClassification: 'low' };
  return {
    'microsoft-user-default-recommended': {
      displayName: 'Microsoft managed user consent policy',
      includes: [{ ...any, resource: 'graph', permissions: ['openid', 'profile', 'email', 'offline_access', 'User.Read'], clientApplicationsFromVerifiedPublisherOnly: true }],
      excludes: [],
    },
    'microsoft-user-default-legacy': {
      displayName: 'Default policy for user consent to apps',
      includes: [{ ...any, permissionType: 'delegatedUserConsentable' }],
      excludes: [],
    },
    'microsoft-user-default-low': {
      displayName: 'Default policy for user consent to apps (low impact)',
      includes: [
        { ...low, clientApplicationsFromVerifiedPublisherOnly: true },
        { ...low, clientApplicationTenantIds: [ctx.scenario.tenant.id] },
      ],
      excludes: [],
    },
  };
}

/** Every policy id of the tenant: the built-in ones and the scenario's own. */
export function permissionGrantPolicyIds(ctx: SimContext): string[] {
  return Object.keys({ ...builtInPolicies(ctx), ...(ctx.scenario.tenant.permissionGrantPolicies ?? {}) });
}

/** The policy as Graph returns it, or undefined (404). Ids compare case-insensitively [I]. */
export function permissionGrantPolicyObject(ctx: SimContext, id: string): Obj | undefined {
  const all = { ...builtInPolicies(ctx), ...(ctx.scenario.tenant.permissionGrantPolicies ?? {}) };
  const hit = Object.entries(all).find(([k]) => k.toLowerCase() === id.toLowerCase());
  if (!hit) return undefined;
  const [key, p] = hit;
  const sets = (list: ScenarioPermissionGrantPolicy['includes'], kind: string) =>
    list.map((c, i) => ({
      id: opaqueId(`${key}:${kind}:${i}`),
      permissionClassification: c.permissionClassification,
      permissionType: c.permissionType,
      resourceApplication: c.resource === 'any' ? 'any' : RESOURCE_APP_IDS[c.resource],
      permissions: c.permissions.some((x) => x.toLowerCase() === 'all') || c.resource === 'any' ? c.permissions : c.permissions.map((n) => scopeId(c.resource as 'exchange' | 'graph', n)),
      clientApplicationIds: c.clientApplicationIds,
      clientApplicationTenantIds: c.clientApplicationTenantIds,
      clientApplicationPublisherIds: c.clientApplicationPublisherIds,
      clientApplicationsFromVerifiedPublisherOnly: c.clientApplicationsFromVerifiedPublisherOnly,
      certifiedClientApplicationsOnly: false,
    }));
  return {
    id: key,
    deletedDateTime: null,
    description: p.displayName ?? key,
    displayName: p.displayName ?? key,
    includes: sets(p.includes, 'includes'),
    excludes: sets(p.excludes, 'excludes'),
  };
}

/** delegatedPermissionClassifications of the Microsoft Graph resource SP (C5b): offline_access lives there. */
export function graphClassifications(ctx: SimContext): Obj[] {
  return Object.entries(ctx.scenario.tenant.graphPermissionClassifications ?? {}).map(([name, classification]) => ({
    id: opaqueId(`classification:graph:${name}`),
    classification,
    permissionId: scopeId('graph', name),
    permissionName: name,
  }));
}
