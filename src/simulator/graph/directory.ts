import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { stableGuid } from '../http/ids.js';
import type { ScenarioApp } from '../scenario/schema.js';
import { RESOURCE_APP_IDS, resourceApi, resourceSpId, roleId, scopeId, type ResourceKey } from './resources.js';

/** Microsoft's own tenant, owner of first-party service principals. */
const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

export function graphDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Graph's non-GUID object ids (appRoleAssignments, grants, rules) are opaque base64url strings. */
export function opaqueId(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url').slice(0, 43);
}

/** An app registration as `GET /applications/{id}` returns it (reference C1 fields). */
export function applicationObject(ctx: SimContext, appKey: string, app: ScenarioApp): Record<string, unknown> {
  const certs = ctx.certificates.get(appKey);
  const byResource = new Map<ResourceKey, { id: string; type: 'Role' | 'Scope' }[]>();
  for (const p of app.requiredResourceAccess) {
    const list = byResource.get(p.resource) ?? [];
    list.push({ id: p.type === 'Role' ? roleId(p.resource, p.name) : scopeId(p.resource, p.name), type: p.type });
    byResource.set(p.resource, list);
  }
  return {
    id: app.objectId,
    deletedDateTime: null,
    appId: app.appId,
    applicationTemplateId: null,
    createdDateTime: graphDate(ctx.when('-90d')),
    description: null,
    displayName: app.displayName,
    groupMembershipClaims: null,
    identifierUris: [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: app.isFallbackPublicClient,
    notes: null,
    publisherDomain: ctx.scenario.tenant.domains[0],
    verifiedPublisher: verifiedPublisher(app),
    signInAudience: app.signInAudience,
    tags: [],
    tokenEncryptionKeyId: null,
    keyCredentials: Object.entries(app.keyCredentials).map(([k, c]) => {
      const cert = certs?.get(k);
      const thumb = cert?.thumbprintSha1;
      return {
        // Defaults to the SHA-1 thumbprint; scripts set other values or none (G5).
        customKeyIdentifier: c.customKeyIdentifier !== undefined ? c.customKeyIdentifier : thumb ? Buffer.from(thumb, 'hex').toString('base64') : null,
        displayName: c.displayName,
        endDateTime: graphDate(ctx.when(c.end)),
        // The certificate's DER, base64 — returned when keyCredentials is $select-ed on one application (G5 [V]).
        key: cert ? derBase64(cert.certPem) : null,
        keyId: c.keyId,
        startDateTime: graphDate(ctx.when(c.start)),
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
      };
    }),
    passwordCredentials: passwordCredentialObjects(ctx, app.passwordCredentials),
    publicClient: { redirectUris: app.publicClientRedirectUris },
    requiredResourceAccess: [...byResource].map(([r, resourceAccess]) => ({ resourceAppId: RESOURCE_APP_IDS[r], resourceAccess })),
    spa: { redirectUris: app.spaRedirectUris },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: app.web.redirectUris,
      implicitGrantSettings: { enableAccessTokenIssuance: app.web.enableAccessTokenIssuance, enableIdTokenIssuance: app.web.enableIdTokenIssuance },
      redirectUriSettings: app.web.redirectUris.map((uri) => ({ uri, index: null })),
    },
  };
}

/** `verifiedPublisher` [V]: the object is always there; its fields are null when not verified (G4). */
function verifiedPublisher(app: ScenarioApp): Record<string, unknown> {
  if (!app.verifiedPublisher) return { displayName: null, verifiedPublisherId: null, addedDateTime: null };
  return { displayName: `${app.displayName} publisher`, verifiedPublisherId: app.verifiedPublisher, addedDateTime: '2025-01-01T00:00:00Z' };
}

/** The app's enterprise application (service principal). */
export function clientServicePrincipal(ctx: SimContext, app: ScenarioApp): Record<string, unknown> {
  return {
    id: app.servicePrincipalId,
    deletedDateTime: null,
    accountEnabled: app.accountEnabled,
    appDisplayName: app.displayName,
    appId: app.appId,
    appOwnerOrganizationId: ctx.scenario.tenant.id,
    appRoleAssignmentRequired: app.appRoleAssignmentRequired,
    displayName: app.displayName,
    verifiedPublisher: verifiedPublisher(app),
    replyUrls: app.web.redirectUris,
    servicePrincipalNames: [app.appId],
    servicePrincipalType: 'Application',
    signInAudience: app.signInAudience,
    tags: ['HideApp', 'WindowsAzureActiveDirectoryIntegratedApp'],
    appRoles: [],
    oauth2PermissionScopes: [],
    keyCredentials: [],
    passwordCredentials: passwordCredentialObjects(ctx, app.servicePrincipalPasswordCredentials ?? {}),
  };
}

/** passwordCredential objects as Graph lists them: no secretText, `hint` = "the first three characters of the password" [V]. */
function passwordCredentialObjects(ctx: SimContext, creds: ScenarioApp['passwordCredentials']): Record<string, unknown>[] {
  return Object.values(creds).map((c) => ({
    customKeyIdentifier: null,
    displayName: c.displayName,
    endDateTime: graphDate(ctx.when(c.end)),
    hint: c.value.slice(0, 3),
    keyId: c.keyId,
    secretText: null,
    startDateTime: graphDate(ctx.when(c.start)),
  }));
}

function derBase64(certPem: string): string {
  return certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** The tenant's copy of a Microsoft resource API (Exchange Online, Graph) with appRoles and scopes. */
export function resourceServicePrincipal(ctx: SimContext, key: ResourceKey): Record<string, unknown> {
  const api = resourceApi(ctx.scenario, key);
  return {
    id: resourceSpId(ctx.scenario, key),
    deletedDateTime: null,
    accountEnabled: true,
    appDisplayName: api.displayName,
    appId: api.appId,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
    appRoleAssignmentRequired: false,
    displayName: api.displayName,
    replyUrls: [],
    servicePrincipalNames: [api.appId, api.audience],
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMultipleOrgs',
    tags: [],
    appRoles: api.appRoles,
    oauth2PermissionScopes: api.scopes,
    keyCredentials: [],
    passwordCredentials: [],
  };
}

/** An application permission an admin consented to (reference C3). */
export function appRoleAssignments(ctx: SimContext, app: ScenarioApp): Record<string, unknown>[] {
  return app.appRoleAssignments.map((a) => ({
    id: opaqueId(`${app.servicePrincipalId}:${a.resource}:${a.role}`),
    deletedDateTime: null,
    appRoleId: roleId(a.resource, a.role),
    createdDateTime: graphDate(ctx.when('-60d')),
    principalDisplayName: app.displayName,
    principalId: app.servicePrincipalId,
    principalType: 'ServicePrincipal',
    resourceDisplayName: resourceApi(ctx.scenario, a.resource).displayName,
    resourceId: resourceSpId(ctx.scenario, a.resource),
  }));
}

/** The "Default Access" app role: what an assignment without a specific app role carries (Graph docs, appRoleAssignment). */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Users and groups assigned to a client app's enterprise application ("Users and groups"), as
 * `GET /servicePrincipals/{id}/appRoleAssignedTo` lists them: appRoleAssignment objects whose
 * resource is this service principal and whose appRoleId is the default access role, since the
 * app defines no app roles of its own (shape per Graph docs serviceprincipal-list-approleassignedto
 * and resources/approleassignment). Ids and createdDateTime are invented; a key that names no
 * user/group of the scenario gets a stable invented object id.
 */
export function userAndGroupAssignments(ctx: SimContext, app: ScenarioApp): Record<string, unknown>[] {
  const s = ctx.scenario;
  const principals = [
    ...app.assignedUsers.map((key) => ({ type: 'User' as const, id: s.users[key]?.id ?? stableGuid(`user:${key}`), name: s.users[key]?.displayName ?? key })),
    ...app.assignedGroups.map((key) => ({ type: 'Group' as const, id: s.groups[key]?.id ?? stableGuid(`group:${key}`), name: s.groups[key]?.displayName ?? key })),
  ];
  return principals.map((p) => ({
    id: opaqueId(`${app.servicePrincipalId}:assigned:${p.id}`),
    deletedDateTime: null,
    appRoleId: DEFAULT_ACCESS_ROLE_ID,
    createdDateTime: graphDate(ctx.when('-30d')),
    principalDisplayName: p.name,
    principalId: p.id,
    principalType: p.type,
    resourceDisplayName: app.displayName,
    resourceId: app.servicePrincipalId,
  }));
}

export function oauth2PermissionGrants(ctx: SimContext, app: ScenarioApp): Record<string, unknown>[] {
  return app.oauth2PermissionGrants.map((g, i) => ({
    id: opaqueId(`${app.servicePrincipalId}:grant:${g.resource}:${i}`),
    clientId: app.servicePrincipalId,
    consentType: g.consentType,
    principalId: g.consentType === 'Principal' && g.user ? (ctx.scenario.users[g.user]?.id ?? stableGuid(`user:${g.user}`)) : null,
    resourceId: resourceSpId(ctx.scenario, g.resource),
    scope: g.scopes.join(' '),
  }));
}

/** delegatedPermissionClassifications of the Exchange resource SP (reference C5b). */
export function exchangeClassifications(ctx: SimContext): Record<string, unknown>[] {
  return Object.entries(ctx.scenario.tenant.exchangePermissionClassifications).map(([name, classification]) => ({
    id: opaqueId(`classification:${name}`),
    classification,
    permissionId: scopeId('exchange', name),
    permissionName: name,
  }));
}

export function authorizationPolicy(ctx: SimContext): Record<string, unknown> {
  return {
    id: 'authorizationPolicy',
    allowInvitesFrom: 'everyone',
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: false,
    allowUserConsentForRiskyApps: null,
    blockMsolPowerShell: false,
    description: 'Used to manage authorization related settings across the company.',
    displayName: 'Authorization Policy',
    guestUserRoleId: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
    defaultUserRolePermissions: {
      allowedToCreateApps: true,
      allowedToCreateSecurityGroups: true,
      allowedToCreateTenants: true,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ctx.scenario.tenant.permissionGrantPoliciesAssigned,
    },
  };
}

export function securityDefaultsPolicy(ctx: SimContext): Record<string, unknown> {
  return {
    id: '00000000-0000-0000-0000-000000000005',
    description:
      'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
    displayName: 'Security Defaults',
    isEnabled: ctx.scenario.tenant.securityDefaultsEnabled,
  };
}
