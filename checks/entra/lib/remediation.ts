/**
 * Portal paths, commands and links shared by the entra checks' explanation entries, so every
 * entry names the same places. The guide (step 2) says "Azure Active Directory"; today's portal
 * calls it Microsoft Entra — both are named where a user would look.
 */

const APP = 'Microsoft Entra admin center (Azure Active Directory) → Identity → Applications → App registrations → your app';
const ENTERPRISE = 'Microsoft Entra admin center → Identity → Applications → Enterprise applications';

export const PORTAL = {
  overview: `${APP} → Overview → "Application (client) ID" and "Directory (tenant) ID"`,
  redirectUris: `${APP} → Authentication → Platform configurations → Web → Redirect URIs`,
  addWebPlatform: `${APP} → Authentication → Add a platform → Web → Redirect URIs (paste the Call Back URL)`,
  implicitGrant: 'Azure Active Directory → App registrations → your app → Authentication → Implicit grant and hybrid flows → Access tokens',
  secrets: `${APP} → Certificates & secrets → Client secrets (compare the "Value" column's first characters; "Expires")`,
  newSecret: `${APP} → Certificates & secrets → Client secrets → New client secret → copy the Value (not the Secret ID)`,
  certificates: `${APP} → Certificates & secrets → Certificates (Thumbprint, Expires) → Upload certificate`,
  apiPermissions: `${APP} → API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → Mail → Mail.Send`,
  grantConsent: `${APP} → API permissions → Grant admin consent for <your organization> (Status column: "Granted for …")`,
  enterpriseProperties: `${ENTERPRISE} → your app → Properties → "Enabled for users to sign-in?" and "Assignment required?"`,
  usersAndGroups: `${ENTERPRISE} → your app → Users and groups → Add user/group`,
  enterprisePermissions: `${ENTERPRISE} → your app → Security → Permissions → Grant admin consent for <your organization>`,
  userConsentSettings: `${ENTERPRISE} → Consent and permissions → User consent settings`,
  classifications: `${ENTERPRISE} → Consent and permissions → Permission classifications → Low → Add permissions → Office 365 Exchange Online → SMTP.Send`,
};

export const GRAPH = {
  app: "GET https://graph.microsoft.com/v1.0/applications(appId='<client-id>')?$select=web,spa,publicClient",
  appSecrets: "GET https://graph.microsoft.com/v1.0/applications(appId='<client-id>')?$select=passwordCredentials,keyCredentials",
  appPermissions: "GET https://graph.microsoft.com/v1.0/applications(appId='<client-id>')?$select=requiredResourceAccess",
  exchangeRoles: "GET https://graph.microsoft.com/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')?$select=id,appRoles,oauth2PermissionScopes",
  sp: "GET https://graph.microsoft.com/v1.0/servicePrincipals(appId='<client-id>')?$select=id,accountEnabled,appRoleAssignmentRequired",
  assignments: 'GET https://graph.microsoft.com/v1.0/servicePrincipals/<webex-sp-id>/appRoleAssignments',
  assignedTo: 'GET https://graph.microsoft.com/v1.0/servicePrincipals/<webex-sp-id>/appRoleAssignedTo',
  userAssignments: 'GET https://graph.microsoft.com/v1.0/users/<user-id>/appRoleAssignments',
  findUser: "GET https://graph.microsoft.com/v1.0/users?$filter=mail eq '<mailbox>' or userPrincipalName eq '<mailbox>'",
  grants: 'GET https://graph.microsoft.com/v1.0/servicePrincipals/<webex-sp-id>/oauth2PermissionGrants',
  authorizationPolicy: 'GET https://graph.microsoft.com/v1.0/policies/authorizationPolicy',
  classifications: 'GET https://graph.microsoft.com/v1.0/servicePrincipals/<exchange-sp-id>/delegatedPermissionClassifications',
  // A PATCH sets the whole list: <redirect-uris> holds the URIs already registered plus the Call Back URL.
  patchRedirect: 'Invoke-MgGraphRequest -Method PATCH -Uri https://graph.microsoft.com/v1.0/applications/<object-id> -Body @{ web = @{ redirectUris = @(<redirect-uris>) } }',
  patchImplicit: 'PATCH https://graph.microsoft.com/v1.0/applications/<object-id>  {"web":{"implicitGrantSettings":{"enableAccessTokenIssuance":true}}}',
};

export const PS = {
  updateRedirect: 'Update-MgApplication -ApplicationId <object-id> -Web @{ RedirectUris = @(<redirect-uris>) }',
  updateImplicit: 'Update-MgApplication -ApplicationId <object-id> -Web @{ ImplicitGrantSettings = @{ EnableAccessTokenIssuance = $true } }',
  addPassword: "Add-MgApplicationPassword -ApplicationId <object-id> -PasswordCredential @{ DisplayName = 'wxconnect' }",
  addPermission: 'az ad app permission add --id <client-id> --api 00000002-0000-0ff1-ce00-000000000000 --api-permissions <mail-send-role-id>=Role',
  adminConsent: 'az ad app permission admin-consent --id <client-id>',
  newAppRoleAssignment:
    'New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId <webex-sp-id> -PrincipalId <webex-sp-id> -ResourceId <exchange-sp-id> -AppRoleId <mail-send-role-id>',
  enableSp: 'Update-MgServicePrincipal -ServicePrincipalId <webex-sp-id> -AccountEnabled:$true',
  // -UserId takes the object id or UPN, never a mail address (G1); 0000… is the "Default Access" role.
  assignUser: 'New-MgUserAppRoleAssignment -UserId <user-id> -PrincipalId <user-id> -ResourceId <webex-sp-id> -AppRoleId 00000000-0000-0000-0000-000000000000',
  assignmentNotRequired: 'Update-MgServicePrincipal -ServicePrincipalId <webex-sp-id> -AppRoleAssignmentRequired:$false',
  grantAllPrincipals: "New-MgOauth2PermissionGrant -ClientId <webex-sp-id> -ConsentType AllPrincipals -ResourceId <exchange-sp-id> -Scope 'SMTP.Send'",
  // Sets the whole list: <consent-policies> keeps every entry already assigned (e.g. ManagePermissionGrantsForOwnedResource.*) and swaps the self-consent one for the low-impact policy.
  lowPolicy: 'Update-MgPolicyAuthorizationPolicy -DefaultUserRolePermissions @{ PermissionGrantPoliciesAssigned = @(<consent-policies>) }',
  classify:
    'New-MgServicePrincipalDelegatedPermissionClassification -ServicePrincipalId <exchange-sp-id> -PermissionId <smtp-send-scope-id> -PermissionName SMTP.Send -Classification low',
  tokenRequest:
    "Invoke-RestMethod -Method Post -Uri 'https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0/token' -Body @{ client_id = '<client-id>'; client_secret = '<secret value>'; scope = 'https://outlook.office365.com/.default'; grant_type = 'client_credentials' }",
};

export const LINKS = {
  clientCredentials: 'https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow',
  errorCodes: 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  tokenClaims: 'https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference',
  nationalClouds: 'https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud',
  application: 'https://learn.microsoft.com/graph/api/resources/application',
  webApplication: 'https://learn.microsoft.com/graph/api/resources/webapplication',
  implicitGrant: 'https://learn.microsoft.com/graph/api/resources/implicitgrantsettings',
  redirectUriRules: 'https://learn.microsoft.com/entra/identity-platform/reply-url',
  passwordCredential: 'https://learn.microsoft.com/graph/api/resources/passwordcredential',
  keyCredential: 'https://learn.microsoft.com/graph/api/resources/keycredential',
  servicePrincipal: 'https://learn.microsoft.com/graph/api/serviceprincipal-get',
  appRoleAssignments: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments',
  userAppRoleAssignments: 'https://learn.microsoft.com/graph/api/user-list-approleassignments',
  assignNoCascade: 'https://learn.microsoft.com/entra/identity/enterprise-apps/assign-user-or-group-access-portal',
  userGet: 'https://learn.microsoft.com/graph/api/user-get',
  oauth2PermissionGrant: 'https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant',
  authorizationPolicy: 'https://learn.microsoft.com/graph/api/authorizationpolicy-get',
  userConsent: 'https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent',
  classifications: 'https://learn.microsoft.com/entra/identity/enterprise-apps/configure-permission-classifications',
  exchangeOAuth: 'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
};

/** The guide's step 2, named in every fix. */
export const STEP2 = 'Setup guide step 2 (the app registration in Azure)';
