import type { Explanation } from '../../src/core/explanation.js';

/**
 * Explanation entries for the SMTP probes' codes (one source: reports and `wxmail explain`
 * render from these). Microsoft's reply lines are quoted from reference/microsoft-365.md B4.
 */

const OAUTH_DOC = 'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth';
const SMTP_AUTH_DOC = 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission';
const LOB_DOC = 'https://learn.microsoft.com/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off';
const CLAIMS_DOC = 'https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference';

export const SMTP_UNREACHABLE: Explanation = {
  title: 'The SMTP submission endpoint cannot be used from here',
  seen: 'Connecting to the SMTP endpoint (smtp.office365.com:587 in the worldwide cloud) fails at one stage: DNS, proxy, TCP, the 220 banner, EHLO, STARTTLS/TLS, or `AUTH XOAUTH2` missing after STARTTLS. The evidence names the stage (with swaks\' exit code for it) and keeps the dialogue.',
  cause: 'Outbound port 587 is blocked by a firewall, a proxy does not allow CONNECT to port 587, a TLS-inspecting device presents its own certificate, or the endpoint given with --smtp-host is wrong. Webex Connect itself connects from Cisco\'s cloud, so this finding is about the path from this machine; it still shows whether the endpoint and its TLS/XOAUTH2 offer are as expected.',
  confirm: 'From the same machine: `openssl s_client -starttls smtp -connect smtp.office365.com:587 -crlf`, then `EHLO test` — the answer must list `AUTH LOGIN XOAUTH2`. Behind a proxy, check that HTTPS_PROXY allows CONNECT to port 587.',
  fix: 'Allow outbound TCP 587 to smtp.office365.com (or the cloud\'s SMTP host), let the proxy CONNECT to port 587 (or add the host to NO_PROXY if it is reachable directly), and add a TLS-inspecting proxy\'s CA with `--ca-file`. Check `--smtp-host`/`--smtp-port` for typos.',
  step: 4,
  commands: ['openssl s_client -starttls smtp -connect smtp.office365.com:587 -crlf', 'Test-NetConnection smtp.office365.com -Port 587'],
  links: [LOB_DOC],
};

export const SMTP_AUTH_DISABLED_MAILBOX: Explanation = {
  title: 'Authenticated SMTP is turned off for the mailbox',
  seen: '`535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.`',
  cause: 'The mailbox\'s SmtpClientAuthenticationDisabled is $true. The mailbox setting takes precedence over the organization setting, so Webex Connect cannot send as this mailbox over SMTP, with OAuth or otherwise.',
  confirm: '`Get-CASMailbox -Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled` shows True; or Microsoft 365 admin center → Users → Active users → the user → Mail → Manage email apps: "Authenticated SMTP" is unticked.',
  fix: 'Enable Authenticated SMTP for this mailbox only (setup guide step 3).',
  step: 3,
  portal: ['Microsoft 365 admin center → Users → Active users → (the mailbox user) → Mail → Manage email apps → tick "Authenticated SMTP" → Save changes'],
  commands: ['Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false'],
  links: ['https://aka.ms/smtp_auth_disabled', SMTP_AUTH_DOC],
};

export const SMTP_AUTH_DISABLED_TENANT: Explanation = {
  title: 'Authenticated SMTP is turned off for the organization',
  seen: '`535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.`',
  cause: 'Get-TransportConfig SmtpClientAuthenticationDisabled is $true (the default for organizations created after January 2020) and the mailbox does not override it (its own setting is blank).',
  confirm: '`Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled` shows True and `Get-CASMailbox -Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled` is blank.',
  fix: 'Keep it off for the organization and enable it for this mailbox only: the mailbox setting takes precedence (setup guide step 3).',
  step: 3,
  portal: ['Microsoft 365 admin center → Users → Active users → (the mailbox user) → Mail → Manage email apps → tick "Authenticated SMTP" → Save changes'],
  commands: ['Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false', 'Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled'],
  links: ['https://aka.ms/smtp_auth_disabled', SMTP_AUTH_DOC],
};

export const SMTP_AUTH_BLOCKED_BY_POLICY: Explanation = {
  title: 'A sign-in policy blocks SMTP AUTH',
  seen: '`535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.` or `535 5.7.139 Authentication unsuccessful, user is locked by your organization\'s security defaults policy. Contact your administrator.`',
  cause: 'A Conditional Access policy (often "Block legacy authentication", which covers SMTP AUTH), an MFA requirement, or the tenant\'s security defaults refuse the sign-in before the SMTP AUTH switches are even looked at.',
  confirm: 'Microsoft Entra admin center → Monitoring & health → Sign-in logs: find the sign-in of the mailbox user (or the app) at the time of the probe; "Conditional Access" tab shows the policy that applied. Security defaults: Microsoft Entra admin center → Overview → Properties → Manage security defaults.',
  fix: 'Exclude the Webex Connect mailbox (or the app) from the blocking Conditional Access policy, or move from security defaults to Conditional Access policies that allow it. Then enable Authenticated SMTP for the mailbox (setup guide step 3).',
  step: 3,
  portal: [
    'Microsoft Entra admin center → Protection → Conditional Access → Policies → (the policy) → Users → Exclude',
    'Microsoft Entra admin center → Identity → Overview → Properties → Manage security defaults',
  ],
  commands: ['Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false'],
  links: [SMTP_AUTH_DOC],
};

export const SMTP_AUTH_FAILED: Explanation = {
  title: 'Exchange Online refused the XOAUTH2 login',
  seen: '`535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]`',
  cause: 'Entra issued the token but Exchange Online does not accept it for this mailbox. The usual causes: the token lacks the `SMTP.SendAsApp` role (app-only) or the `SMTP.Send` scope (delegated); the app\'s service principal is not registered in Exchange Online (New-ServicePrincipal, with the Enterprise application\'s object id, not the app registration\'s); the service principal has no FullAccess on the mailbox; the login names another mailbox than the token may use; or a change has not propagated yet (wait some minutes). The summary says which cause the token\'s claims point to.',
  confirm: '`Get-ServicePrincipal | Where-Object AppId -eq <client id>` lists the app; `Get-MailboxPermission -Identity <mailbox> | Where-Object User -like \'*<SP id>*\'` shows FullAccess; the token\'s `roles` (evidence) contain SMTP.SendAsApp.',
  fix: 'For app-only SMTP: add the Office 365 Exchange Online application permission SMTP.SendAsApp and grant admin consent, register the service principal in Exchange and give it FullAccess on the mailbox. For a delegated token: sign in as the mailbox user with the `https://outlook.office.com/SMTP.Send` scope.',
  step: 2,
  portal: [
    'Microsoft Entra admin center → App registrations → your app → API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → SMTP.SendAsApp → Grant admin consent',
    'Microsoft Entra admin center → Enterprise applications → your app → Overview → Object ID (the -ObjectId for New-ServicePrincipal)',
  ],
  commands: [
    'New-ServicePrincipal -AppId <application (client) id> -ObjectId <Enterprise application object id>',
    'Add-MailboxPermission -Identity <mailbox> -User <webex-sp-id> -AccessRights FullAccess',
  ],
  links: [OAUTH_DOC, CLAIMS_DOC],
};

export const SEND_AS_DENIED: Explanation = {
  title: 'The identity may not send as the mailbox',
  seen: '`5.7.60 SMTP; Client does not have permissions to send as this sender` or `554 5.2.252 SendAsDenied; … not allowed to send as …; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied`',
  cause: 'The login succeeded, but Exchange Online refused the message because the signed-in identity has no right to send as the sender address (MAIL FROM/From). With app-only SMTP this means the service principal lacks permission on the mailbox; with a delegated token, the token belongs to another user. 5.2.252 is also Microsoft\'s code for "sender throttled due to continuous send as denied errors".',
  confirm: '`Get-MailboxPermission -Identity <mailbox>` and `Get-RecipientPermission -Identity <mailbox>` list the service principal (or user) with FullAccess / SendAs.',
  fix: 'Give the app\'s service principal FullAccess (and, if needed, SendAs) on the mailbox; for a delegated token, sign in as the mailbox user itself.',
  step: 3,
  commands: [
    'Add-MailboxPermission -Identity <mailbox> -User <webex-sp-id> -AccessRights FullAccess',
    'Add-RecipientPermission -Identity <mailbox> -Trustee <webex-sp-id> -AccessRights SendAs',
  ],
  links: [LOB_DOC, OAUTH_DOC],
};

export const SEND_REJECTED: Explanation = {
  title: 'Exchange Online refused the probe message',
  seen: 'A 5xx reply to MAIL FROM, RCPT TO or DATA other than send-as, such as `550 5.1.8 Bad outbound sender`, `5.7.705 Access denied, tenant has exceeded threshold`, `5.7.708 Access denied, traffic not accepted from this IP`, or `550 5.2.25x Sender throttled due to continuous … errors`.',
  cause: 'The mailbox is on the restricted-users list (it sent spam, or exceeded a sending limit), the tenant or this IP is blocked from sending, or the sender is throttled after continuous errors. Webex Connect\'s replies from this mailbox would be refused the same way.',
  confirm: 'Microsoft Defender portal → Email & collaboration → Review → Restricted entities lists the mailbox; the reply in the evidence names the enhanced status code.',
  fix: 'Release the mailbox from the restricted entities (after finding why it was blocked), or wait for the throttling to end; for 5.7.705/5.7.708 open a case with Microsoft.',
  step: 3,
  portal: ['Microsoft Defender portal → Email & collaboration → Review → Restricted entities'],
  links: [LOB_DOC],
};

/** Every code the SMTP reply table can produce, for checks that diagnose replies. */
export const SMTP_REPLY_EXPLANATIONS = {
  SMTP_AUTH_DISABLED_MAILBOX,
  SMTP_AUTH_DISABLED_TENANT,
  SMTP_AUTH_BLOCKED_BY_POLICY,
  SMTP_AUTH_FAILED,
  SEND_AS_DENIED,
  SEND_REJECTED,
};
