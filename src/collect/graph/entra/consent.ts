import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { asArray, asString } from './odata.js';
import type { CollectContext } from '../../../core/fact.js';
import { FactError } from '../../../core/fact-error.js';
import { odataKey } from './odata.js';
import { EXCHANGE_APP_ID, GRAPH_APP_ID, type AppRoleAssignment, type DelegatedPermissionGrant, type PermissionClassification } from './types.js';

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
  /**
   * Delegated-permission classifications of Exchange Online and Microsoft Graph, read only when
   * the low-impact policy is assigned (they decide what users may consent to, C5b); else null.
   */
  classifications: { exchange: PermissionClassification[]; graph: PermissionClassification[] } | null;
}

export const LOW_IMPACT_POLICY = 'microsoft-user-default-low';

/** Policy ids of `ManagePermissionGrantsForSelf.*` entries, lower-cased (C5: compare case-insensitively). */
export function selfConsentPolicies(assigned: string[]): string[] {
  const prefix = 'managepermissiongrantsforself.';
  return assigned.map((a) => a.toLowerCase()).filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length));
}

/** The tenant's user-consent setting (C5 [V]; Policy.Read.All). */
export const consentPolicyFact = defineFact<ConsentPolicy>({
  id: 'entra.consent-policy',
  scope: 'tenant',
  async collect(ctx) {
    const raw = await graphGet<Record<string, unknown>>(ctx, '/policies/authorizationPolicy', { permission: 'Policy.Read.All' });
    // v1.0 returns the single policy object; tolerate the collection form (beta) too.
    const policy = Array.isArray(raw.value) ? ((raw.value[0] ?? {}) as Record<string, unknown>) : raw;
    const perms = (policy.defaultUserRolePermissions ?? {}) as Record<string, unknown>;
    const assigned = asArray<string>(perms.permissionGrantPoliciesAssigned).filter((s) => typeof s === 'string');
    if (!selfConsentPolicies(assigned).includes(LOW_IMPACT_POLICY)) return { permissionGrantPoliciesAssigned: assigned, classifications: null };
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
    return { permissionGrantPoliciesAssigned: assigned, classifications: { exchange: ex, graph: gr } };
  },
});
