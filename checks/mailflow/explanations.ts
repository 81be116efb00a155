import type { Explanation } from '../../src/core/explanation.js';
import { EXCEPT_FORWARDING_DOMAIN, RULE_PORTAL, SHOW_RULE } from '../exchange/lib/transport-rule-fix.js';

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

const SET_TRANSPORT_RULE_DOC = 'https://learn.microsoft.com/powershell/module/exchangepowershell/set-transportrule';
const NDR_DOC = 'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online';

export const FORWARDING_NDR_TRANSPORT_RULE: Explanation = {
  title: 'A mail flow rule bounces the mail forwarded to Webex Connect',
  seen: 'A non-delivery report about the probe arrives in the mailbox with `550 5.7.1 …` (the default status of a mail flow rule\'s reject action) or the status and text the rule sets (RejectMessageEnhancedStatusCode, RejectMessageReasonText).',
  cause:
    'A mail flow (transport) rule in Enforce mode matched the forwarded copy and rejected it (Microsoft: a rejecting rule returns an NDR with 5.7.1 unless the rule sets its own code). This is not the outbound spam policy (that bounces with 5.7.520), and changing the policy does not help. Customer mail forwarded to Webex Connect is likely rejected the same way, unless the rule\'s sender conditions select only the mailbox\'s own mail — exchange.transport-rules evaluates the rules for customer mail.',
  confirm: `Exchange admin center → Mail flow → Rules → the rule named in the summary (or Mail flow → Message trace for the probe's Message-ID: the rule is listed in the message events). Or \`${SHOW_RULE}\`.`,
  fix: 'Exempt the forwarded copy from the rule by its recipient: add the Webex Connect forwarding domain to the rule\'s ExceptIfRecipientDomainIs, keeping the domains already excepted (the command reads them from the rule). Do not disable the rule for everyone, and do not change the outbound spam policy for this bounce.',
  step: 3,
  portal: [RULE_PORTAL],
  commands: [EXCEPT_FORWARDING_DOMAIN, SHOW_RULE],
  links: [SET_TRANSPORT_RULE_DOC, NDR_DOC],
};

export const FORWARDING_NDR_OTHER: Explanation = {
  title: 'The mail forwarded to Webex Connect bounced for another reason',
  seen: 'A non-delivery report about the probe arrives in the mailbox with a status that is neither 5.7.520 (outbound spam policy) nor 5.7.1 (a mail flow rule): the summary quotes it.',
  cause:
    'Exchange Online could not deliver the forwarded copy to the Webex Connect forwarding address for a reason the doctor does not attribute: the quoted status and text say which (for example the Webex Connect domain refused the recipient, a hop-count loop, a reputation block on the sending IP, or a connector). Neither the outbound spam policy nor a mail flow rule is implied.',
  confirm: 'Exchange admin center → Mail flow → Message trace for the probe\'s Message-ID (evidence): the event list shows which step refused it. Microsoft\'s NDR reference explains each status code.',
  fix: 'Act on the quoted status: look it up in Microsoft\'s list of Exchange Online NDR codes. If it names the recipient (5.1.x, 5.4.x), compare the forwarding address with the one Webex Connect shows for the Email app.',
  step: 3,
  portal: ['Exchange admin center → Mail flow → Message trace'],
  commands: ['Get-MessageTrace -RecipientAddress <forwarding-address> -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List'],
  links: [NDR_DOC],
};
