import type { Explanation } from '../../../src/core/explanation.js';

/** learn.microsoft.com pages the reference cites (sections B3, C6, D). */
export const LINKS = {
  smtpAuth: 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
  setCasMailbox: 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-casmailbox',
  setTransportConfig: 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-transportconfig',
  setMailbox: 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-mailbox',
  externalForwarding: 'https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding',
  newOutboundPolicy: 'https://learn.microsoft.com/powershell/module/exchangepowershell/new-hostedoutboundspamfilterpolicy',
  newOutboundRule: 'https://learn.microsoft.com/powershell/module/exchangepowershell/new-hostedoutboundspamfilterrule',
  setRemoteDomain: 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-remotedomain',
  newRemoteDomain: 'https://learn.microsoft.com/powershell/module/exchangepowershell/new-remotedomain',
  setTransportRule: 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-transportrule',
  newTransportRule: 'https://learn.microsoft.com/powershell/module/exchangepowershell/new-transportrule',
  senderRewriting: 'https://learn.microsoft.com/exchange/mail-flow-best-practices/sender-rewriting-scheme',
  appOnly: 'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2',
  messageRules: 'https://learn.microsoft.com/graph/api/mailfolder-list-messagerules',
} as const;

/**
 * MISSING_PERMISSION for the Exchange checks: the Exchange admin API refused the reading identity.
 * Replaces the generic entry so the remediation names both ways out.
 */
export const exchangeMissingPermission: Explanation = {
  title: 'The reading identity may not read Exchange Online settings',
  seen: 'The Exchange admin API answered 401 or 403 to a Get-* cmdlet.',
  cause:
    'Reading Exchange Online settings app-only needs the application permission Exchange.ManageAsApp (Office 365 Exchange Online) with admin consent *and* a Microsoft Entra role such as Global Reader assigned to the app. The Webex app does not need, and should not get, either; without a reader identity it is the one reading.',
  confirm:
    'Microsoft Entra admin center → App registrations → the reading app → API permissions: "Exchange.ManageAsApp" granted; Roles and administrators → Global Reader → Assignments lists the app.',
  fix:
    'Either run with a reader identity that has Exchange.ManageAsApp and Global Reader (`--reader-client-id` with `--reader-client-secret-file` or `--reader-client-certificate`, or `--sign-in` as an admin with an Exchange role), or collect the settings without granting anything: `wxmail evidence-script --mailbox <mailbox> > wxmail-evidence.ps1`, have an Exchange admin run it, and evaluate the folder it writes with `wxmail doctor --exchange-evidence <folder>`.',
  step: 3,
  portal: [
    'Microsoft Entra admin center → Identity → Applications → App registrations → the reader app → API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → Exchange.ManageAsApp → Grant admin consent',
    'Microsoft Entra admin center → Identity → Roles & admins → Global Reader → Add assignments → the reader app',
  ],
  commands: ['wxmail evidence-script --mailbox <mailbox> > wxmail-evidence.ps1', 'wxmail doctor --exchange-evidence ./wxmail-exchange-evidence'],
  links: [LINKS.appOnly],
};

export const mailboxNotFound: Explanation = {
  title: 'The mailbox is not in Exchange Online',
  seen: 'Get-Mailbox: "The operation couldn\'t be performed because object \'…\' couldn\'t be found".',
  cause: 'The mailbox given as the Webex Connect asset\'s Email ID (`--mailbox`) has no Exchange Online mailbox in this tenant: a typo, a user without an Exchange Online licence, or another tenant.',
  confirm: 'Microsoft 365 admin center → Users → Active users → the user → Mail: the mailbox settings are shown. Or `Get-Mailbox -Identity <mailbox>`.',
  fix: 'Give the Email ID exactly as configured in Webex Connect (`--mailbox`), and make sure the user has an Exchange Online licence (setup guide step 3: "a user with a mailbox").',
  step: 3,
  portal: ['Microsoft 365 admin center → Users → Active users → the user → Licenses and apps'],
  commands: ['Get-Mailbox -Identity <mailbox> | Format-List UserPrincipalName,PrimarySmtpAddress,RecipientTypeDetails'],
  links: [LINKS.setMailbox],
};

/** Entries every Exchange check shares (collector-raised codes). */
export const sharedExchangeExplanations = {
  MISSING_PERMISSION: exchangeMissingPermission,
  MAILBOX_NOT_FOUND: mailboxNotFound,
};
