/**
 * The PowerShell script behind `wxmail evidence-script`: for a customer who will not grant the
 * doctor Exchange.ManageAsApp, an Exchange admin runs it (read-only Get-* cmdlets, Global Reader
 * is enough) and hands over the folder; `wxmail doctor --exchange-evidence DIR` then evaluates it
 * with the same checks.
 *
 * Each file is `Get-X | Select-Object … | ConvertTo-Json -Depth 5 | Out-File -Encoding utf8 Get-X.json`.
 * Select-Object keeps only what the checks read (no mailbox statistics, no other users) and
 * writes enums as their names: ConvertTo-Json writes an enum as its number, and the numbering of
 * AutoForwardingMode is not documented. The collector also reads files written without it.
 */
import { EVIDENCE_FILES, evidenceFileName, type EvidenceCmdlet } from './evidence-files.js';

export interface EvidenceScriptOptions {
  /** Mailbox addresses (the assets' Email IDs). */
  mailboxes: string[];
}

/** A mailbox given to the script that is not an e-mail address. */
export class MailboxNotAddress extends Error {
  override name = 'MailboxNotAddress';
}

/**
 * An e-mail address: an RFC 5322 dot-atom local part (which may hold `'`, `` ` ``, `$`, `{` …:
 * the script never treats them as code), `@`, and a domain of letters, digits and hyphens.
 */
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isMailboxAddress(value: string): boolean {
  return value.length <= 320 && ADDRESS.test(value);
}

/**
 * The mailbox list as data, never as code (G21): base64 of the addresses, one a line, decoded by
 * the script at run time. Base64's alphabet has no quote, `$`, backtick or newline, so no value
 * can end the literal or run; this holds for the typographic quotes PowerShell also honours.
 */
export function mailboxData(mailboxes: string[]): string {
  return Buffer.from(mailboxes.join('\n'), 'utf8').toString('base64');
}

/** `@{n='X';e={[string]$_.X}}`: a property as text (an enum's name, an identity's string form). */
const asText = (p: string): string => `@{n='${p}';e={[string]$_.${p}}}`;
/** `@{n='X';e={@($_.X | ForEach-Object { [string]$_ })}}`: a list of recipients/domains as text. */
const asList = (p: string): string => `@{n='${p}';e={@($_.${p} | ForEach-Object { [string]$_ })}}`;

interface CmdletSpec {
  /** The cmdlet call, reading from `$Mailboxes` for per-mailbox cmdlets. */
  get: string;
  select: string[];
}

const SPECS: Record<EvidenceCmdlet, CmdletSpec> = {
  'Get-Mailbox': {
    get: '$Mailboxes | ForEach-Object { Get-Mailbox -Identity $_ }',
    select: [
      asText('Identity'), 'Name', 'DisplayName', 'Alias', 'UserPrincipalName', asText('PrimarySmtpAddress'), 'ExternalDirectoryObjectId',
      asText('RecipientTypeDetails'), asList('EmailAddresses'), asText('ForwardingSmtpAddress'), asText('ForwardingAddress'), 'DeliverToMailboxAndForward',
    ],
  },
  'Get-CASMailbox': {
    get: '$Mailboxes | ForEach-Object { Get-CASMailbox -Identity $_ }',
    select: [asText('Identity'), asText('PrimarySmtpAddress'), 'SmtpClientAuthenticationDisabled', 'ImapEnabled'],
  },
  'Get-TransportConfig': {
    get: 'Get-TransportConfig',
    select: ['SmtpClientAuthenticationDisabled'],
  },
  'Get-HostedOutboundSpamFilterPolicy': {
    get: 'Get-HostedOutboundSpamFilterPolicy',
    select: [asText('Identity'), 'Name', 'IsDefault', 'Enabled', asText('AutoForwardingMode')],
  },
  'Get-HostedOutboundSpamFilterRule': {
    get: 'Get-HostedOutboundSpamFilterRule',
    select: [
      asText('Identity'), 'Name', asText('HostedOutboundSpamFilterPolicy'), 'Priority', asText('State'),
      asList('From'), asList('FromMemberOf'), asList('SenderDomainIs'), asList('ExceptIfFrom'), asList('ExceptIfFromMemberOf'), asList('ExceptIfSenderDomainIs'),
    ],
  },
  'Get-RemoteDomain': {
    get: 'Get-RemoteDomain',
    select: [asText('Identity'), 'Name', asText('DomainName'), 'AutoForwardEnabled'],
  },
  'Get-Recipient': {
    // ForwardingAddress is a recipient (Name, alias, DN, GUID …), not an address (G12 [V]).
    get: "$Mailboxes | ForEach-Object { Get-Mailbox -Identity $_ } | Where-Object { $_.ForwardingAddress } | ForEach-Object { Get-Recipient -Identity ([string]$_.ForwardingAddress) -ErrorAction Continue }",
    select: [
      asText('Identity'), 'Name', 'Alias', 'DisplayName', asText('DistinguishedName'), asText('Guid'), asText('RecipientType'), asText('RecipientTypeDetails'),
      asText('PrimarySmtpAddress'), asText('ExternalEmailAddress'), asList('EmailAddresses'),
    ],
  },
  'Get-TransportRule': {
    get: 'Get-TransportRule',
    select: [
      asText('Identity'), 'Name', asText('State'), asText('Mode'), 'Priority',
      asList('From'), asList('FromMemberOf'), asText('FromScope'), asText('SentToScope'), asText('MessageTypeMatches'),
      asList('RecipientDomainIs'), asList('SentTo'), asList('ExceptIfFrom'), asList('ExceptIfFromMemberOf'), asList('ExceptIfSentTo'),
      asList('ExceptIfRecipientDomainIs'), asText('ExceptIfMessageTypeMatches'),
      'RejectMessageReasonText', asText('RejectMessageEnhancedStatusCode'), 'DeleteMessage', asList('RedirectMessageTo'), 'Quarantine',
      asList('Conditions'), asList('Exceptions'),
    ],
  },
};

export function evidenceScript(opts: EvidenceScriptOptions): string {
  const mailboxes = opts.mailboxes.map((m) => m.trim()).filter(Boolean);
  const bad = mailboxes.find((m) => !isMailboxAddress(m));
  if (bad !== undefined) throw new MailboxNotAddress(`mailbox (--mailbox): ${JSON.stringify(bad).slice(0, 80)} is not an e-mail address`);
  const lines = [
    '# wxmail Exchange evidence script: reads (never changes) the Exchange Online settings',
    '# `wxmail doctor` checks for step 3 of the Webex Connect setup guide, and writes one JSON',
    '# file per cmdlet. Run it as an Exchange admin or Global Reader:',
    '#   powershell -ExecutionPolicy Bypass -File .\\wxmail-evidence.ps1 [-OutDir .\\wxmail-exchange-evidence]',
    '# then hand the folder over, and evaluate it with:',
    '#   wxmail doctor --exchange-evidence .\\wxmail-exchange-evidence --mailbox <mailbox> --forwarding-address <address>',
    // v3 talks to the admin REST API; v2 used Remote PowerShell, which Exchange Online retired (G19).
    "#Requires -Modules @{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.0.0' }",
    'param([string]$OutDir = (Join-Path (Get-Location) \'wxmail-exchange-evidence\'))',
    '$ErrorActionPreference = \'Stop\'',
    '# The mailboxes, as data: base64 of the addresses, one a line.',
    `$Mailboxes = @([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${mailboxData(mailboxes)}')) -split '\\n' | Where-Object { $_ })`,
    'if ($Mailboxes.Count -eq 0) { throw \'No mailbox: run wxmail evidence-script --mailbox <mailbox>\' }',
    'New-Item -ItemType Directory -Force -Path $OutDir | Out-Null',
    'Connect-ExchangeOnline -ShowBanner:$false',
    'try {',
  ];
  for (const cmdlet of EVIDENCE_FILES) {
    const spec = SPECS[cmdlet];
    lines.push(
      `  Write-Host 'Reading ${cmdlet}'`,
      `  ${spec.get} | Select-Object -Property ${spec.select.join(', ')} | ConvertTo-Json -Depth 5 | Out-File -Encoding utf8 -FilePath (Join-Path $OutDir '${evidenceFileName(cmdlet)}')`,
    );
  }
  lines.push(
    '} finally {',
    '  Disconnect-ExchangeOnline -Confirm:$false',
    '}',
    'Write-Host "Done. Evaluate with: wxmail doctor --exchange-evidence `"$OutDir`""',
    '',
  );
  return lines.join('\n');
}
