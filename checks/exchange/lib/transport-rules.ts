/**
 * Which mail flow (transport) rules would stop this mailbox's automatically forwarded mail on its
 * way out: enabled, enforced rules whose conditions match an auto-forwarded message from the
 * mailbox to the (external) forwarding address, whose exceptions do not, and whose action rejects,
 * deletes, quarantines or redirects it elsewhere. The sender of the forwarded copy is taken to be
 * the mailbox (as for the outbound spam policy); conditions the doctor does not model are named.
 */
import type { FactOutcome } from '../../../src/core/check.js';
import { domainOf, mailboxNames } from '../../../src/collect/exchange/mailbox-identity.js';
import type { ExchangeMailbox, TransportRule } from '../../../src/collect/exchange/types.js';
import { isMemberOf, type GroupMembership } from '../../../src/collect/graph/mailbox/group-membership.js';

export type RuleAction = 'reject' | 'delete' | 'redirect' | 'quarantine';

export interface RuleVerdict {
  rule: TransportRule;
  /** Would stop the forwarded copy. */
  blocks: boolean;
  /** Could not decide (group membership unreadable, or conditions the doctor does not evaluate). */
  uncertain: boolean;
  action: RuleAction | null;
  /** Why it does or does not apply, in words. */
  reason: string;
}

/** Domain match as mail flow rules do it: the domain and its subdomains. */
function domainMatches(list: string[], domain: string): boolean {
  return list.some((d) => {
    const x = d.trim().toLowerCase().replace(/^\*\./, '');
    return domain === x || domain.endsWith(`.${x}`);
  });
}

function actionOf(rule: TransportRule, forwardingAddress: string | null): RuleAction | null {
  if (rule.rejectMessageReasonText || rule.rejectMessageEnhancedStatusCode) return 'reject';
  if (rule.deleteMessage) return 'delete';
  if (rule.quarantine) return 'quarantine';
  const elsewhere = rule.redirectMessageTo.filter((r) => r.trim().toLowerCase() !== forwardingAddress);
  if (elsewhere.length) return 'redirect';
  return null;
}

export function evaluateTransportRules(
  rules: TransportRule[],
  mailbox: ExchangeMailbox,
  configuredMailbox: string,
  forwardingAddress: string | null,
  groups: FactOutcome<GroupMembership>,
): RuleVerdict[] {
  const names = mailboxNames(mailbox, configuredMailbox);
  const fwd = forwardingAddress?.toLowerCase() ?? null;
  const fwdDomain = fwd ? domainOf(fwd) : null;
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  return ordered.map((rule) => verdict(rule));

  function verdict(rule: TransportRule): RuleVerdict {
    const no = (reason: string): RuleVerdict => ({ rule, blocks: false, uncertain: false, action: null, reason });
    if (rule.state !== 'Enabled') return no(`State ${rule.state}`);
    if (rule.mode === 'Audit' || rule.mode === 'AuditAndNotify') return no(`Mode ${rule.mode} (tests only, takes no action)`);
    const action = actionOf(rule, fwd);
    if (!action) return no('no reject, delete, quarantine or redirect action');

    // Conditions.
    if (rule.messageTypeMatches && rule.messageTypeMatches !== 'AutoForward') return no(`MessageTypeMatches ${rule.messageTypeMatches}`);
    if (rule.sentToScope === 'InOrganization' || rule.sentToScope === 'ExternalPartner') return no(`SentToScope ${rule.sentToScope}`);
    if (rule.fromScope === 'NotInOrganization') return no('FromScope NotInOrganization (the mailbox is inside the organisation)');
    if (rule.from.length && !rule.from.some((f) => names.has(f.trim().toLowerCase()))) return no(`From (${rule.from.join(', ')}) does not include the mailbox`);
    if (fwd && rule.sentTo.length && !rule.sentTo.some((s) => s.trim().toLowerCase() === fwd)) return no(`SentTo (${rule.sentTo.join(', ')}) does not include the forwarding address`);
    if (fwdDomain && rule.recipientDomainIs.length && !domainMatches(rule.recipientDomainIs, fwdDomain)) return no(`RecipientDomainIs (${rule.recipientDomainIs.join(', ')}) does not include ${fwdDomain}`);

    // Exceptions.
    if (rule.exceptIfMessageTypeMatches === 'AutoForward') return no('ExceptIfMessageTypeMatches AutoForward');
    if (rule.exceptIfFrom.some((f) => names.has(f.trim().toLowerCase()))) return no(`the mailbox is excepted (ExceptIfFrom ${rule.exceptIfFrom.join(', ')})`);
    if (fwd && rule.exceptIfSentTo.some((s) => s.trim().toLowerCase() === fwd)) return no('the forwarding address is excepted (ExceptIfSentTo)');
    if (fwdDomain && domainMatches(rule.exceptIfRecipientDomainIs, fwdDomain)) return no(`the forwarding domain is excepted (ExceptIfRecipientDomainIs ${rule.exceptIfRecipientDomainIs.join(', ')})`);

    const doubts: string[] = [];
    if (rule.fromMemberOf.length) {
      if (!groups.ok) doubts.push(`FromMemberOf (${rule.fromMemberOf.join(', ')}) could not be resolved`);
      else if (!rule.fromMemberOf.some((g) => isMemberOf(groups.value, g))) return no(`FromMemberOf (${rule.fromMemberOf.join(', ')}) does not include the mailbox`);
    }
    if (rule.exceptIfFromMemberOf.length) {
      if (!groups.ok) doubts.push(`ExceptIfFromMemberOf (${rule.exceptIfFromMemberOf.join(', ')}) could not be resolved`);
      else if (rule.exceptIfFromMemberOf.some((g) => isMemberOf(groups.value, g))) return no(`the mailbox is excepted (ExceptIfFromMemberOf ${rule.exceptIfFromMemberOf.join(', ')})`);
    }
    if (rule.otherConditions.length) doubts.push(`it also has conditions the doctor does not evaluate: ${rule.otherConditions.join(', ')}`);

    const what = [
      rule.messageTypeMatches ? 'MessageTypeMatches AutoForward' : 'any message type',
      rule.sentToScope ? `SentToScope ${rule.sentToScope}` : 'any recipient',
      rule.from.length ? `From ${rule.from.join(', ')}` : rule.fromScope ? `FromScope ${rule.fromScope}` : 'any sender',
    ].join(', ');
    const exceptionsNote = rule.otherExceptions.length ? `; it has exceptions the doctor does not evaluate (${rule.otherExceptions.join(', ')}) — check they do not cover this mail` : '';
    if (doubts.length) {
      return { rule, blocks: false, uncertain: true, action, reason: `would ${action} forwarded mail (${what}) if it applies — ${doubts.join('; ')}${exceptionsNote}` };
    }
    return { rule, blocks: true, uncertain: false, action, reason: `${action}s auto-forwarded mail from the mailbox to the outside (${what})${exceptionsNote}` };
  }
}
