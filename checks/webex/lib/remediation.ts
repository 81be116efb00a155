/**
 * Where the two Webex Connect values come from and where they are used, shared by the webex
 * checks' explanation entries so every entry names the same paths.
 */

/** Step 1 (the setup guide): where both values are shown. */
export const WEBEX_EMAIL_APP =
  'Webex Connect → Assets → Apps → Configure New App → Email (or the existing Email app) → Authentication Type "OAuth 2.0"';
export const WEBEX_CALLBACK_FIELD = `${WEBEX_EMAIL_APP} → "Call Back URL" (copy it exactly)`;
export const WEBEX_FORWARDING_FIELD = `${WEBEX_EMAIL_APP} → "Forwarding Address" → Copy`;

/** Step 2: the callback URL is the app registration's Web redirect URI. */
export const ENTRA_REDIRECT_URI =
  'Microsoft Entra admin center → Identity → Applications → App registrations → your app → Authentication → Web → Redirect URIs (must equal the Call Back URL)';
/** Step 3: the forwarding address is the mailbox's forwarding target. */
export const M365_FORWARDING =
  'Microsoft 365 admin center → Users → Active users → the mailbox user → Mail → Email forwarding → Manage email forwarding → "Forwarding email address" (must equal the Forwarding Address)';

export const GRAPH_REDIRECT_URIS = "GET https://graph.microsoft.com/v1.0/applications(appId='<client-id>')?$select=web";
export const GET_MAILBOX_FORWARDING = 'Get-Mailbox -Identity <mailbox> | Format-List ForwardingSmtpAddress,DeliverToMailboxAndForward';
export const SET_MAILBOX_FORWARDING =
  'Set-Mailbox -Identity <mailbox> -ForwardingSmtpAddress <forwarding-address>';

export const LINK_WEBEX_EMAIL_ASSET = 'https://help.webexconnect.io/docs/wxcc-email-asset-creation';
export const LINK_REDIRECT_URI_RULES = 'https://learn.microsoft.com/entra/identity-platform/reply-url';
export const LINK_SET_MAILBOX = 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-mailbox';

/** Cisco's page listing the current and legacy Webex Connect hosts per region (G25 [V]). */
export const LINK_WEBEX_REGIONS = 'https://developer.webex.com/docs/webex-connect-api-endpoints-and-regions';

/** Said with every Call Back URL verdict: the hosts are documented, the path is observed. */
export const CALLBACK_CAVEAT =
  'The host names and regions are Cisco\'s (Webex Connect API endpoints and regions, current and legacy hosts); the /callback path and the tenant label come from observed examples (Cisco lab guides and the setup guide), not from a Cisco specification.';

/** Said with every verdict that rests on the forwarding-domain pattern. */
export const PATTERN_CAVEAT =
  'The recognised forms come from observed examples (Cisco lab guides and the setup guide), not from a Cisco specification.';
