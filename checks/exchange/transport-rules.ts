import { defineCheck, fromFindings, optional } from '../../src/core/check.js';
import { exchangeMailboxFact, transportRulesFact } from '../../src/collect/exchange/facts.js';
import { ruleGroupMembershipFact } from '../../src/collect/graph/mailbox/group-membership.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, normalisedAddress, paragraphs, requireMailbox, sourceLine, sourceText } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';
import { evaluateTransportRules } from './lib/transport-rules.js';

export default defineCheck({
  id: 'exchange.transport-rules',
  title: 'No mail flow rule stops the forwarded mail',
  step: 3,
  description:
    'A mail flow (transport) rule can reject, delete or redirect automatically forwarded mail to external recipients (a common "block auto-forwarding" rule: message type Auto-forward, recipient outside the organisation). Reads Get-TransportRule and reports every enabled, enforced rule that would stop this mailbox\'s forwarded mail.',
  scope: 'asset',
  needs: { mailbox: exchangeMailboxFact, transport: transportRulesFact, groups: optional(ruleGroupMembershipFact) },
  requires: exchangeRequires,
  precondition: requireMailbox,
  permissions: [...EXCHANGE_READ_PERMISSIONS, 'Microsoft Graph: GroupMember.Read.All (for rules scoped with FromMemberOf)'],
  explanations: {
    AUTOFORWARD_BLOCKED_TRANSPORT_RULE: {
      title: 'A mail flow rule stops the mail forwarded to Webex Connect',
      seen: 'Forwarded mail never reaches Webex Connect. A rejecting rule bounces with its own text (RejectMessageReasonText / RejectMessageEnhancedStatusCode); a deleting or redirecting rule gives no bounce.',
      cause:
        'An enabled mail flow rule in Enforce mode matches automatically forwarded messages from this mailbox to recipients outside the organisation and rejects, deletes, quarantines or redirects them. The block wins over the outbound spam policy and remote domain settings (Microsoft Defender docs, reference D4).',
      confirm: 'Exchange admin center → Mail flow → Rules → the rule named in the summary: its conditions and actions. Or `Get-TransportRule -Identity "<rule>" | Format-List Name,State,Mode,Priority,MessageTypeMatches,SentToScope,From,RejectMessageReasonText,DeleteMessage,RedirectMessageTo`.',
      fix: 'Exempt the Webex Connect mailbox from the rule (an exception "The sender is" the mailbox) rather than disabling the rule for everyone; or scope the exception to the Webex Connect recipient domain.',
      step: 3,
      portal: ['Exchange admin center → Mail flow → Rules → the rule → Edit rule conditions → Except if → The sender → is this person → the mailbox → Save'],
      commands: ['Set-TransportRule -Identity "Block auto-forwarding" -ExceptIfFrom <mailbox>', 'Get-TransportRule | Format-List Name,State,Mode,Priority,MessageTypeMatches,SentToScope,From,ExceptIfFrom'],
      links: [LINKS.externalForwarding, LINKS.setTransportRule],
    },
    ...sharedExchangeExplanations,
  },
  run({ mailbox, transport, groups }, ctx) {
    const name = ctx.asset?.mailbox ?? mailbox.identity;
    const configured = ctx.asset?.forwardingAddress ? normalisedAddress(ctx.asset.forwardingAddress) : null;
    const forwardingAddress = configured ?? (mailbox.forwardingSmtpAddress ? normalisedAddress(mailbox.forwardingSmtpAddress) : null);
    const verdicts = evaluateTransportRules(transport.rules, mailbox, name, forwardingAddress, groups);
    const blocking = verdicts.filter((v) => v.blocks);
    const uncertain = verdicts.filter((v) => v.uncertain);
    const sources = sourceText(transport.source, mailbox.source);
    const source = sourceLine(sources);
    const evidence = {
      mailbox: name,
      forwardingAddress,
      rules: verdicts.map((v) => ({ name: v.rule.name, priority: v.rule.priority, state: v.rule.state, mode: v.rule.mode, blocks: v.blocks, uncertain: v.uncertain, action: v.action, reason: v.reason })),
      source: sources,
    };
    const uncertainText = uncertain.length
      ? `Not decided — confirm by hand:\n${uncertain.map((v) => `- "${v.rule.name}" (priority ${v.rule.priority}): ${v.reason}`).join('\n')}`
      : null;
    const others = verdicts.filter((v) => !v.blocks && !v.uncertain);
    const othersText = others.length ? `Rules that do not apply:\n${others.map((v) => `- "${v.rule.name}": ${v.reason}`).join('\n')}` : null;
    const findings = blocking.map((v) => ({
      code: 'AUTOFORWARD_BLOCKED_TRANSPORT_RULE',
      message: `Mail flow rule "${v.rule.name}" (priority ${v.rule.priority}) ${v.reason}.`,
    }));
    const passSummary = transport.rules.length
      ? `None of the ${transport.rules.length} mail flow rule(s) stops automatically forwarded mail from ${name}${uncertain.length ? ` (${uncertain.length} could not be decided)` : ''}.`
      : 'There are no mail flow rules.';
    return fromFindings(findings, passSummary, {
      details: paragraphs(
        forwardingAddress ? null : 'No forwarding address is configured or set on the mailbox; recipient conditions were taken as matching.',
        uncertainText,
        othersText,
        source,
      ),
      evidence,
    });
  },
});
