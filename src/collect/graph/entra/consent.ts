import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { asArray, asString } from './odata.js';
import { exchangeResourceFact, graphResourceFact, webexServicePrincipalFact } from './service-principals.js';
import type { AppRoleAssignment, DelegatedPermissionGrant, PermissionClassification } from './types.js';

/**
 * Admin-consented application permissions of the Webex app: its service principal's
 * appRoleAssignments (C3 [V]: consent ⇔ an assignment to the resource SP with the role id).
 * Empty when the app has no service principal.
 */
export const appRoleAssignmentsFact = defineFact<AppRoleAssignment[]>({
  id: 'entra.app-role-assignments',
  scope: 'tenant',
  async collect(ctx) {
    const sp = await ctx.get(webexServicePrincipalFact);
    if (!sp) return [];
    const body = await graphGet<{ value: Record<string, unknown>[] }>(ctx, `/servicePrincipals/${sp.id}/appRoleAssignments`, {
      permission: 'Application.Read.All',
      allPages: true,
    });
    return asArray<Record<string, unknown>>(body.value).map((a) => ({
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
 * `GET /servicePrincipals/{id}/oauth2PermissionGrants` (Graph docs
 * serviceprincipal-list-oauth2permissiongrants): least privilege Directory.Read.All.
 */
export const delegatedGrantsFact = defineFact<DelegatedPermissionGrant[]>({
  id: 'entra.delegated-grants',
  scope: 'tenant',
  async collect(ctx) {
    const sp = await ctx.get(webexServicePrincipalFact);
    if (!sp) return [];
    const body = await graphGet<{ value: Record<string, unknown>[] }>(ctx, `/servicePrincipals/${sp.id}/oauth2PermissionGrants`, {
      permission: 'Directory.Read.All',
      allPages: true,
    });
    return asArray<Record<string, unknown>>(body.value).map((g) => ({
      id: asString(g.id) ?? '',
      clientId: asString(g.clientId) ?? sp.id,
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
    const [exchange, graph] = await Promise.all([ctx.get(exchangeResourceFact), ctx.get(graphResourceFact)]);
    const read = async (spId: string | undefined): Promise<PermissionClassification[]> => {
      if (!spId) return [];
      // A resource without classifications may answer 404 rather than an empty list: same meaning.
      const body = await graphGet<{ value: Record<string, unknown>[] } | null>(ctx, `/servicePrincipals/${spId}/delegatedPermissionClassifications`, {
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
    const [ex, gr] = await Promise.all([read(exchange?.id), read(graph?.id)]);
    return { permissionGrantPoliciesAssigned: assigned, classifications: { exchange: ex, graph: gr } };
  },
});
