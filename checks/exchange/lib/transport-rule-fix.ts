/**
 * The fix for a mail flow rule that stops customer mail on its way to Webex Connect (G13, G14),
 * shared by exchange.transport-rules and mailflow.roundtrip (a rule's bounce of the probe).
 * Placeholders are filled by the runner with this run's rule name, mailbox and forwarding domain.
 */

/** Adds the forwarding domain to the rule's exception list, keeping the domains already there (read from the rule itself, so no value is typed twice). */
export const EXCEPT_FORWARDING_DOMAIN =
  'Set-TransportRule -Identity <rule-name> -ExceptIfRecipientDomainIs (@((Get-TransportRule -Identity <rule-name>).ExceptIfRecipientDomainIs) + <forwarding-domain>)';

/** For a rule that stops customer mail to the mailbox itself (not only the forwarded copy). */
export const EXCEPT_MAILBOX = 'Set-TransportRule -Identity <rule-name> -ExceptIfSentTo (@((Get-TransportRule -Identity <rule-name>).ExceptIfSentTo) + <mailbox>)';

export const SHOW_RULE =
  'Get-TransportRule -Identity <rule-name> | Format-List Name,State,Mode,Priority,StopRuleProcessing,SenderAddressLocation,MessageTypeMatches,FromScope,SentToScope,From,ExceptIfFrom,ExceptIfRecipientDomainIs,ExceptIfSentTo,Conditions,Exceptions,RejectMessageReasonText,RejectMessageEnhancedStatusCode,DeleteMessage,RedirectMessageTo';

export const RULE_PORTAL =
  'Exchange admin center → Mail flow → Rules → the rule named in the summary → Edit rule conditions → Except if → The recipient → domain is → the Webex Connect forwarding domain → Save';
