import type { Explanation } from '../../../src/core/explanation.js';
import { SIGN_IN_EXPLAIN } from './explanations-signin.js';
import { GRAPH, LINKS, PORTAL, PS, STEP2 } from './remediation.js';

/**
 * One explanation per entra code, shared by every check that can end with it (a code keeps one
 * meaning across checks). Exact Microsoft texts are from reference A3 (AADSTS table) and the
 * simulator's copies of them.
 */
export const EXPLAIN: Record<string, Explanation> = {
  ...SIGN_IN_EXPLAIN,
  SECRET_INVALID: {
    title: 'Entra ID rejects the client secret',
    seen: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'…\'.',
    cause:
      'The secret given to Webex Connect (and to wxmail) is not one of the app registration\'s client secrets: mistyped, truncated when copied, taken from another app, or deleted since.',
    confirm: `${PORTAL.secrets}: no secret's Value starts with the first three characters of the configured secret. By hand: ${PS.tokenRequest}`,
    fix: `${STEP2}: create a new client secret, copy its Value right away (it is shown only once), and enter it in Webex Connect (Client Secret) and in wxmail.`,
    step: 2,
    portal: [PORTAL.secrets, PORTAL.newSecret],
    commands: [PS.addPassword, GRAPH.appSecrets],
    links: [LINKS.errorCodes, LINKS.passwordCredential],
  },
  SECRET_ID_NOT_VALUE: {
    title: 'The secret\'s ID was used instead of its value',
    seen: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID … — and the configured secret is a GUID.',
    cause:
      'Certificates & secrets shows two columns: "Value" (shown only right after creation) and "Secret ID" (a GUID, always visible). The GUID was copied. It identifies the secret but cannot authenticate.',
    confirm: `${PORTAL.secrets}: the configured value equals the "Secret ID" column of a secret.`,
    fix: `${STEP2}: create a new client secret and copy its **Value** (not the Secret ID) into Webex Connect's Client Secret field and into wxmail. The old value cannot be shown again.`,
    step: 2,
    portal: [PORTAL.newSecret],
    commands: [PS.addPassword],
    links: [LINKS.passwordCredential, LINKS.errorCodes],
  },
  SECRET_EXPIRED: {
    title: 'The client secret has expired',
    seen: 'AADSTS7000222: The provided client secret keys for app \'…\' are expired.',
    cause: 'Client secrets have an end date (at most 24 months in the portal). After it, Entra refuses every token request made with it, and Webex Connect stops sending and receiving.',
    confirm: `${PORTAL.secrets}: the secret whose Value starts like the configured one shows a past "Expires" date.`,
    fix: `${STEP2}: create a new client secret, enter its Value in Webex Connect (Client Secret, then "Generate Token" again) and in wxmail, then delete the expired secret.`,
    step: 2,
    portal: [PORTAL.newSecret],
    commands: [PS.addPassword, GRAPH.appSecrets],
    links: [LINKS.passwordCredential, LINKS.errorCodes],
  },
  SECRET_EXPIRES_SOON: {
    title: 'The client secret expires soon',
    seen: 'The secret in use expires within the warning window (--secret-warn-days, default 30 days).',
    cause: 'When it expires, Entra refuses token requests (AADSTS7000222) and Webex Connect stops sending and receiving email.',
    confirm: `${PORTAL.secrets}: the "Expires" column of the secret in use.`,
    fix: `${STEP2}: create a new client secret now, enter its Value in Webex Connect and in wxmail, and delete the old one once everything works.`,
    step: 2,
    portal: [PORTAL.newSecret],
    commands: [PS.addPassword],
    links: [LINKS.passwordCredential],
  },
  SECRET_HINT_AMBIGUOUS: {
    title: 'Several client secrets start with the same characters',
    seen: 'More than one client secret of the app shows the same first three characters as the configured secret.',
    cause: 'Entra stores only the first three characters of a secret (its hint), so the doctor cannot tell which of them is in use, nor which expiry applies.',
    confirm: `${PORTAL.secrets}: compare the Value column's first characters and the Expires dates.`,
    fix: 'Delete the secrets that are not in use, or create a new secret for Webex Connect, so that the one in use can be identified and its expiry watched.',
    step: 2,
    portal: [PORTAL.secrets],
    commands: [GRAPH.appSecrets],
    links: [LINKS.passwordCredential],
  },
  CERTIFICATE_EXPIRED: {
    title: 'The client certificate has expired',
    seen: 'AADSTS700027: The key used is expired (client assertion), or the certificate\'s "Expires" date is past.',
    cause: 'The certificate registered for the app (matched by thumbprint) is past its end date; Entra refuses assertions signed with it.',
    confirm: `${PORTAL.certificates}: the certificate with the configured thumbprint shows a past "Expires" date.`,
    fix: `${STEP2}: create a new certificate, upload its public part under Certificates, and give the new PEM (key + certificate) to wxmail.`,
    step: 2,
    portal: [PORTAL.certificates],
    commands: [GRAPH.appSecrets],
    links: [LINKS.keyCredential],
  },
  CERTIFICATE_EXPIRES_SOON: {
    title: 'The client certificate expires soon',
    seen: 'The certificate in use expires within the warning window (--secret-warn-days).',
    cause: 'When it expires, Entra refuses token requests signed with it.',
    confirm: `${PORTAL.certificates}: the "Expires" column.`,
    fix: `${STEP2}: upload a new certificate now and switch to it before the old one expires.`,
    step: 2,
    portal: [PORTAL.certificates],
    commands: [GRAPH.appSecrets],
    links: [LINKS.keyCredential],
  },
  CERTIFICATE_NOT_REGISTERED: {
    title: 'The configured certificate is not registered for the app',
    seen: 'AADSTS700027: … The key was not found. — no certificate of the app has the configured certificate\'s thumbprint.',
    cause: 'The PEM given to wxmail holds a certificate whose public part was never uploaded to this app registration (or was removed).',
    confirm: `${PORTAL.certificates}: compare the Thumbprint column with the SHA-1 thumbprint in the evidence.`,
    fix: `${STEP2}: upload the certificate (public part, .cer/.pem) under Certificates, or give wxmail the PEM of a registered certificate.`,
    step: 2,
    portal: [PORTAL.certificates],
    commands: [GRAPH.appSecrets],
    links: [LINKS.keyCredential],
  },
  APP_NOT_FOUND: {
    title: 'No such application in the tenant',
    seen: 'AADSTS700016 (or AADSTS700011, or AADSTS70001 with the same words): Application with identifier \'…\' was not found in the directory \'…\'.',
    cause: 'The client ID is wrong, or the app is registered in another tenant (or another cloud) than the one given. Entra\'s table calls AADSTS70001 "disabled", but its message decides: "not found in the directory" means no such app here.',
    confirm: `${PORTAL.overview}: compare both values with what Webex Connect and wxmail were given.`,
    fix: `${STEP2}: copy "Application (client) ID" and "Directory (tenant) ID" from the app's Overview page into Webex Connect and wxmail.`,
    step: 2,
    portal: [PORTAL.overview],
    commands: [GRAPH.app],
    links: [LINKS.errorCodes],
  },
  APP_DISABLED: {
    title: 'The application is disabled',
    seen: 'AADSTS7000112 (or AADSTS70001): Application \'…\' is disabled.',
    cause: 'Its enterprise application (service principal) has "Enabled for users to sign-in?" set to No, so Entra issues no tokens for it — neither for Webex Connect\'s sign-in nor for client credentials.',
    confirm: `${PORTAL.enterpriseProperties}: "Enabled for users to sign-in?" is No.`,
    fix: 'Set "Enabled for users to sign-in?" to Yes and save.',
    step: 2,
    portal: [PORTAL.enterpriseProperties],
    commands: [PS.enableSp, GRAPH.sp],
    links: [LINKS.servicePrincipal, LINKS.errorCodes],
  },
  TENANT_NOT_FOUND: {
    title: 'The tenant was not found',
    seen: 'AADSTS90002: Tenant \'…\' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. (or AADSTS900023: Specified tenant identifier \'…\' is neither a valid DNS name, nor a valid external domain.)',
    cause: 'The tenant ID or domain is mistyped, or the tenant lives in another cloud (GCC High, China) than the one selected.',
    confirm: `${PORTAL.overview}: "Directory (tenant) ID".`,
    fix: 'Give the Directory (tenant) ID from the app\'s Overview page (--tenant-id), and the right cloud (--cloud) for a sovereign tenant.',
    step: 2,
    portal: [PORTAL.overview],
    commands: ['GET https://login.microsoftonline.com/<tenant-id>/v2.0/.well-known/openid-configuration'],
    links: [LINKS.errorCodes, LINKS.nationalClouds],
  },
  TOKEN_FAILED: {
    title: 'Entra ID refused the token request',
    seen: 'An AADSTS error other than the ones the doctor names (the number and Microsoft\'s error URI are in the evidence), or a token endpoint answer without a token.',
    cause: 'See Microsoft\'s description of the AADSTS code in the evidence (errorUri). Without an AADSTS code, something other than Entra ID answered (a proxy, or a wrong --login-url).',
    confirm: `Open the errorUri in the evidence. By hand: ${PS.tokenRequest}`,
    fix: 'Follow Microsoft\'s fix for the AADSTS code; for an answer without a code, check proxies and --login-url.',
    step: 2,
    portal: [PORTAL.overview],
    commands: [PS.tokenRequest],
    links: [LINKS.errorCodes, LINKS.clientCredentials],
  },
  CLOCK_SKEW: {
    title: 'The local clock is off',
    seen: 'The Date header of Entra\'s answer differs from this machine\'s clock by more than 5 minutes.',
    cause: 'This machine\'s clock is wrong. Token lifetimes and certificate assertions (nbf/exp) are judged by Entra\'s clock, so sign-ins from here can fail or tokens look expired early.',
    confirm: 'Compare `date -u` with an NTP source (for example `w32tm /stripchart /computer:time.windows.com` or `chronyc tracking`).',
    fix: 'Synchronise the clock (enable NTP), then run again.',
    step: 2,
    commands: ['timedatectl set-ntp true   # Linux (systemd)', 'w32tm /resync   # Windows'],
    links: [LINKS.clientCredentials],
  },
  REDIRECT_URI_MISSING: {
    title: 'The callback URL is not a redirect URI of the app',
    seen: 'AADSTS50011: The redirect URI \'…\' specified in the request does not match the redirect URIs configured for the application \'…\' (sometimes with "Reply address did not match because of case sensitivity"); or AADSTS500113: No reply address is registered for the application.',
    cause:
      'Webex Connect\'s "Generate Token" sign-in sends its Call Back URL as redirect_uri; Entra accepts only an exact match with one of the app\'s Web redirect URIs (a trailing slash, http instead of https, letter case or another tenant/region host all count as different).',
    confirm: `${PORTAL.redirectUris}: compare each entry character by character with the Call Back URL.`,
    fix: `${STEP2}: add the Call Back URL exactly as Webex Connect shows it as a Web redirect URI, keeping the URIs already there (other integrations use them); remove a near miss only if nothing else uses it. The commands set the whole Web list, so they name every Web redirect URI already registered plus the Call Back URL.`,
    step: 2,
    portal: [PORTAL.redirectUris, PORTAL.addWebPlatform],
    commands: [GRAPH.app, GRAPH.patchRedirect, PS.updateRedirect],
    links: [LINKS.redirectUriRules, LINKS.webApplication],
  },
  REDIRECT_URI_WRONG_PLATFORM: {
    title: 'The callback URL is registered under the wrong platform',
    seen: 'The Call Back URL is listed under "Single-page application" or "Mobile and desktop applications" instead of "Web".',
    cause:
      'Webex Connect is a confidential web client: it redeems the code with its client secret from its server. Entra accepts that only for Web redirect URIs; SPA URIs require a browser (CORS) redemption and public-client URIs refuse the secret.',
    confirm: `${PORTAL.redirectUris}: the URL appears in the SPA or Mobile and desktop section.`,
    fix: `${STEP2}: remove it from that platform and add it under Add a platform → Web, keeping the Web redirect URIs already there. The commands set the whole Web list, so they name every Web redirect URI already registered plus the Call Back URL.`,
    step: 2,
    portal: [PORTAL.addWebPlatform],
    commands: [GRAPH.app, GRAPH.patchRedirect, PS.updateRedirect],
    links: [LINKS.redirectUriRules, LINKS.application],
  },
  IMPLICIT_ACCESS_TOKENS_OFF: {
    title: 'Implicit grant "Access tokens" is off',
    seen: 'Authentication → Implicit grant and hybrid flows → "Access tokens (used for implicit flows)" is not ticked; an implicit request ends with AADSTS700051 (the text users report) or AADSTS70005 (the error table\'s number): response_type \'token\' is not enabled for the application.',
    cause: 'The setup guide (step 2) requires the app to issue access tokens from the authorization endpoint.',
    confirm: `${PORTAL.implicitGrant}.`,
    fix: `${STEP2}: tick "Access tokens (used for implicit flows)" and Save.`,
    step: 2,
    portal: [PORTAL.implicitGrant],
    commands: [GRAPH.patchImplicit, PS.updateImplicit],
    links: [LINKS.implicitGrant],
  },
  PERMISSION_NOT_CONFIGURED: {
    title: 'A required API permission is not configured',
    seen: 'API permissions does not list "Office 365 Exchange Online — Mail.Send — Application".',
    cause: 'The setup guide (step 2) adds the application permission Mail.Send of Office 365 Exchange Online. It is missing, or was added as Delegated, or on Microsoft Graph instead.',
    confirm: 'Microsoft Entra admin center → App registrations → your app → API permissions: the "Office 365 Exchange Online" group lists Mail.Send with Type "Application".',
    fix: `${STEP2}: Add a permission → APIs my organization uses → "Office 365 Exchange Online" → Application permissions → Mail → Mail.Send → Add permissions; then Grant admin consent.`,
    step: 2,
    portal: [PORTAL.apiPermissions, PORTAL.grantConsent],
    commands: [GRAPH.appPermissions, GRAPH.exchangeRoles, PS.addPermission],
    links: [LINKS.application, LINKS.exchangeOAuth],
  },
  ADMIN_CONSENT_MISSING: {
    title: 'Admin consent was not granted',
    seen: 'API permissions → Status shows "⚠ Not granted for <organization>" next to Mail.Send (as in the guide\'s screenshot before consent).',
    cause: 'A configured application permission takes effect only once an admin consents; until then the app\'s tokens do not carry the role.',
    confirm: `${PORTAL.grantConsent}. Graph: ${GRAPH.assignments}`,
    fix: `${STEP2}: click "Grant admin consent for <your organization>" and confirm with Yes (needs a Global, Application or Cloud Application Administrator).`,
    step: 2,
    portal: [PORTAL.grantConsent, PORTAL.enterprisePermissions],
    commands: [PS.adminConsent, PS.newAppRoleAssignment, GRAPH.assignments],
    links: [LINKS.appRoleAssignments],
  },
  ROLE_NOT_IN_TOKEN: {
    title: 'Consented, but not yet in the token',
    seen: 'The app role is consented (appRoleAssignment exists) but the `roles` claim of a fresh token does not contain it.',
    cause: 'Consent replicates with a delay, or a token issued before consent is still cached. Microsoft notes replication delays for appRoleAssignments.',
    confirm: 'Request a new token after a few minutes and decode it (jwt.ms): `roles` should list the permission.',
    fix: 'Wait a few minutes and run again. If it persists, remove and grant admin consent again.',
    step: 2,
    portal: [PORTAL.grantConsent],
    commands: [PS.tokenRequest],
    links: [LINKS.tokenClaims, LINKS.appRoleAssignments],
  },
  USER_NOT_ASSIGNED: {
    title: 'The mailbox user is not assigned to the app',
    seen: 'At "Generate Token" in Webex Connect: AADSTS50105: Your administrator has configured the application … to block users unless they are specifically granted (\'assigned\') access to the application.',
    cause:
      'The enterprise application has "Assignment required?" = Yes, and the mailbox user is neither assigned nor a DIRECT member of an assigned group. ' +
      'Assignment does not cascade to nested groups: a user who is in an assigned group only through another group is not assigned (Microsoft: "Nested group memberships aren\'t currently supported").',
    confirm: `${PORTAL.usersAndGroups}: neither the mailbox user nor a group it is a direct member of is listed. By hand: ${GRAPH.userAssignments} (lists the user's own assignments and those of its direct groups; none has resourceId <webex-sp-id>).`,
    fix: 'Assign the mailbox user itself (or a group it is a DIRECT member of, not one it reaches through a nested group) to the app, or set "Assignment required?" to No.',
    step: 2,
    portal: [PORTAL.usersAndGroups, PORTAL.enterpriseProperties],
    commands: [PS.assignUser, PS.assignmentNotRequired, GRAPH.userAssignments, GRAPH.assignedTo],
    links: [LINKS.assignNoCascade, LINKS.userAppRoleAssignments, LINKS.servicePrincipal],
  },
  USER_CONSENT_DISABLED: {
    title: 'The mailbox user cannot consent to the Webex sign-in',
    seen: 'At "Generate Token" in Webex Connect the mailbox user sees "Need admin approval" (AADSTS90094 / AADSTS65001).',
    cause:
      'Webex Connect signs in as the mailbox user and asks for delegated permissions (SMTP.Send on Office 365 Exchange Online, offline_access). The permission grant policies assigned to users do not allow them for this app, ' +
      'and no admin has consented for all users. Microsoft-managed consent (microsoft-user-default-recommended, today\'s default) allows users only openid, profile, email, offline_access and User.Read of Microsoft Graph for verified publishers, ' +
      'so a customer\'s own app registration never gets user consent for SMTP.Send. Other causes: user consent off, the low-impact policy without these permissions classified low, "Assignment required", a custom policy that excludes them.',
    confirm: `${PORTAL.userConsentSettings}; ${PORTAL.enterprisePermissions}. Graph: ${GRAPH.authorizationPolicy}, ${GRAPH.grants}`,
    fix:
      'Grant admin consent for all users: Enterprise applications → your app → Security → Permissions → Grant admin consent (the app\'s API permissions must list SMTP.Send and offline_access as Delegated), or run the two New-MgOauth2PermissionGrant commands, ' +
      'which create the AllPrincipals grants for this app. This works whatever the consent policy, and is the only way under Microsoft-managed consent. ' +
      'Loosening user consent instead (classifying SMTP.Send and offline_access as low impact with the low-impact policy, or "Allow user consent for apps" as the guide notes) is a tenant-wide decision.',
    step: 2,
    portal: [PORTAL.enterprisePermissions, PORTAL.userConsentSettings, PORTAL.classifications],
    commands: [
      PS.grantAllPrincipals,
      "New-MgOauth2PermissionGrant -ClientId <webex-sp-id> -ConsentType AllPrincipals -ResourceId <graph-sp-id> -Scope 'offline_access'",
      PS.classify,
      PS.lowPolicy,
      GRAPH.authorizationPolicy,
    ],
    links: [LINKS.oauth2PermissionGrant, LINKS.userConsent, LINKS.classifications],
  },
  MAILBOX_USER_NOT_FOUND: {
    title: 'No Entra user has the mailbox address',
    seen: 'At "Generate Token" in Webex Connect nobody can sign in as the mailbox; Graph\'s `/users/{address}` answers 404 Request_ResourceNotFound.',
    cause:
      'Microsoft Graph finds a user by object id or userPrincipalName only, so wxmail looks the mailbox address up as mail, userPrincipalName and smtp: proxy address. None matched: a typo, a mailbox of another tenant, or an address that is not (yet) on any user.',
    confirm: `Microsoft 365 admin center → Users → Active users → search the address. By hand: ${GRAPH.findUser}`,
    fix: 'Configure the mailbox\'s primary SMTP address (or an alias of it) as the mailbox in Webex Connect and in wxmail, or create the mailbox first.',
    step: 2,
    portal: ['Microsoft 365 admin center → Users → Active users → the user → Username and email / Manage email aliases'],
    commands: [GRAPH.findUser],
    links: [LINKS.userGet],
  },
  SECRET_ON_SERVICE_PRINCIPAL: {
    title: 'The secret is on the enterprise application, not on the app registration',
    seen: 'Certificates & secrets of the app registration does not list the secret Webex Connect uses; it was added to the enterprise application (service principal) with addPassword.',
    cause:
      'Secrets can be added to the service principal (servicePrincipal: addPassword) as well as to the application. The portal shows only the registration\'s secrets, so this one cannot be seen, rotated or tracked there. Whether the client credentials flow accepts such a secret for this use is not verified in Microsoft\'s documentation.',
    confirm: `GET https://graph.microsoft.com/v1.0/servicePrincipals/<webex-sp-id>?$select=passwordCredentials: the secret whose hint is the configured secret's first three characters. Then \`entra.token\` shows whether the token request with it succeeded.`,
    fix: `${STEP2}: create a client secret on the app registration (Certificates & secrets → New client secret), enter its Value in Webex Connect and wxmail, and remove the service principal's secret (Remove-MgServicePrincipalPassword).`,
    step: 2,
    portal: [PORTAL.newSecret],
    commands: [PS.addPassword, 'Remove-MgServicePrincipalPassword -ServicePrincipalId <webex-sp-id> -KeyId <key-id>', "GET https://graph.microsoft.com/v1.0/servicePrincipals/<webex-sp-id>?$select=passwordCredentials"],
    links: [LINKS.passwordCredential, 'https://learn.microsoft.com/graph/api/serviceprincipal-addpassword'],
  },
};

export function explain<K extends string>(...codes: K[]): Record<K, Explanation> {
  const out = {} as Record<K, Explanation>;
  for (const c of codes) {
    const e = EXPLAIN[c];
    if (!e) throw new Error(`no explanation for ${c}`);
    out[c] = e;
  }
  return out;
}
