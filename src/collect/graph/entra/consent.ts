import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { asArray, asString } from './odata.js';
import type { CollectContext } from '../../../core/fact.js';
import { FactError } from '../../../core/fact-error.js';
import { odataKey } from './odata.js';
import {
  EXCHANGE_APP_ID,
  GRAPH_APP_ID,
  type AppRoleAssignment,
  type AssignedConsentPolicy,
  type DelegatedPermissionGrant,
  type PermissionClassification,
  type PermissionGrantConditionSet,
} from './types.js';

/** The Webex app's service principal, addressed by its appId. */
function webexSpPath(ctx: CollectContext): string {
  const clientId = ctx.config.clientId?.trim();
  if (!clientId) throw new FactError('INPUT_MISSING', 'No client ID configured (--client-id / WXMAIL_CLIENT_ID).');
  return `/servicePrincipals(appId='${odataKey(clientId)}')`;
}

/**
 * Admin-consented application permissions of the Webex app: its service principal's
 * appRoleAssignments (C3 [V]: consent ⇔ an assignment to the resource SP with the role id).
 * Empty when the app has no service principal.
 */
export const appRoleAssignmentsFact = defineFact<AppRoleAssignment[]>({
  id: 'entra.app-role-assignments',
  scope: 'tenant',
  async collect(ctx) {
    // Addressed by appId (Graph: "either its id or appId"), so this read does not wait for the
    // service principal's; no service principal (404) means nothing was consented.
    const body = await graphGet<{ value: Record<string, unknown>[] } | null>(ctx, `${webexSpPath(ctx)}/appRoleAssignments`, {
      permission: 'Application.Read.All',
      allPages: true,
      notFound: 'null',
    });
    return asArray<Record<string, unknown>>(body?.value).map((a) => ({
      id: asString(a.id) ?? '',
      appRoleId: asString(a.appRoleId) ?? '',
      resourceId: asString(a.resourceId) ?? '',
      resourceDisplayName: asString(a.resourceDisplayName),
      principalId: asString(a.principalId) ?? '',
      principalType: asString(a.principalType),
      createdDateTime: asString(a.createdDateTime),
    }));
  },
});

/**
 * Delegated consent given to the Webex app (C3 [V]): AllPrincipals = an admin for everyone.
 * `GET /servicePrincipals(appId='…')/oauth2PermissionGrants` (Graph docs
 * serviceprincipal-list-oauth2permissiongrants): least privilege Directory.Read.All.
 */
export const delegatedGrantsFact = defineFact<DelegatedPermissionGrant[]>({
  id: 'entra.delegated-grants',
  scope: 'tenant',
  async collect(ctx) {
    const body = await graphGet<{ value: Record<string, unknown>[] } | null>(ctx, `${webexSpPath(ctx)}/oauth2PermissionGrants`, {
      permission: 'Directory.Read.All',
      allPages: true,
      notFound: 'null',
    });
    return asArray<Record<string, unknown>>(body?.value).map((g) => ({
      id: asString(g.id) ?? '',
      clientId: asString(g.clientId) ?? '',
      consentType: asString(g.consentType) ?? '',
      principalId: asString(g.principalId),
      resourceId: asString(g.resourceId) ?? '',
      scope: asString(g.scope) ?? '',
    }));
  },
});

export interface ConsentPolicy {
  /** authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned, as Graph spells them. */
  permissionGrantPoliciesAssigned: string[];
  /** Each `ManagePermissionGrantsForSelf.*` policy, read from `/policies/permissionGrantPolicies/{id}` (G4), or why not. */
  policies: AssignedConsentPolicy[];
  /**
   * Delegated-permission classifications of Exchange Online and Microsoft Graph, read only when a
   * policy's condition (or the name-based fallback for the low-impact policy) depends on them (C5b); else null.
   */
  classifications: { exchange: PermissionClassification[]; graph: PermissionClassification[] } | null;
  /** Microsoft Graph's service principal id (offline_access grants are on it); null when not read. */
  graphSpId: string | null;
}

export const LOW_IMPACT_POLICY = 'microsoft-user-default-low';

/** Policy ids of `ManagePermissionGrantsForSelf.*` entries, lower-cased (C5: compare case-insensitively). */
export function selfConsentPolicies(assigned: string[]): string[] {
  return selfConsentPolicyIds(assigned).map((a) => a.toLowerCase());
}

/** The same, in the spelling Graph gave (a policy id is read with it). */
function selfConsentPolicyIds(assigned: string[]): string[] {
  const prefix = 'managepermissiongrantsforself.';
  return assigned.filter((a) => a.toLowerCase().startsWith(prefix)).map((a) => a.slice(prefix.length));
}

/** Graph's documented defaults for a condition set property that is absent (G4 [V]). */
function conditionSet(raw: Record<string, unknown>): PermissionGrantConditionSet {
  const list = (v: unknown, dflt: string[]) => {
    const a = asArray<string>(v).filter((x) => typeof x === 'string');
    return a.length ? a : dflt;
  };
  return {
    id: asString(raw.id) ?? '',
    permissionType: asString(raw.permissionType),
    permissionClassification: asString(raw.permissionClassification) ?? 'all',
    resourceApplication: asString(raw.resourceApplication) ?? 'any',
    permissions: list(raw.permissions, ['all']),
    clientApplicationIds: list(raw.clientApplicationIds, ['all']),
    clientApplicationTenantIds: list(raw.clientApplicationTenantIds, ['all']),
    clientApplicationPublisherIds: list(raw.clientApplicationPublisherIds, ['all']),
    clientApplicationsFromVerifiedPublisherOnly: raw.clientApplicationsFromVerifiedPublisherOnly === true,
    certifiedClientApplicationsOnly: raw.certifiedClientApplicationsOnly === true,
  };
}

/** A policy object as Graph returns it (includes/excludes expanded), or null when they are absent. */
function policyOf(raw: Record<string, unknown>, id: string): AssignedConsentPolicy['policy'] {
  if (!Array.isArray(raw.includes) || !Array.isArray(raw.excludes)) return null;
  return {
    id: asString(raw.id) ?? id,
    displayName: asString(raw.displayName),
    includes: asArray<Record<string, unknown>>(raw.includes).map(conditionSet),
    excludes: asArray<Record<string, unknown>>(raw.excludes).map(conditionSet),
  };
}

/** A permission failure is "cannot read the policy"; transport failures end the fact as they are. */
function isUnreadable(err: unknown): err is FactError {
  return err instanceof FactError && (err.code === 'MISSING_PERMISSION' || err.code === 'UNEXPECTED_RESPONSE');
}

function unreadable(err: unknown, id: string): AssignedConsentPolicy {
  if (!isUnreadable(err)) throw err;
  return { id, policy: null, error: { code: err.code, message: err.message, permission: err.permission?.name ?? null } };
}

async function readPolicy(ctx: CollectContext, id: string): Promise<AssignedConsentPolicy> {
  try {
    // Least privilege Policy.Read.PermissionGrant; Policy.Read.All also works (G4 [V]).
    const raw = await graphGet<Record<string, unknown> | null>(ctx, `/policies/permissionGrantPolicies/${encodeURIComponent(id)}`, {
      permission: 'Policy.Read.PermissionGrant',
      notFound: 'null',
    });
    if (!raw) return { id, policy: null, error: { code: 'NOT_FOUND', message: `Microsoft Graph has no permission grant policy ${id} (HTTP 404).`, permission: null } };
    return {
      id,
      policy: policyOf(raw, id) ?? { id: asString(raw.id) ?? id, displayName: asString(raw.displayName), includes: [], excludes: [] },
      error: null,
    };
  } catch (err) {
    return unreadable(err, id);
  }
}

/**
 * Every permission grant policy of the tenant, read in the same round trip as the authorization
 * policy instead of after it (issue 9): `GET /policies/permissionGrantPolicies` returns each policy
 * with its includes and excludes expanded (G4 [V]: Graph docs permissiongrantpolicy-list, whose
 * example response carries both; "automatically expanded on GET" in the Graph PowerShell reference).
 * An assigned policy missing from the list's first page, or listed without its condition sets, is
 * read on its own; so is every assigned policy when the list is refused or unreadable.
 */
async function policiesFor(ctx: CollectContext, ids: string[], listed: Promise<Record<string, unknown>[]>): Promise<AssignedConsentPolicy[]> {
  let all: Record<string, unknown>[];
  try {
    all = await listed;
  } catch (err) {
    // The list's permissions are documented apart from the single read's (which G4 verified with
    // Policy.Read.All too): a refused or unreadable list falls back to reading each policy by id.
    if (!isUnreadable(err)) throw err;
    all = [];
  }
  return Promise.all(
    ids.map((id) => {
      const raw = all.find((p) => asString(p.id)?.toLowerCase() === id.toLowerCase());
      const policy = raw ? policyOf(raw, id) : null;
      return policy ? { id, policy, error: null } : readPolicy(ctx, id);
    }),
  );
}

/** Does the evaluation need permission classifications? (a condition on them, or the low policy by name) */
function needsClassifications(policies: AssignedConsentPolicy[]): boolean {
  return policies.some((p) =>
    p.policy ? p.policy.includes.concat(p.policy.excludes).some((c) => c.permissionClassification.toLowerCase() !== 'all') : p.id.toLowerCase() === LOW_IMPACT_POLICY,
  );
}

/**
 * The tenant's user-consent setting (C5 [V]; Policy.Read.All) and the content of every assigned
 * self-consent policy (G4: `GET /policies/permissionGrantPolicies/{id}`), so the check evaluates
 * what the policies say instead of knowing them by name.
 */
export const consentPolicyFact = defineFact<ConsentPolicy>({
  id: 'entra.consent-policy',
  scope: 'tenant',
  fixValues: (p) => ({ 'graph-sp-id': p.graphSpId }),
  async collect(ctx) {
    // The policy list and Microsoft Graph's service principal leave with the authorization policy
    // (one round trip, issue 9); both are only consulted when a self-consent policy is assigned.
    // Only the first page: an assigned policy not on it is read by its id, in parallel, rather than
    // by following nextLinks one after another.
    const listed = graphGet<{ value?: unknown } | null>(ctx, '/policies/permissionGrantPolicies', { permission: 'Policy.Read.PermissionGrant', notFound: 'null' }).then((b) =>
      asArray<Record<string, unknown>>(b?.value),
    );
    const graphSpRead = graphGet<Record<string, unknown> | null>(ctx, `/servicePrincipals(appId='${GRAPH_APP_ID}')`, { select: ['id'], permission: 'Application.Read.All', notFound: 'null' }).catch(
      (err: unknown) => {
        if (err instanceof FactError && err.code === 'MISSING_PERMISSION') return null;
        throw err;
      },
    );
    // Neither may end the run as an unhandled rejection when it is not consulted.
    listed.catch(() => undefined);
    graphSpRead.catch(() => undefined);
    const raw = await graphGet<Record<string, unknown>>(ctx, '/policies/authorizationPolicy', { permission: 'Policy.Read.All' });
    // v1.0 returns the single policy object; tolerate the collection form (beta) too.
    const policy = Array.isArray(raw.value) ? ((raw.value[0] ?? {}) as Record<string, unknown>) : raw;
    const perms = (policy.defaultUserRolePermissions ?? {}) as Record<string, unknown>;
    const assigned = asArray<string>(perms.permissionGrantPoliciesAssigned).filter((s) => typeof s === 'string');
    const ids = selfConsentPolicyIds(assigned);
    if (ids.length === 0) return { permissionGrantPoliciesAssigned: assigned, policies: [], classifications: null, graphSpId: null };
    const [policies, graphSp] = await Promise.all([policiesFor(ctx, ids, listed), graphSpRead]);
    const graphSpId = asString(graphSp?.id);
    if (!needsClassifications(policies)) return { permissionGrantPoliciesAssigned: assigned, policies, classifications: null, graphSpId };
    const read = async (resourceAppId: string): Promise<PermissionClassification[]> => {
      // A resource without classifications (or without a service principal) may answer 404
      // rather than an empty list: same meaning.
      const body = await graphGet<{ value: Record<string, unknown>[] } | null>(ctx, `/servicePrincipals(appId='${resourceAppId}')/delegatedPermissionClassifications`, {
        permission: 'Application.Read.All',
        allPages: true,
        notFound: 'null',
      });
      return asArray<Record<string, unknown>>(body?.value).map((c) => ({
        id: asString(c.id) ?? '',
        classification: asString(c.classification) ?? '',
        permissionId: asString(c.permissionId) ?? '',
        permissionName: asString(c.permissionName) ?? '',
      }));
    };
    const [ex, gr] = await Promise.all([read(EXCHANGE_APP_ID), read(GRAPH_APP_ID)]);
    return { permissionGrantPoliciesAssigned: assigned, policies, classifications: { exchange: ex, graph: gr }, graphSpId };
  },
});
