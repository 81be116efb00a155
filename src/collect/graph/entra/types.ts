/**
 * Entra ID objects as the checks see them: the Graph v1.0 shapes of reference C1–C5b, reduced to
 * the fields the checks read and normalised (absent lists become empty lists), so a check never
 * has to guard against Graph leaving a property out.
 */

/** Office 365 Exchange Online (reference C1 [V]). */
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
/** Microsoft Graph (reference C1 [V]). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  /** The first three characters of the secret (C1 [V]). */
  hint: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface KeyCredential {
  keyId: string;
  displayName: string | null;
  /** Defaults to the certificate's SHA-1 thumbprint, but scripts set other values or none (G5). */
  customKeyIdentifier: string | null;
  /** Upper-case hex SHA-1 / SHA-256 of the certificate in `key` (base64 DER), when Graph returned it (G5). */
  keyThumbprintSha1?: string | null;
  keyThumbprintSha256?: string | null;
  type: string | null;
  usage: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface ResourceAccess {
  id: string;
  /** Scope = delegated, Role = application (C1 [V]). */
  type: 'Scope' | 'Role' | string;
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface AppRegistration {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string | null;
  isFallbackPublicClient: boolean | null;
  web: {
    redirectUris: string[];
    implicitGrantSettings: { enableAccessTokenIssuance: boolean; enableIdTokenIssuance: boolean };
  };
  spa: { redirectUris: string[] };
  publicClient: { redirectUris: string[] };
  passwordCredentials: PasswordCredential[];
  keyCredentials: KeyCredential[];
  requiredResourceAccess: RequiredResourceAccess[];
}

/** The Webex app's enterprise application (service principal) in the tenant. */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  /** false: "Enabled for users to sign-in?" = No. */
  accountEnabled: boolean;
  /** "Assignment required?" = Yes. */
  appRoleAssignmentRequired: boolean;
  /** Secrets added to the service principal itself (servicePrincipal: addPassword, G9). */
  passwordCredentials?: PasswordCredential[];
  /** The tenant the app is registered in (its home tenant); absent when not read. */
  appOwnerOrganizationId?: string | null;
  /** Its verified publisher (Microsoft Partner Network id), null when not verified; absent when not read (G4). */
  verifiedPublisherId?: string | null;
  verifiedPublisherName?: string | null;
}

export interface AppRole {
  id: string;
  value: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}

export interface PermissionScope {
  id: string;
  value: string | null;
  type: string | null;
}

/** A resource API's service principal (Exchange Online), for resolving permission ids by name (C2). */
export interface ResourceServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
}

/** An admin-consented application permission (C3 [V]). */
export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  /** The resource's service principal object id (not its appId). */
  resourceId: string;
  resourceDisplayName: string | null;
  principalId: string;
  principalType: string | null;
  principalDisplayName?: string | null;
  createdDateTime: string | null;
}

/** Delegated consent (C3 [V]): AllPrincipals = for everyone, Principal = one user. */
export interface DelegatedPermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal' | string;
  principalId: string | null;
  resourceId: string;
  /** Space-separated permission values. */
  scope: string;
}

/** C5b [V]. */
export interface PermissionClassification {
  id: string;
  classification: 'low' | 'medium' | 'high' | string;
  permissionId: string;
  permissionName: string;
}

/**
 * One condition set of a permission grant policy (G4 [V], Graph `permissionGrantConditionSet`),
 * with Graph's documented defaults filled in ("all" / "any" / false).
 */
export interface PermissionGrantConditionSet {
  id: string;
  /** delegated | application | delegatedUserConsentable (built-in policies only). */
  permissionType: string | null;
  /** low | medium | high | all. */
  permissionClassification: string;
  /** A resource appId, or "any". */
  resourceApplication: string;
  /** Permission ids, or ["all"]. */
  permissions: string[];
  clientApplicationIds: string[];
  clientApplicationTenantIds: string[];
  clientApplicationPublisherIds: string[];
  clientApplicationsFromVerifiedPublisherOnly: boolean;
  certifiedClientApplicationsOnly: boolean;
}

/** `GET /policies/permissionGrantPolicies/{id}` (G4 [V]). */
export interface PermissionGrantPolicy {
  id: string;
  displayName: string | null;
  includes: PermissionGrantConditionSet[];
  excludes: PermissionGrantConditionSet[];
}

/** An assigned policy as the reader saw it: its content, or why it could not be read. */
export interface AssignedConsentPolicy {
  /** The id as assigned (ManagePermissionGrantsForSelf.{id}), original spelling. */
  id: string;
  policy: PermissionGrantPolicy | null;
  error: { code: string; message: string; permission: string | null } | null;
}

/** The Webex app as a permission grant policy sees it: publisher and home tenant (G4). */
export interface ConsentClient {
  appId: string;
  /** appOwnerOrganizationId of its service principal: the tenant the app is registered in. */
  homeTenantId: string | null;
  /** verifiedPublisher.verifiedPublisherId; null = not verified; undefined = not read. */
  verifiedPublisherId?: string | null;
  verifiedPublisherName?: string | null;
}
