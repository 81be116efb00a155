/**
 * Which mail flow (transport) rules act on the mail Webex Connect needs (G13): a CUSTOMER's
 * message — header From an external sender (SRS rewrites only the envelope), To the mailbox — and
 * its automatically forwarded copy to the Webex Connect forwarding address. Sender conditions look
 * at the header From by default (SenderAddressLocation = Header, EXPS New-TransportRule [V]), so
 * an exception for the mailbox's own address does not exempt customer mail.
 *
 * Rules run in Priority order; a matching rule with StopRuleProcessing ends the evaluation; Mode
 * Audit / AuditAndNotify takes no action (G16). A rule matches when every condition holds and no
 * exception does; a condition the doctor cannot evaluate makes it "may apply", never "applies".
 *
 * The same evaluation for the self-sent `--send-test` probe (From the mailbox) shows where the
 * probe and customer mail part ways.
 */
import type { FactOutcome } from '../../../src/core/check.js';
import { domainOf, mailboxAddresses, mailboxNames } from '../../../src/collect/exchange/mailbox-identity.js';
import type { ExchangeMailbox, TransportRule } from '../../../src/collect/exchange/types.js';
import { membershipOf, type GroupMembership } from '../../../src/collect/graph/mailbox/group-membership.js';

export type RuleAction = 'reject' | 'delete' | 'redirect' | 'quarantine';
export type Applies = 'applies' | 'may-apply' | 'does-not-apply';
type Tri = 'yes' | 'no' | 'unknown';

/** How the mailbox forwards: mailbox forwarding (Set-Mailbox), an inbox rule, or not known. */
export type ForwardingPath = 'mailbox' | 'inbox-rule' | 'unknown';

/** Who the header From of the message is. */
export type Sender = 'customer' | 'mailbox';

/** One hop of the message through transport: to the mailbox, or the forwarded copy to Webex Connect. */
export type Leg = 'to-mailbox' | 'forwarded';

export interface LegVerdict {
  leg: Leg;
  applies: Applies;
  /** Why, in words (the first deciding condition or exception, or what is unknown). */
  reason: string;
  /** Conditions or exceptions that could not be evaluated, named. */
  unknown: string[];
}

export interface RuleVerdict {
  rule: TransportRule;
  /** The blocking action, or null when the rule does not stop mail (it may still stop later rules). */
  action: RuleAction | null;
  /** The verdict for the message as a whole: the worse of its legs. */
  applies: Applies;
  /** Whether it stops the message: a blocking action and it applies. */
  blocks: Applies;
  legs: LegVerdict[];
  reason: string;
  /** The recommended exception (ExceptIfRecipientDomainIs the forwarding domain) is already there. */
  forwardingDomainExcepted: boolean;
}

export interface TransportEvaluation {
  sender: Sender;
  verdicts: RuleVerdict[];
  /** Rules that certainly stop the message, in Priority order. */
  blocking: RuleVerdict[];
  /** Rules that may stop it (unknown conditions, unresolved groups, contested message type). */
  uncertain: RuleVerdict[];
}

export interface MessageContext {
  mailbox: ExchangeMailbox;
  configuredMailbox: string;
  forwardingAddress: string | null;
  forwardingPath: ForwardingPath;
  groups: FactOutcome<GroupMembership>;
}

/** Domain match as mail flow rules do it: the domain and its subdomains. */
export function domainMatches(list: string[], domain: string): boolean {
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

const ACTION_WORDS: Record<RuleAction, string> = { reject: 'rejects', delete: 'deletes', redirect: 'redirects', quarantine: 'quarantines' };

const LEG_WORDS: Record<Sender, Record<Leg, string>> = {
  customer: { 'to-mailbox': 'customer mail to the mailbox', forwarded: 'the forwarded copy of customer mail' },
  mailbox: { 'to-mailbox': 'the self-sent probe', forwarded: "the self-sent probe's forwarded copy" },
};

interface Check {
  name: string;
  result: Tri;
  why: string;
}

/**
 * Evaluates every rule, in Priority order, for the message from `sender` to the mailbox and its
 * forwarded copy.
 */
export function evaluateTransportRules(rules: TransportRule[], m: MessageContext, sender: Sender = 'customer'): TransportEvaluation {
  const names = mailboxNames(m.mailbox, m.configuredMailbox);
  const addresses = mailboxAddresses(m.mailbox, m.configuredMailbox);
  const mailboxDomains = [...new Set(addresses.map(domainOf))];
  const fwd = m.forwardingAddress?.toLowerCase() ?? null;
  const fwdDomain = fwd ? domainOf(fwd) : null;
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));

  // Per leg: has an earlier matching rule with StopRuleProcessing ended the evaluation?
  const stoppedBy: Record<Leg, { rule: string; certain: boolean } | null> = { 'to-mailbox': null, forwarded: null };

  const verdicts = ordered.map((rule): RuleVerdict => {
    const action = actionOf(rule, fwd);
    const excepted = fwdDomain !== null && domainMatches(rule.exceptIfRecipientDomainIs, fwdDomain);
    const base = { rule, action, forwardingDomainExcepted: excepted };
    if (rule.state !== 'Enabled') return { ...base, applies: 'does-not-apply', blocks: 'does-not-apply', legs: [], reason: `State ${rule.state}` };
    const legs = (['to-mailbox', 'forwarded'] as const).map((leg) => legVerdict(rule, leg));
    const audit = rule.mode === 'Audit' || rule.mode === 'AuditAndNotify';
    for (const l of legs) {
      // A test-mode rule takes no action: it does not stop the rules after it either [I].
      if (audit || !rule.stopRuleProcessing || stoppedBy[l.leg]?.certain) continue;
      if (l.applies === 'applies') stoppedBy[l.leg] = { rule: rule.name, certain: true };
      else if (l.applies === 'may-apply' && !stoppedBy[l.leg]) stoppedBy[l.leg] = { rule: rule.name, certain: false };
    }
    const applies = worst(legs.map((l) => l.applies));
    const acting = legs.filter((l) => l.applies !== 'does-not-apply');
    if (audit) return { ...base, applies, blocks: 'does-not-apply', legs, reason: `Mode ${rule.mode} (tests only, takes no action)` };
    if (!action) {
      const r = applies === 'does-not-apply' ? legs.map((l) => l.reason).join('; ') : 'no reject, delete, quarantine or redirect action';
      return { ...base, applies, blocks: 'does-not-apply', legs, reason: r };
    }
    if (applies === 'does-not-apply') return { ...base, applies, blocks: applies, legs, reason: legs.map((l) => `${LEG_WORDS[sender][l.leg]}: ${l.reason}`).join('; ') };
    const what = acting.map((l) => LEG_WORDS[sender][l.leg]).join(' and ');
    const reason =
      applies === 'applies'
        ? `${ACTION_WORDS[action]} ${what} (${acting.map((l) => l.reason).join('; ')})`
        : `may ${action} ${what}: ${acting.map((l) => l.reason).join('; ')}`;
    return { ...base, applies, blocks: applies, legs, reason };
  });

  return {
    sender,
    verdicts,
    blocking: verdicts.filter((v) => v.blocks === 'applies'),
    uncertain: verdicts.filter((v) => v.blocks === 'may-apply'),
  };

  function legVerdict(rule: TransportRule, leg: Leg): LegVerdict {
    const stop = stoppedBy[leg];
    if (stop?.certain) return { leg, applies: 'does-not-apply', reason: `not reached: "${stop.rule}" matches first and stops rule processing`, unknown: [] };
    const conditions = conditionChecks(rule, leg);
    const exceptions = exceptionChecks(rule, leg);
    const unknown = [...rule.otherConditions, ...rule.otherExceptions];
    const no = conditions.find((c) => c.result === 'no');
    if (no) return { leg, applies: 'does-not-apply', reason: no.why, unknown: [] };
    const yes = exceptions.find((c) => c.result === 'yes');
    if (yes) return { leg, applies: 'does-not-apply', reason: yes.why, unknown: [] };
    const doubts = [...conditions, ...exceptions].filter((c) => c.result === 'unknown');
    const named = [...doubts.map((d) => d.why), ...(unknown.length ? [`conditions the doctor cannot evaluate: ${unknown.join(', ')}`] : [])];
    if (stop && !stop.certain) named.push(`unless "${stop.rule}" (StopRuleProcessing) matched first`);
    const matched = conditions.filter((c) => c.result === 'yes').map((c) => c.why);
    if (named.length) return { leg, applies: 'may-apply', reason: named.join('; '), unknown: [...doubts.map((d) => d.name), ...unknown] };
    return { leg, applies: 'applies', reason: matched.length ? matched.join(', ') : 'no conditions: it applies to all messages', unknown: [] };
  }

  /** The header From as sender conditions see it. */
  function senderIs(list: string[]): Tri {
    if (sender === 'mailbox') return list.some((f) => names.has(f.trim().toLowerCase())) ? 'yes' : 'no';
    // A customer is any outside sender: a list of particular senders does not cover customer mail in general.
    return 'no';
  }

  function senderDomainIn(list: string[]): Tri {
    if (sender === 'mailbox') return mailboxDomains.some((d) => domainMatches(list, d)) ? 'yes' : 'no';
    return 'no';
  }

  function senderMemberOf(list: string[]): { result: Tri; detail: string } {
    if (sender === 'customer') return { result: 'no', detail: 'an outside sender is not a member of the organisation\'s groups' };
    return groupResult(list);
  }

  /** The mailbox's membership of the groups (G3: a group the reader could not read is unknown, never "not a member"). */
  function groupResult(list: string[]): { result: Tri; detail: string } {
    if (!m.groups.ok) return { result: 'unknown', detail: `the mailbox's groups could not be read (${m.groups.error.code}; GroupMember.Read.All resolves it)` };
    const each = list.map((g) => membershipOf(m.groups.ok ? m.groups.value : { groups: [] }, g));
    if (each.includes('member')) return { result: 'yes', detail: 'the mailbox is a member' };
    if (each.includes('unknown')) return { result: 'unknown', detail: 'some of the mailbox\'s groups came back without a name (GroupMember.Read.All resolves them)' };
    return { result: 'no', detail: 'the mailbox is not a member' };
  }

  /**
   * A sender condition on the forwarded copy with SenderAddressLocation Envelope/HeaderOrEnvelope:
   * SRS rewrites that copy's envelope sender, and which address the rule then sees is not documented.
   */
  function senderCheck(out: Check[], rule: TransportRule, leg: Leg, name: string, result: Tri, why: string): void {
    if (rule.senderAddressLocation !== 'Header' && leg === 'forwarded') {
      out.push({ name, result: 'unknown', why: `${name} with SenderAddressLocation ${rule.senderAddressLocation} (the forwarded copy's envelope sender is rewritten by SRS)` });
    } else out.push({ name, result, why });
  }

  function conditionChecks(rule: TransportRule, leg: Leg): Check[] {
    const out: Check[] = [];
    if (rule.from.length) senderCheck(out, rule, leg, 'From', senderIs(rule.from), sender === 'customer' ? `From (${rule.from.join(', ')}) names particular senders, not customers in general` : `From (${rule.from.join(', ')}) ${senderIs(rule.from) === 'yes' ? 'includes' : 'does not include'} the mailbox`);
    if (rule.senderDomainIs.length) senderCheck(out, rule, leg, 'SenderDomainIs', senderDomainIn(rule.senderDomainIs), `SenderDomainIs (${rule.senderDomainIs.join(', ')})${sender === 'customer' ? ' names particular sender domains, not customers in general' : senderDomainIn(rule.senderDomainIs) === 'yes' ? ' includes the mailbox\'s domain' : ' does not include the mailbox\'s domain'}`);
    if (rule.fromMemberOf.length) {
      const g = senderMemberOf(rule.fromMemberOf);
      senderCheck(out, rule, leg, 'FromMemberOf', g.result, `FromMemberOf (${rule.fromMemberOf.join(', ')}): ${g.detail}`);
    }
    if (rule.fromScope) {
      const inside = sender === 'mailbox';
      const r: Tri = (rule.fromScope === 'InOrganization') === inside ? 'yes' : 'no';
      out.push({ name: 'FromScope', result: r, why: `FromScope ${rule.fromScope} (${inside ? 'the mailbox is inside the organisation' : 'a customer is outside the organisation'})` });
    }
    if (rule.sentToScope) out.push({ name: 'SentToScope', result: scopeOf(rule.sentToScope, leg), why: `SentToScope ${rule.sentToScope} (${leg === 'forwarded' ? 'the Webex Connect address is outside' : 'the mailbox is inside'})` });
    if (rule.sentTo.length) {
      const r = recipientIn(rule.sentTo, leg);
      out.push({ name: 'SentTo', result: r, why: `SentTo (${rule.sentTo.join(', ')}) ${r === 'yes' ? 'includes' : 'does not include'} ${leg === 'forwarded' ? 'the forwarding address' : 'the mailbox'}` });
    }
    if (rule.recipientDomainIs.length) {
      const r = recipientDomainIn(rule.recipientDomainIs, leg);
      out.push({ name: 'RecipientDomainIs', result: r, why: `RecipientDomainIs (${rule.recipientDomainIs.join(', ')}) ${r === 'yes' ? 'includes' : 'does not include'} ${leg === 'forwarded' ? fwdDomain ?? 'the forwarding domain' : "the mailbox's domain"}` });
    }
    if (rule.sentToMemberOf.length) {
      const g: { result: Tri; detail: string } = leg === 'forwarded' ? { result: 'no', detail: 'the Webex Connect address is not a member of the organisation\'s groups' } : groupResult(rule.sentToMemberOf);
      out.push({ name: 'SentToMemberOf', result: g.result, why: `SentToMemberOf (${rule.sentToMemberOf.join(', ')}): ${g.detail}` });
    }
    if (rule.messageTypeMatches) out.push(messageType(rule.messageTypeMatches, leg, 'MessageTypeMatches'));
    return out;
  }

  function exceptionChecks(rule: TransportRule, leg: Leg): Check[] {
    const out: Check[] = [];
    if (rule.exceptIfFrom.length) {
      const r = senderIs(rule.exceptIfFrom);
      senderCheck(out, rule, leg, 'ExceptIfFrom', r, r === 'yes' ? `the mailbox is excepted (ExceptIfFrom ${rule.exceptIfFrom.join(', ')})` : `ExceptIfFrom (${rule.exceptIfFrom.join(', ')}) does not exempt ${sender === 'customer' ? 'customer mail (its From is the customer)' : 'the mailbox'}`);
    }
    if (rule.exceptIfSenderDomainIs.length) {
      const r = senderDomainIn(rule.exceptIfSenderDomainIs);
      senderCheck(out, rule, leg, 'ExceptIfSenderDomainIs', r, r === 'yes' ? `the mailbox's domain is excepted (ExceptIfSenderDomainIs ${rule.exceptIfSenderDomainIs.join(', ')})` : `ExceptIfSenderDomainIs (${rule.exceptIfSenderDomainIs.join(', ')}) does not exempt ${sender === 'customer' ? 'customer mail' : 'the mailbox'}`);
    }
    if (rule.exceptIfFromMemberOf.length) {
      const g = senderMemberOf(rule.exceptIfFromMemberOf);
      senderCheck(out, rule, leg, 'ExceptIfFromMemberOf', g.result, `ExceptIfFromMemberOf (${rule.exceptIfFromMemberOf.join(', ')}): ${g.detail}`);
    }
    if (rule.exceptIfFromScope) {
      const inside = sender === 'mailbox';
      const r: Tri = (rule.exceptIfFromScope === 'InOrganization') === inside ? 'yes' : 'no';
      out.push({ name: 'ExceptIfFromScope', result: r, why: r === 'yes' ? `the sender is excepted (ExceptIfFromScope ${rule.exceptIfFromScope})` : `ExceptIfFromScope ${rule.exceptIfFromScope} does not exempt it` });
    }
    if (rule.exceptIfSentToScope) {
      const r = scopeOf(rule.exceptIfSentToScope, leg);
      out.push({ name: 'ExceptIfSentToScope', result: r, why: r === 'yes' ? `the recipient is excepted (ExceptIfSentToScope ${rule.exceptIfSentToScope})` : `ExceptIfSentToScope ${rule.exceptIfSentToScope}: ${r === 'unknown' ? 'cannot tell' : 'does not exempt it'}` });
    }
    if (rule.exceptIfSentTo.length) {
      const r = recipientIn(rule.exceptIfSentTo, leg);
      out.push({ name: 'ExceptIfSentTo', result: r, why: r === 'yes' ? `${leg === 'forwarded' ? 'the forwarding address' : 'the mailbox'} is excepted (ExceptIfSentTo)` : 'ExceptIfSentTo does not exempt it' });
    }
    if (rule.exceptIfRecipientDomainIs.length) {
      const r = recipientDomainIn(rule.exceptIfRecipientDomainIs, leg);
      out.push({
        name: 'ExceptIfRecipientDomainIs',
        result: r,
        why: r === 'yes' ? `${leg === 'forwarded' ? 'the forwarding domain' : "the mailbox's domain"} is excepted (ExceptIfRecipientDomainIs ${rule.exceptIfRecipientDomainIs.join(', ')})` : 'ExceptIfRecipientDomainIs does not exempt it',
      });
    }
    if (rule.exceptIfSentToMemberOf.length) {
      const g: { result: Tri; detail: string } = leg === 'forwarded' ? { result: 'no', detail: 'the Webex Connect address is not a member' } : groupResult(rule.exceptIfSentToMemberOf);
      out.push({ name: 'ExceptIfSentToMemberOf', result: g.result, why: g.result === 'yes' ? `the mailbox is excepted (ExceptIfSentToMemberOf ${rule.exceptIfSentToMemberOf.join(', ')})` : `ExceptIfSentToMemberOf (${rule.exceptIfSentToMemberOf.join(', ')}): ${g.detail}` });
    }
    if (rule.exceptIfMessageTypeMatches) {
      const c = messageType(rule.exceptIfMessageTypeMatches, leg, 'ExceptIfMessageTypeMatches');
      out.push({ ...c, why: c.result === 'yes' ? `excepted (ExceptIfMessageTypeMatches ${rule.exceptIfMessageTypeMatches})` : c.why });
    }
    return out;
  }

  function scopeOf(scope: string, leg: Leg): Tri {
    if (leg === 'to-mailbox') return scope === 'InOrganization' ? 'yes' : 'no';
    // The Webex Connect domain is outside the organisation; it is an ExternalPartner only if the
    // tenant set it up for domain security (mutual TLS), which the doctor does not read [I].
    if (scope === 'NotInOrganization' || scope === 'ExternalNonPartner') return 'yes';
    return 'no';
  }

  function recipientIn(list: string[], leg: Leg): Tri {
    const l = list.map((x) => x.trim().toLowerCase());
    if (leg === 'forwarded') return fwd === null ? 'unknown' : l.includes(fwd) ? 'yes' : 'no';
    return l.some((x) => names.has(x)) ? 'yes' : 'no';
  }

  function recipientDomainIn(list: string[], leg: Leg): Tri {
    if (leg === 'forwarded') return fwdDomain === null ? 'unknown' : domainMatches(list, fwdDomain) ? 'yes' : 'no';
    return mailboxDomains.some((d) => domainMatches(list, d)) ? 'yes' : 'no';
  }

  function messageType(type: string, leg: Leg, name: string): Check {
    if (type !== 'AutoForward') {
      // Customer mail and the probe are ordinary messages; a signed or encrypted customer message cannot be ruled out.
      const maybe = type === 'Signed' || type === 'Encrypted';
      return { name, result: maybe ? 'unknown' : 'no', why: `${name} ${type}${maybe ? ' (a customer may send such mail)' : ' (ordinary mail is not that type)'}` };
    }
    if (leg === 'to-mailbox') return { name, result: 'no', why: `${name} AutoForward (mail to the mailbox is not a forward)` };
    if (m.forwardingPath === 'inbox-rule') {
      // G17: documented for mail Exchange forwards (mailbox forwarding), "not by auto-forwarding rules that users configure in Outlook"; contested in practice [O].
      return { name, result: 'unknown', why: `${name} AutoForward: the mailbox forwards with an inbox rule, and whether inbox-rule forwards count as AutoForward is contested (G17)` };
    }
    return { name, result: 'yes', why: `${name} AutoForward` };
  }
}

function worst(xs: Applies[]): Applies {
  if (xs.includes('applies')) return 'applies';
  if (xs.includes('may-apply')) return 'may-apply';
  return 'does-not-apply';
}
