import type { SimContext } from '../context.js';
import type { ScenarioApp } from '../scenario/schema.js';
import {
  applicationObject,
  appRoleAssignments,
  authorizationPolicy,
  clientServicePrincipal,
  exchangeClassifications,
  oauth2PermissionGrants,
  resourceServicePrincipal,
  securityDefaultsPolicy,
  userAndGroupAssignments,
} from './directory.js';
import { graphClassifications, permissionGrantPolicyIds, permissionGrantPolicyObject } from './permission-grant-policies.js';
import { RESOURCE_APP_IDS, resourceSpId, type ResourceKey } from './resources.js';
import { findUser, groupKeysOf, memberOfObjects, messageRuleObjects, USER_DEFAULT_PROPS, userObject } from './users.js';

type Obj = Record<string, unknown>;

/** What a GET resolves to, before permissions, $select and paging are applied. */
export type Resolved =
  | { kind: 'entity'; context: string; value: Obj; perms: readonly string[]; ownerAppId?: string; defaults?: string[] }
  | { kind: 'collection'; context: string; items: Obj[]; perms: readonly string[]; filterable?: boolean; mailboxOf?: string; fullInfo?: readonly string[] }
  | { kind: 'missing'; perms: readonly string[]; ownerAppId?: string; status: number; code: string; message: string }
  | { kind: 'no-route'; segment: string };

/**
 * Permissions accepted per resource (app roles or delegated scopes of the same name). Least
 * privileged first; the brief's mapping, Graph docs' higher-privileged alternatives added.
 */
export const PERMS = {
  directory: ['Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /**
   * Delegated grants (`/oauth2PermissionGrants`, `/servicePrincipals/{id}/oauth2PermissionGrants`):
   * Graph docs oauth2permissiongrant-list / serviceprincipal-list-oauth2permissiongrants name
   * Directory.Read.All as least privileged, DelegatedPermissionGrant.ReadWrite.All and
   * Directory.ReadWrite.All as higher. Application.Read.All is NOT enough. DelegatedPermissionGrant.Read.All
   * (a newer read-only permission that those pages do not list) is accepted as well [I].
   */
  grants: ['Directory.Read.All', 'DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
  authorizationPolicy: ['Policy.Read.All', 'Policy.ReadWrite.Authorization'],
  securityDefaults: ['Policy.Read.All', 'Policy.ReadWrite.SecurityDefaults'],
  /** G4 [V]: least privilege Policy.Read.PermissionGrant; Policy.Read.All works too. */
  permissionGrantPolicies: ['Policy.Read.PermissionGrant', 'Policy.Read.All', 'Policy.ReadWrite.PermissionGrant'],
  users: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /**
   * `memberOf` / `transitiveMemberOf`: User.Read.All is the least privileged permission (GDC
   * user-list-transitivememberof [V]); without one of `groupProperties` the groups come back as
   * "limited information" objects, only `@odata.type` and `id` (G3 [V], Graph permissions overview).
   */
  memberOf: ['User.Read.All', 'User.ReadWrite.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groupProperties: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /** GDC user-list-approleassignments: application Directory.Read.All least privileged, AppRoleAssignment.ReadWrite.All higher (G2 [V]). */
  userAssignments: ['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All', 'Directory.ReadWrite.All'],
  messageRules: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
} as const;

const notFound = (perms: readonly string[], id: string, ownerAppId?: string): Resolved => ({
  kind: 'missing',
  perms,
  ownerAppId,
  status: 404,
  code: 'Request_ResourceNotFound',
  message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
});

export function resolveGet(ctx: SimContext, base: string, path: string): Resolved {
  const meta = `${base}/v1.0/$metadata#`;
  const s = ctx.scenario;
  const apps = Object.entries(s.apps);
  let m: RegExpExecArray | null;

  if (/^\/applications\/?$/i.test(path)) {
    // A list does not carry keyCredentials' `key`; only a single application does (G5, GDC keycredential).
    const items = apps.map(([k, a]) => {
      const o = applicationObject(ctx, k, a);
      return { ...o, keyCredentials: (o.keyCredentials as Obj[]).map((c) => ({ ...c, key: null })) };
    });
    return { kind: 'collection', context: `${meta}applications`, items, perms: PERMS.directory, filterable: true };
  }
  if ((m = /^\/applications\(appId='([^']*)'\)\/?$/i.exec(path)) || (m = /^\/applications\/([^/]+)\/?$/i.exec(path))) {
    const byAppId = path.toLowerCase().startsWith('/applications(');
    const id = m[1]!.toLowerCase();
    const hit = apps.find(([, a]) => (byAppId ? a.appId : a.objectId).toLowerCase() === id);
    if (!hit) return notFound(PERMS.directory, m[1]!);
    return { kind: 'entity', context: `${meta}applications/$entity`, value: applicationObject(ctx, hit[0], hit[1]), perms: PERMS.directory, ownerAppId: hit[1].appId };
  }

  if (/^\/servicePrincipals\/?$/i.test(path)) {
    const items = [...apps.map(([, a]) => clientServicePrincipal(ctx, a)), resourceServicePrincipal(ctx, 'exchange'), resourceServicePrincipal(ctx, 'graph')];
    return { kind: 'collection', context: `${meta}servicePrincipals`, items, perms: PERMS.directory, filterable: true };
  }
  if ((m = /^\/servicePrincipals(?:\(appId='([^']*)'\)|\/([^/]+))(?:\/(\w+))?\/?$/i.exec(path))) {
    const sp = findServicePrincipal(ctx, m[1] !== undefined ? { appId: m[1] } : { id: m[2]! });
    const rel = m[3]?.toLowerCase();
    const label = m[1] !== undefined ? `appId='${m[1]}'` : m[2]!;
    if (!rel) {
      if (!sp) return notFound(PERMS.directory, label);
      const value = sp.app ? clientServicePrincipal(ctx, sp.app) : resourceServicePrincipal(ctx, sp.resource!);
      return { kind: 'entity', context: `${meta}servicePrincipals/$entity`, value, perms: PERMS.directory, ownerAppId: sp.app?.appId };
    }
    const known = ['approleassignments', 'approleassignedto', 'delegatedpermissionclassifications', 'oauth2permissiongrants'];
    if (!known.includes(rel)) return { kind: 'no-route', segment: m[3]! };
    const perms = rel === 'oauth2permissiongrants' ? PERMS.grants : PERMS.directory;
    if (!sp) return notFound(perms, label);
    const ctxUrl = `${meta}servicePrincipals('${sp.id}')/${m[3]}`;
    const items: Obj[] =
      rel === 'approleassignments'
        ? sp.app
          ? appRoleAssignments(ctx, sp.app)
          : []
        : rel === 'approleassignedto'
          ? sp.resource
            ? Object.values(s.apps).flatMap((a) => appRoleAssignments(ctx, a)).filter((x) => x.resourceId === sp.id)
            : userAndGroupAssignments(ctx, sp.app!)
          : rel === 'delegatedpermissionclassifications'
            ? sp.resource === 'exchange'
              ? exchangeClassifications(ctx)
              : sp.resource === 'graph'
                ? graphClassifications(ctx)
                : []
            : sp.app
              ? oauth2PermissionGrants(ctx, sp.app)
              : [];
    return { kind: 'collection', context: ctxUrl, items, perms };
  }

  if (/^\/oauth2PermissionGrants\/?$/i.test(path)) {
    const items = Object.values(s.apps).flatMap((a) => oauth2PermissionGrants(ctx, a));
    return { kind: 'collection', context: `${meta}oauth2PermissionGrants`, items, perms: PERMS.grants, filterable: true };
  }

  if (/^\/policies\/authorizationPolicy(?:\/authorizationPolicy)?\/?$/i.test(path)) {
    return { kind: 'entity', context: `${meta}policies/authorizationPolicy/$entity`, value: authorizationPolicy(ctx), perms: PERMS.authorizationPolicy };
  }
  if (/^\/policies\/permissionGrantPolicies\/?$/i.test(path)) {
    // G4 [V]: the list carries every policy with its includes and excludes expanded.
    const items = permissionGrantPolicyIds(ctx).map((id) => permissionGrantPolicyObject(ctx, id)!);
    return { kind: 'collection', context: `${meta}policies/permissionGrantPolicies`, items, perms: PERMS.permissionGrantPolicies };
  }
  if ((m = /^\/policies\/permissionGrantPolicies\/([^/]+)\/?$/i.exec(path))) {
    // G4: the permission grant policies, built-in and custom (permission-grant-policies.ts).
    const id = decodeURIComponent(m[1]!);
    const value = permissionGrantPolicyObject(ctx, id);
    if (!value) return notFound(PERMS.permissionGrantPolicies, id);
    return { kind: 'entity', context: `${meta}policies/permissionGrantPolicies/$entity`, value, perms: PERMS.permissionGrantPolicies };
  }
  if (/^\/policies\/identitySecurityDefaultsEnforcementPolicy\/?$/i.test(path)) {
    return { kind: 'entity', context: `${meta}policies/identitySecurityDefaultsEnforcementPolicy/$entity`, value: securityDefaultsPolicy(ctx), perms: PERMS.securityDefaults };
  }

  // `$filter` on mail / userPrincipalName (eq) and proxyAddresses (any) [V] (G1).
  if (/^\/users\/?$/i.test(path)) {
    return { kind: 'collection', context: `${meta}users`, items: Object.values(s.users).map(userObject), perms: PERMS.users, filterable: true };
  }
  // `/users/{id | userPrincipalName}` only: a mail address that is not the UPN is 404 (G1 [V]).
  if ((m = /^\/users\/([^/]+)(?:\/(transitiveMemberOf|memberOf|appRoleAssignments|mailFolders(?:\/inbox|\('inbox'\))\/messageRules))?\/?$/i.exec(path))) {
    const rel = m[2]?.toLowerCase();
    const perms = !rel ? PERMS.users : rel.endsWith('messagerules') ? PERMS.messageRules : rel === 'approleassignments' ? PERMS.userAssignments : PERMS.memberOf;
    const found = findUser(ctx, m[1]!);
    if (!found) return notFound(perms, m[1]!);
    if (!rel) return { kind: 'entity', context: `${meta}users/$entity`, value: userObject(found.user), perms, defaults: USER_DEFAULT_PROPS };
    if (rel.endsWith('messagerules')) {
      if (!found.user.mailbox) return { kind: 'missing', perms, status: 404, code: 'MailboxNotEnabledForRESTAPI', message: 'REST API is not yet supported for this mailbox.' };
      return { kind: 'collection', context: `${meta}users('${m[1]}')/mailFolders('inbox')/messageRules`, items: messageRuleObjects(found.user), perms, mailboxOf: found.key };
    }
    if (rel === 'approleassignments') {
      // The user's own assignments and those of groups it is a DIRECT member of: assignment does
      // not cascade to nested groups (G2 [V], GDC user-list-approleassignments).
      const direct = new Set([found.user.id, ...groupKeysOf(ctx, found.user, false).map((k) => s.groups[k]?.id)]);
      const items = Object.values(s.apps).flatMap((a) => userAndGroupAssignments(ctx, a)).filter((x) => direct.has(x.principalId as string));
      return { kind: 'collection', context: `${meta}users('${found.user.id}')/appRoleAssignments`, items, perms, filterable: true };
    }
    return { kind: 'collection', context: `${meta}directoryObjects`, items: memberOfObjects(ctx, found.user, rel === 'transitivememberof'), perms, fullInfo: PERMS.groupProperties };
  }

  const seg = path.split('/').filter(Boolean)[0] ?? '';
  return { kind: 'no-route', segment: seg };
}

/** A client app's SP, or the tenant's Exchange/Graph resource SP, by object id or appId. */
export function findServicePrincipal(ctx: SimContext, by: { id: string } | { appId: string }): { id: string; app?: ScenarioApp; resource?: ResourceKey } | undefined {
  const want = ('id' in by ? by.id : by.appId).toLowerCase();
  for (const app of Object.values(ctx.scenario.apps)) {
    if (('id' in by ? app.servicePrincipalId : app.appId).toLowerCase() === want) return { id: app.servicePrincipalId, app };
  }
  for (const key of ['exchange', 'graph'] as const) {
    const id = resourceSpId(ctx.scenario, key);
    if (('id' in by ? id : RESOURCE_APP_IDS[key]).toLowerCase() === want) return { id, resource: key };
  }
  return undefined;
}
