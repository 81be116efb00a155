import { defineCheck, finding, optional, pass, type FactOutcome } from '../../src/core/check.js';
import { exchangeMailboxFact } from '../../src/collect/exchange/facts.js';
import { inboxRulesFact, type InboxRule, type InboxRules } from '../../src/collect/graph/mailbox/inbox-rules.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, normalisedAddress, paragraphs, requireForwardingAddress, sourceLine, sourceText, whyNot } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';
import { mdCode } from '../../src/core/md.js';

const GUIDE_PATH =
  'Microsoft 365 admin center → Users → Active users → the user → Mail → Email forwarding → Manage email forwarding → Forward all emails sent to this mailbox → Forwarding email address = the Webex Connect Forwarding Address (optionally "Keep a copy of forwarded email in this mailbox") → Save changes';

/** What an inbox rule does with mail for the forwarding address. */
function ruleTargets(rule: InboxRule, address: string): boolean {
  return [...rule.forwardTo, ...rule.forwardAsAttachmentTo, ...rule.redirectTo].includes(address);
}

function describeRule(r: InboxRule): string {
  const state = !r.isEnabled ? 'disabled' : r.hasError ? 'in error (Outlook marks it broken; it does not run)' : 'enabled';
  return `inbox rule "${r.displayName}" (${state})`;
}

export default defineCheck({
  id: 'exchange.forwarding',
  title: 'The mailbox forwards to the Webex Connect forwarding address',
  step: 3,
  description:
    'Webex Connect receives inbound email only through automatic forwarding from the mailbox to its Forwarding Address (setup guide step 3, "Manage email forwarding"). Reads Get-Mailbox ForwardingSmtpAddress / ForwardingAddress / DeliverToMailboxAndForward, and the inbox rules (Graph) as an alternative path.',
  scope: 'asset',
  needs: { mailbox: exchangeMailboxFact, inboxRules: optional(inboxRulesFact) },
  requires: exchangeRequires,
  precondition: requireForwardingAddress,
  permissions: [...EXCHANGE_READ_PERMISSIONS, 'Microsoft Graph: MailboxSettings.Read (optional: inbox rules)'],
  explanations: {
    FORWARDING_MISSING: {
      title: 'The mailbox does not forward to Webex Connect',
      seen: 'Mail sent to the mailbox stays in the mailbox; Webex Connect never sees it (no error anywhere).',
      cause: 'Get-Mailbox shows no ForwardingSmtpAddress for the mailbox, and no enabled inbox rule forwards or redirects to the Webex Connect forwarding address. Webex Connect "won\'t receive the inbound emails unless this step is completed" (Cisco, reference E1).',
      confirm: 'Microsoft 365 admin center → Users → Active users → the user → Mail → Email forwarding shows "None". Or `Get-Mailbox -Identity <mailbox> | Format-List ForwardingSmtpAddress,ForwardingAddress,DeliverToMailboxAndForward`.',
      fix: 'Set mailbox forwarding to the Webex Connect Forwarding Address (setup guide step 3). Keep a copy in the mailbox if you want one (DeliverToMailboxAndForward).',
      step: 3,
      portal: [GUIDE_PATH],
      commands: ['Set-Mailbox -Identity <mailbox> -ForwardingSmtpAddress <forwarding-address> -DeliverToMailboxAndForward $true'],
      links: [LINKS.setMailbox],
    },
    FORWARDING_WRONG_ADDRESS: {
      title: 'The mailbox forwards to another address',
      seen: 'Mail to the mailbox is forwarded, but not to Webex Connect: Webex Connect receives nothing (or another Webex Connect app does).',
      cause: 'Get-Mailbox ForwardingSmtpAddress differs from the Forwarding Address Webex Connect shows for this Email app: a typo, the address of another asset or region, or a stale value after the app was re-created.',
      confirm: 'Compare Webex Connect → Assets → Apps → the Email app → Forwarding Address with Microsoft 365 admin center → Users → Active users → the user → Mail → Email forwarding.',
      fix: 'Replace the forwarding address with the one Webex Connect shows for this app (setup guide steps 1 and 3).',
      step: 3,
      portal: [GUIDE_PATH],
      commands: ['Set-Mailbox -Identity <mailbox> -ForwardingSmtpAddress <forwarding-address>'],
      links: [LINKS.setMailbox],
    },
    FORWARDING_OVERRIDDEN: {
      title: 'ForwardingAddress is set and overrides the forwarding to Webex Connect',
      seen: 'Mail is forwarded to an internal recipient instead of Webex Connect, although the admin center may show the Webex address.',
      cause: 'Get-Mailbox has both ForwardingAddress (an internal recipient, set in the Exchange admin center or with Set-Mailbox -ForwardingAddress) and ForwardingSmtpAddress. "If you configure values for both ForwardingAddress and ForwardingSmtpAddress, the value of ForwardingSmtpAddress is ignored" (Set-Mailbox, reference D4).',
      confirm: '`Get-Mailbox -Identity <mailbox> | Format-List ForwardingAddress,ForwardingSmtpAddress`: ForwardingAddress is not empty.',
      fix: 'Clear ForwardingAddress, so ForwardingSmtpAddress (the Webex Connect address) applies.',
      step: 3,
      portal: ['Exchange admin center → Recipients → Mailboxes → the mailbox → Mail flow settings → Email forwarding → Manage email forwarding'],
      commands: ['Set-Mailbox -Identity <mailbox> -ForwardingAddress $null'],
      links: [LINKS.setMailbox],
    },
    ...sharedExchangeExplanations,
  },
  run({ mailbox, inboxRules }, ctx) {
    const configured = ctx.asset!.forwardingAddress!;
    const expected = normalisedAddress(configured);
    const name = ctx.asset?.mailbox ?? mailbox.identity;
    const sources = sourceText(mailbox.source);
    const source = sourceLine(sources);
    const rulesNote = inboxRulesNote(inboxRules, expected);
    const evidence = {
      mailbox: name,
      expectedForwardingAddress: expected,
      forwardingSmtpAddress: mailbox.forwardingSmtpAddress,
      forwardingAddress: mailbox.forwardingAddress,
      deliverToMailboxAndForward: mailbox.deliverToMailboxAndForward,
      inboxRulesToWebex: inboxRules.ok ? inboxRules.value.rules.filter((r) => ruleTargets(r, expected)).map((r) => ({ name: r.displayName, isEnabled: r.isEnabled, hasError: r.hasError })) : null,
      source: sources,
    };
    const keepCopy = mailbox.deliverToMailboxAndForward
      ? 'A copy stays in the mailbox (DeliverToMailboxAndForward = True, "Keep a copy of forwarded email").'
      : 'No copy stays in the mailbox (DeliverToMailboxAndForward = False); the guide makes "Keep a copy" optional.';

    if (mailbox.forwardingAddress) {
      if (normalisedAddress(mailbox.forwardingAddress) === expected) {
        return pass(`${name} forwards to ${expected} through ForwardingAddress (a recipient with the Webex Connect address).`, { details: paragraphs(keepCopy, source), evidence });
      }
      return finding(
        'FORWARDING_OVERRIDDEN',
        `ForwardingAddress (${mailbox.forwardingAddress}) is set on ${name} and wins over ForwardingSmtpAddress (${mailbox.forwardingSmtpAddress ?? 'none'}): mail goes there, not to Webex Connect.`,
        { details: paragraphs(`Webex Connect expects: ${mdCode(expected)}.`, rulesNote.text, source), evidence },
      );
    }

    const activeRule = inboxRules.ok ? inboxRules.value.rules.find((r) => r.isEnabled && !r.hasError && ruleTargets(r, expected)) : undefined;

    if (!mailbox.forwardingSmtpAddress) {
      if (activeRule) {
        return pass(`${name} has no mailbox forwarding, but ${describeRule(activeRule)} forwards or redirects to ${expected}.`, {
          details: paragraphs(
            'Note: an inbox rule is an alternative to the mailbox forwarding the setup guide configures; the mailbox owner can change it in Outlook, and the outbound spam policy, remote domain and transport rules apply to it the same way.',
            rulesNote.text,
            source,
          ),
          evidence,
        });
      }
      return finding('FORWARDING_MISSING', `${name} does not forward to Webex Connect: ForwardingSmtpAddress is empty${rulesNote.short}.`, {
        details: paragraphs(`Webex Connect expects forwarding to ${mdCode(expected)}.`, rulesNote.text, source),
        evidence,
      });
    }

    const actual = normalisedAddress(mailbox.forwardingSmtpAddress);
    if (actual !== expected) {
      return finding('FORWARDING_WRONG_ADDRESS', `${name} forwards to ${actual}, but the Webex Connect forwarding address is ${expected}.`, {
        details: paragraphs(`- configured in Exchange (ForwardingSmtpAddress): ${mdCode(actual)}\n- shown by Webex Connect (Forwarding Address): ${mdCode(expected)}`, rulesNote.text, source),
        evidence,
      });
    }
    return pass(`${name} forwards all mail to ${expected} (ForwardingSmtpAddress).`, { details: paragraphs(keepCopy, rulesNote.text, source), evidence });
  },
});

/** Inbox rules that aim at the Webex address but do not run, or why the rules could not be read. */
function inboxRulesNote(o: FactOutcome<InboxRules>, expected: string): { text: string | null; short: string } {
  if (!o.ok) return { text: `Inbox rules were not read (${whyNot(o)}), so a rule forwarding to Webex Connect could not be taken into account.`, short: '' };
  const idle = o.value.rules.filter((r) => ruleTargets(r, expected) && (!r.isEnabled || r.hasError));
  if (idle.length === 0) return { text: null, short: ' and no inbox rule forwards there' };
  const names = idle.map(describeRule);
  return { text: `These rules aim at the Webex Connect address but do not run: ${names.join('; ')}.`, short: ` (${names.join('; ')} would, but does not run)` };
}
