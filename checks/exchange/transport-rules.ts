import { defineCheck, fromFindings, optional } from '../../src/core/check.js';
import { exchangeMailboxFact, transportRulesFact } from '../../src/collect/exchange/facts.js';
import { ruleGroupMembershipFact } from '../../src/collect/graph/mailbox/group-membership.js';
import { inboxRulesFact } from '../../src/collect/graph/mailbox/inbox-rules.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, normalisedAddress, paragraphs, requireMailbox, sourceLine, sourceText } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';
import { EXCEPT_FORWARDING_DOMAIN, EXCEPT_MAILBOX, RULE_PORTAL, SHOW_RULE } from './lib/transport-rule-fix.js';
import { forwardingPath } from './lib/forwarding-path.js';
import { evaluateTransportRules, type RuleVerdict, type TransportEvaluation } from './lib/transport-rules.js';

function line(v: RuleVerdict): string {
  return `- "${v.rule.name}" (priority ${v.rule.priority}${v.rule.stopRuleProcessing ? ', StopRuleProcessing' : ''}): ${v.reason}`;
}

/** Where the self-sent probe and customer mail part ways (G13): said in the details. */
function probeNote(customer: TransportEvaluation, probe: TransportEvaluation): string | null {
  const names = (e: TransportEvaluation) => new Set(e.blocking.map((v) => v.rule.name));
  const c = names(customer);
  const p = names(probe);
  const onlyCustomer = [...c].filter((n) => !p.has(n));
  const onlyProbe = [...p].filter((n) => !c.has(n));
  const parts: string[] = [];
  if (onlyCustomer.length) {
    parts.push(`A self-sent \`--send-test\` probe (From the mailbox) would pass ${onlyCustomer.map((n) => `"${n}"`).join(', ')}, which stops customer mail: the probe cannot show this block.`);
  }
  if (onlyProbe.length) parts.push(`${onlyProbe.map((n) => `"${n}"`).join(', ')} stops the self-sent probe but not customer mail: a probe bounce from it says nothing about customer mail.`);
  return parts.length ? parts.join(' ') : null;
}

export default defineCheck({
  id: 'exchange.transport-rules',
  title: 'No mail flow rule stops customer mail on its way to Webex Connect',
  step: 3,
  description:
    'A mail flow (transport) rule can reject, delete, quarantine or redirect a customer\'s email to the mailbox or its automatically forwarded copy to Webex Connect. Forwarded mail keeps the customer\'s From header (Exchange\'s Sender Rewriting Scheme rewrites only the envelope), and rule sender conditions look at that header by default. Reads Get-TransportRule and evaluates every rule, in priority order (StopRuleProcessing, Mode), against a customer message to the mailbox and its forwarded copy.',
  scope: 'asset',
  needs: { mailbox: exchangeMailboxFact, transport: transportRulesFact, groups: optional(ruleGroupMembershipFact), inboxRules: optional(inboxRulesFact) },
  requires: exchangeRequires,
  precondition: requireMailbox,
  permissions: [
    ...EXCHANGE_READ_PERMISSIONS,
    'Microsoft Graph: GroupMember.Read.All (for rules scoped with FromMemberOf / SentToMemberOf)',
    'Microsoft Graph: MailboxSettings.Read (optional: whether the mailbox forwards with an inbox rule)',
  ],
  explanations: {
    AUTOFORWARD_BLOCKED_TRANSPORT_RULE: {
      title: 'A mail flow rule stops customer mail forwarded to Webex Connect',
      seen: 'Customer emails never reach Webex Connect. A rejecting rule bounces to the customer with its own text and status (RejectMessageReasonText; RejectMessageEnhancedStatusCode, 5.7.1 by default); a deleting, quarantining or redirecting rule gives no bounce. A self-sent test mail can pass the same rule.',
      cause:
        'An enabled mail flow rule in Enforce mode matches a customer\'s mail to the mailbox or its automatically forwarded copy to the Webex Connect address, and rejects, deletes, quarantines or redirects it. Forwarded mail keeps the customer\'s From header (the Sender Rewriting Scheme rewrites only the envelope sender), and rule sender conditions look at the header by default (SenderAddressLocation Header), so an exception for the mailbox\'s own address (ExceptIfFrom) does not exempt customer mail. The block wins over the outbound spam policy and remote domain settings.',
      confirm: `Exchange admin center → Mail flow → Rules → the rule named in the summary: its conditions, exceptions and actions. Or \`${SHOW_RULE}\`.`,
      fix: 'Exempt the forwarded copy by its recipient: add the Webex Connect forwarding domain to the rule\'s ExceptIfRecipientDomainIs, keeping the domains already excepted (the first command reads them from the rule). An exception on the sender (ExceptIfFrom the mailbox) does not help: the forwarded copy\'s From is the customer. Only if the summary says the rule stops customer mail *to the mailbox* (not only the forwarded copy), also except the mailbox as a recipient (the second command).',
      step: 3,
      portal: [RULE_PORTAL],
      commands: [EXCEPT_FORWARDING_DOMAIN, EXCEPT_MAILBOX, SHOW_RULE],
      links: [LINKS.setTransportRule, LINKS.externalForwarding, LINKS.senderRewriting],
    },
    TRANSPORT_RULE_MAY_APPLY: {
      title: 'A mail flow rule may stop customer mail forwarded to Webex Connect',
      seen: 'Nothing yet, or some customer emails (those the rule\'s conditions select) never reach Webex Connect.',
      cause:
        'An enabled mail flow rule in Enforce mode would reject, delete, quarantine or redirect customer mail to the mailbox or its forwarded copy if it matches, and the doctor cannot tell whether it does: it has a condition or exception the doctor does not evaluate (a spam confidence level, message size, sender IP range, words in the subject or a header, importance, …), it is scoped to a group the reading identity could not resolve, or it relies on MessageTypeMatches AutoForward while the mailbox forwards with an inbox rule (whether inbox-rule forwards count as AutoForward is contested, G17). A rule that only deletes high-spam-confidence mail (SCLOver) acts on spam, not on ordinary customer mail.',
      confirm: `Exchange admin center → Mail flow → Rules → the rule named in the summary: read the conditions named there. Or \`${SHOW_RULE}\`. To see it act, trace a customer's message: Exchange admin center → Mail flow → Message trace (a rule that acted is listed in the message events).`,
      fix: 'If the rule must not touch customer mail for Webex Connect, add the Webex Connect forwarding domain to its ExceptIfRecipientDomainIs, keeping the domains already excepted. If its condition only selects mail that should be stopped anyway (spam, oversized mail), no change is needed. For an unresolved group, give the reading identity GroupMember.Read.All and run again.',
      step: 3,
      portal: [RULE_PORTAL],
      commands: [SHOW_RULE, EXCEPT_FORWARDING_DOMAIN],
      links: [LINKS.setTransportRule, LINKS.newTransportRule],
    },
    ...sharedExchangeExplanations,
  },
  run({ mailbox, transport, groups, inboxRules }, ctx) {
    const name = ctx.asset?.mailbox ?? mailbox.identity;
    const configured = ctx.asset?.forwardingAddress ? normalisedAddress(ctx.asset.forwardingAddress) : null;
    const forwardingAddress = configured ?? (mailbox.forwardingSmtpAddress ? normalisedAddress(mailbox.forwardingSmtpAddress) : null);
    const path = forwardingPath({ ok: true, value: mailbox }, inboxRules, forwardingAddress);
    const message = { mailbox, configuredMailbox: name, forwardingAddress, forwardingPath: path, groups };
    const customer = evaluateTransportRules(transport.rules, message, 'customer');
    const probe = evaluateTransportRules(transport.rules, message, 'mailbox');
    const sources = sourceText(transport.source, mailbox.source);
    const evidence = {
      mailbox: name,
      forwardingAddress,
      forwardingPath: path,
      message: 'customer mail: header From an outside sender, To the mailbox, forwarded to the Webex Connect address',
      rules: customer.verdicts.map((v) => ({
        name: v.rule.name,
        priority: v.rule.priority,
        state: v.rule.state,
        mode: v.rule.mode,
        stopRuleProcessing: v.rule.stopRuleProcessing,
        action: v.action,
        customerMail: v.blocks,
        selfSentProbe: probe.verdicts.find((p) => p.rule.identity === v.rule.identity)?.blocks ?? null,
        forwardingDomainExcepted: v.forwardingDomainExcepted,
        unknown: [...new Set(v.legs.flatMap((l) => l.unknown))],
        reason: v.reason,
      })),
      source: sources,
    };
    const findings = [
      ...customer.blocking.map((v) => ({ code: 'AUTOFORWARD_BLOCKED_TRANSPORT_RULE', message: `Mail flow rule "${v.rule.name}" (priority ${v.rule.priority}) ${v.reason}.` })),
      ...customer.uncertain.map((v) => ({ code: 'TRANSPORT_RULE_MAY_APPLY', message: `Mail flow rule "${v.rule.name}" (priority ${v.rule.priority}) ${v.reason}.` })),
    ];
    const others = customer.verdicts.filter((v) => v.blocks === 'does-not-apply');
    const passSummary = transport.rules.length
      ? `None of the ${transport.rules.length} mail flow rule(s) stops customer mail to ${name} or its forwarded copy to ${forwardingAddress ?? 'Webex Connect'}.`
      : 'There are no mail flow rules.';
    const first = customer.blocking[0] ?? customer.uncertain[0];
    return fromFindings(findings, passSummary, {
      details: paragraphs(
        'Evaluated against the mail Webex Connect needs: a customer\'s message (header From an outside sender, which forwarding keeps) to the mailbox, and its automatically forwarded copy to the Webex Connect address; rules in priority order, honouring StopRuleProcessing and Mode.',
        forwardingAddress ? null : 'No forwarding address is configured or set on the mailbox; recipient conditions on the forwarded copy could not be decided.',
        path === 'inbox-rule'
          ? 'The mailbox forwards with an inbox rule. MessageTypeMatches AutoForward is documented for mail Exchange forwards (mailbox forwarding), "not by auto-forwarding rules that users configure in Outlook"; whether inbox-rule forwards match it is contested in practice (G17), so rules that rely on it are reported as "may apply".'
          : null,
        customer.uncertain.length ? `May apply — confirm by hand:\n${customer.uncertain.map(line).join('\n')}` : null,
        others.length ? `Rules that do not stop customer mail:\n${others.map(line).join('\n')}` : null,
        probeNote(customer, probe),
        sourceLine(sources),
      ),
      evidence,
      values: first ? { 'rule-name': first.rule.name } : {},
    });
  },
});
