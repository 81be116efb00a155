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

/** A PowerShell single-quoted string literal. */
function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
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
    select: [asText('Identity'), asText('PrimarySmtpAddress'), 'SmtpClientAuthenticationDisabled'],
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
  for (const m of mailboxes) {
    if (/[\r\n`$]/.test(m)) throw new Error(`evidence-script: mailbox ${JSON.stringify(m)} contains characters a mailbox address cannot have`);
  }
  const list = mailboxes.length ? mailboxes.map(psQuote).join(', ') : '';
  const lines = [
    '# wxmail Exchange evidence script: reads (never changes) the Exchange Online settings',
    '# `wxmail doctor` checks for step 3 of the Webex Connect setup guide, and writes one JSON',
    '# file per cmdlet. Run it as an Exchange admin or Global Reader:',
    '#   powershell -ExecutionPolicy Bypass -File .\\wxmail-evidence.ps1 [-OutDir .\\wxmail-exchange-evidence]',
    '# then hand the folder over, and evaluate it with:',
    '#   wxmail doctor --exchange-evidence .\\wxmail-exchange-evidence --mailbox <mailbox> --forwarding-address <address>',
    '#Requires -Modules ExchangeOnlineManagement',
    'param([string]$OutDir = (Join-Path (Get-Location) \'wxmail-exchange-evidence\'))',
    '$ErrorActionPreference = \'Stop\'',
    `$Mailboxes = @(${list})`,
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
