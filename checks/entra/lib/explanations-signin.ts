import type { Explanation } from '../../../src/core/explanation.js';
import { GRAPH, LINKS, PORTAL, PS, STEP2 } from './remediation.js';

/**
 * Explanation entries for the sign-in errors of G7 (each AADSTS number its own cause and fix),
 * the authorize-endpoint probe (G22/G23) and the consent policy that cannot be evaluated (G4).
 * Kept apart from explanations.ts so that file's entries stay one per credential/assignment code.
 */

const ENTERPRISE = 'Microsoft Entra admin center → Identity → Applications → Enterprise applications';

const SIGNIN = {
  spSignInLogs: `${ENTERPRISE} → your app → Activity → Sign-in logs → Service principal sign-ins (the failure names the policy and the AADSTS code)`,
  conditionalAccess: 'Microsoft Entra admin center → Protection → Conditional Access → Policies (policies assigned to workload identities)',
  newSp: 'Microsoft Entra admin center → Identity → Applications → App registrations → your app → Overview → "Managed application in local directory" → Create (the enterprise application)',
  licences: 'Microsoft 365 admin center → Billing → Your products (an Exchange Online plan)',
};

const LINK = {
  conditionalAccessWorkload: 'https://learn.microsoft.com/entra/identity/conditional-access/workload-identity',
  createSp: 'https://learn.microsoft.com/entra/identity-platform/howto-create-service-principal-portal',
  certificateCredentials: 'https://learn.microsoft.com/entra/identity-platform/certificate-credentials',
  authorizeRequest: 'https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow',
  permissionGrantPolicies: 'https://learn.microsoft.com/graph/api/resources/permissiongrantpolicy',
  conditionSet: 'https://learn.microsoft.com/graph/api/resources/permissiongrantconditionset',
};

export const SIGN_IN_EXPLAIN: Record<string, Explanation> = {
  SERVICE_PRINCIPAL_MISSING: {
    title: 'The app has no enterprise application (service principal) in the tenant',
    seen: 'AADSTS7000229: The client application … is missing service principal in the tenant …. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119',
    cause:
      'An app registration signs in to a tenant through its service principal there (the "Enterprise application"). It is created when an admin grants consent, or by hand. ' +
      'Here it was never created in this tenant, or it was deleted, so Entra issues the app no token at all.',
    confirm: `${ENTERPRISE}: search for the app's client ID; nothing is found. Graph: ${GRAPH.sp}`,
    fix: `${STEP2}: create the service principal (App registrations → your app → Overview → "Managed application in local directory" → Create), or grant admin consent, which creates it; then run again.`,
    step: 2,
    portal: [SIGNIN.newSp, PORTAL.grantConsent],
    commands: ['New-MgServicePrincipal -AppId <client-id>', PS.adminConsent],
    links: [LINK.createSp, LINKS.errorCodes],
  },
  CONDITIONAL_ACCESS_BLOCKED: {
    title: 'A Conditional Access policy blocks the sign-in',
    seen: 'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    cause:
      'Entra ID accepted the credentials, then a Conditional Access policy refused the token. For an app signing in with its own credentials this is a policy for workload identities ' +
      '(service principals), for example one that allows sign-ins only from named locations; Webex Connect\'s servers and this machine may be outside them.',
    confirm: `${SIGNIN.spSignInLogs}; ${SIGNIN.conditionalAccess}.`,
    fix: 'Exclude the Webex app\'s service principal from the blocking policy, or add the locations Webex Connect and this machine sign in from; then run again.',
    step: 2,
    portal: [SIGNIN.spSignInLogs, SIGNIN.conditionalAccess],
    commands: ["Get-MgIdentityConditionalAccessPolicy | Where-Object { $_.Conditions.ClientApplications.IncludeServicePrincipals -contains 'ServicePrincipalsInMyTenant' -or $_.Conditions.ClientApplications.IncludeServicePrincipals -contains '<webex-sp-id>' }"],
    links: [LINK.conditionalAccessWorkload, LINKS.errorCodes],
  },
  RESOURCE_NOT_IN_TENANT: {
    title: 'Exchange Online (or Graph) is not in the tenant',
    seen: 'AADSTS500011: The resource principal named https://outlook.office365.com was not found in the tenant named …',
    cause:
      'A token is issued for a resource API only if that API has a service principal in the tenant. Office 365 Exchange Online has one once the tenant has an Exchange Online subscription. ' +
      'It is missing when the tenant has no Exchange Online, the request went to another tenant, or the scope names another cloud\'s resource.',
    confirm: `${SIGNIN.licences}. Graph: ${GRAPH.exchangeRoles}`,
    fix: 'Use the tenant that holds the mailbox (--tenant-id) and its cloud (--cloud); the tenant needs an Exchange Online plan for the mailbox.',
    step: 2,
    portal: [SIGNIN.licences, PORTAL.overview],
    commands: ["Get-MgServicePrincipal -Filter \"appId eq '00000002-0000-0ff1-ce00-000000000000'\""],
    links: [LINKS.errorCodes, LINKS.nationalClouds],
  },
  CLIENT_ASSERTION_TIME_INVALID: {
    title: 'The certificate sign-in is outside its time range (clock)',
    seen: 'AADSTS700024: Client assertion is not within its valid time range. Current time: …, assertion valid from … expiry time of assertion ….',
    cause:
      'With a certificate, the client signs an assertion whose validity (nbf, exp) comes from this machine\'s clock; Entra judges it by its own clock. This machine\'s clock is off by more than Entra tolerates.',
    confirm: 'Compare `date -u` with an NTP source (`chronyc tracking`, or `w32tm /stripchart /computer:time.windows.com` on Windows).',
    fix: 'Synchronise this machine\'s clock (enable NTP), then run again.',
    step: 2,
    commands: ['timedatectl set-ntp true   # Linux (systemd)', 'w32tm /resync   # Windows'],
    links: [LINK.certificateCredentials, LINKS.errorCodes],
  },
  AUTHORIZE_ERROR: {
    title: 'Entra refused the sign-in probe with an error the doctor has no name for',
    seen: 'The authorize endpoint answered the probe for the Call Back URL with an AADSTS code (in the evidence) that is not one of the redirect-URI, app or tenant errors.',
    cause:
      'The mailbox user\'s "Generate Token" sign-in sends the same request; whether this error also stops it depends on the code. Microsoft\'s description of the code is at the errorUri in the evidence.',
    confirm: 'Open the errorUri in the evidence; or open the authorize URL from the evidence in a private browser window and read the error page.',
    fix: 'Follow Microsoft\'s description of the AADSTS code; then run again.',
    step: 2,
    portal: [PORTAL.redirectUris],
    commands: ['https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0/authorize?client_id=<client-id>&response_type=code&redirect_uri=<callback-url>&scope=openid&prompt=none'],
    links: [LINKS.errorCodes, LINK.authorizeRequest],
  },
  AUTHORIZE_PROBE_INCONCLUSIVE: {
    title: 'The sign-in probe got an answer that is not Entra\'s',
    seen: 'The authorize endpoint answered 200 with a page that carries no AADSTS code and none of Entra\'s markers ($Config, x-ms-request-id): a proxy, block or captive page, not Entra.',
    cause:
      'Without read access to the app registration, the doctor asks the authorize endpoint whether it accepts the Call Back URL. The answer did not come from Entra ID, so it says nothing about the redirect URI.',
    confirm: 'Open the authorize URL (below) in a browser on this machine: an Entra page or a redirect to the Call Back URL means Entra answered; anything else is a proxy.',
    fix: 'Give the doctor read access to the app registration (Application.Read.All, or a reader with --sign-in), or run it where login.microsoftonline.com is reached directly.',
    step: 2,
    portal: [PORTAL.redirectUris],
    commands: ['https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0/authorize?client_id=<client-id>&response_type=code&redirect_uri=<callback-url>&scope=openid&prompt=none', GRAPH.app],
    links: [LINK.authorizeRequest, LINKS.redirectUriRules],
  },
  USER_CONSENT_UNDETERMINED: {
    title: 'Cannot tell whether the mailbox user may consent',
    seen: 'The tenant\'s user-consent policy could not be read or evaluated for Webex Connect\'s sign-in (SMTP.Send on Office 365 Exchange Online, offline_access), and no admin consented for all users.',
    cause:
      'Whether "Generate Token" asks the mailbox user for consent or shows "Need admin approval" depends on the permission grant policies assigned to users and their condition sets. ' +
      'The doctor could not read them (Policy.Read.PermissionGrant or Policy.Read.All), or a condition depends on something it cannot see (the details name it).',
    confirm: `${PORTAL.userConsentSettings}. Graph: GET https://graph.microsoft.com/v1.0/policies/permissionGrantPolicies/<policy-name>`,
    fix:
      'Grant admin consent for all users, which works whatever the policy: Enterprise applications → your app → Permissions → Grant admin consent (an AllPrincipals grant covering SMTP.Send and offline_access). ' +
      'Or give the doctor Policy.Read.All so it can evaluate the policy.',
    step: 2,
    portal: [PORTAL.enterprisePermissions, PORTAL.userConsentSettings],
    commands: [
      "New-MgOauth2PermissionGrant -ClientId <webex-sp-id> -ConsentType AllPrincipals -ResourceId <exchange-sp-id> -Scope 'SMTP.Send'",
      "New-MgOauth2PermissionGrant -ClientId <webex-sp-id> -ConsentType AllPrincipals -ResourceId <graph-sp-id> -Scope 'offline_access'",
      'GET https://graph.microsoft.com/v1.0/policies/permissionGrantPolicies/<policy-name>',
    ],
    links: [LINK.permissionGrantPolicies, LINK.conditionSet, LINKS.userConsent, LINKS.oauth2PermissionGrant],
  },
};
