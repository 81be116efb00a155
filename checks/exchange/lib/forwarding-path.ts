import type { FactOutcome } from '../../../src/core/check.js';
import type { ExchangeMailbox } from '../../../src/collect/exchange/types.js';
import type { InboxRules } from '../../../src/collect/graph/mailbox/inbox-rules.js';
import type { ForwardingPath } from './transport-rules.js';

/**
 * How the mailbox forwards to Webex Connect, for G15/G17: mailbox forwarding (Set-Mailbox
 * ForwardingSmtpAddress / ForwardingAddress), an enabled inbox rule that forwards or redirects to
 * the address, or not known (the facts could not be read, or neither is set).
 */
export function forwardingPath(mailbox: FactOutcome<ExchangeMailbox>, inboxRules: FactOutcome<InboxRules>, fwd: string | null): ForwardingPath {
  if (mailbox.ok && (mailbox.value.forwardingAddress || mailbox.value.forwardingSmtpAddress)) return 'mailbox';
  if (fwd && inboxRules.ok && inboxRules.value.rules.some((r) => r.isEnabled && !r.hasError && [...r.forwardTo, ...r.forwardAsAttachmentTo, ...r.redirectTo].includes(fwd))) {
    return 'inbox-rule';
  }
  return 'unknown';
}
