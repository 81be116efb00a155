import type { Explanation } from '../../src/core/explanation.js';

const FORWARDING_DOC = 'https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding';
const OAUTH_DOC = 'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth';

export const FORWARDING_NDR: Explanation = {
  title: 'Forwarding to Webex Connect bounces',
  seen: 'A non-delivery report about the probe arrives in the mailbox: `550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)`',
  cause: 'Exchange Online refused to forward the mail to the external Webex Connect forwarding address. With 5.7.520 the blocking setting is the outbound spam filter policy that applies to the mailbox: its automatic-forwarding rule is Off, or Automatic (system-controlled), which Microsoft now treats as Off. Every customer email would bounce the same way and never reach Webex Connect.',
  confirm: '`Get-HostedOutboundSpamFilterPolicy | Format-Table Name,IsDefault,AutoForwardingMode` and `Get-HostedOutboundSpamFilterRule | Format-Table Name,HostedOutboundSpamFilterPolicy,Priority,State,From` — the policy that applies to the mailbox (the first enabled rule that matches it, else Default) has AutoForwardingMode Off or Automatic. The exchange.outbound-spam-policy check names it.',
  fix: 'Allow automatic forwarding for the Webex Connect mailbox only: a custom outbound spam policy with automatic forwarding On, scoped to the mailbox by a rule (setup guide step 3, "allow forwarding in the Microsoft 365 Defender portal").',
  step: 3,
  portal: ['Microsoft Defender portal → Email & collaboration → Policies & rules → Threat policies → Anti-spam → Create policy → Outbound → Forwarding rules: "Automatic forwarding rules" = On - Forwarding is enabled; Users: the Webex Connect mailbox'],
  commands: [
    'New-HostedOutboundSpamFilterPolicy -Name "Webex Connect forwarding" -AutoForwardingMode On',
    'New-HostedOutboundSpamFilterRule -Name "Webex Connect forwarding" -HostedOutboundSpamFilterPolicy "Webex Connect forwarding" -From <mailbox>',
  ],
  links: [FORWARDING_DOC],
};

export const ROUNDTRIP_INCONCLUSIVE: Explanation = {
  title: 'The round trip could not show where the probe went',
  seen: 'Within --roundtrip-timeout neither the probe\'s copy nor a non-delivery report showed up in the mailbox (or the mailbox could not be read over IMAP).',
  cause: 'A remote domain with automatic forwarding disabled, or a transport (mail flow) rule, drops auto-forwarded mail without a bounce; or the mailbox keeps no copy of forwarded mail (DeliverToMailboxAndForward $false — a valid setup, in which the probe\'s arrival simply cannot be seen); or delivery is slower than the timeout; or the probe identity cannot read the mailbox over IMAP (the summary says which).',
  confirm: 'Exchange admin center → Mail flow → Message trace for the probe\'s Message-ID (evidence): it shows whether the message was forwarded, dropped by a rule, or bounced. `Get-RemoteDomain | Format-List Name,DomainName,AutoForwardEnabled`; `Get-TransportRule | Format-List Name,State,Mode,SentToScope,MessageTypeMatches,DeleteMessage`.',
  fix: 'Allow automatic forwarding for the Webex Connect domain in the remote domains (or the Default remote domain), and exempt the Webex Connect mailbox from transport rules that delete or reject auto-forwarded mail (exchange.remote-domain and exchange.transport-rules name them). To see the probe arrive, keep a copy of forwarded mail, or raise --roundtrip-timeout.',
  step: 3,
  portal: ['Exchange admin center → Mail flow → Message trace', 'Exchange admin center → Mail flow → Remote domains', 'Exchange admin center → Mail flow → Rules'],
  commands: ['Get-RemoteDomain | Format-List Name,DomainName,AutoForwardEnabled', 'Set-RemoteDomain -Identity Default -AutoForwardEnabled $true'],
  links: [FORWARDING_DOC, OAUTH_DOC],
};
