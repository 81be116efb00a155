import { defineCheck, finding, optional, pass, type FactOutcome } from '../../src/core/check.js';
import { psLiteral } from '../../src/core/fix-values.js';
import { exchangeMailboxFact, forwardingRecipientFact } from '../../src/collect/exchange/facts.js';
import type { ExchangeMailbox, ForwardingRecipientResolution } from '../../src/collect/exchange/types.js';
import { inboxRulesFact, type InboxRule, type InboxRules, type RulePredicate } from '../../src/collect/graph/mailbox/inbox-rules.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, normalisedAddress, paragraphs, requireForwardingAddress, sourceLine, sourceText, whyNot } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';
import { MAILBOX_ACCESS_SCOPED } from './lib/access-policy.js';
import { mdCode } from '../../src/core/md.js';

const GUIDE_PATH =
  'Microsoft 365 admin center → Users → Active users → the user → Mail → Email forwarding → Manage email forwarding → Forward all emails sent to this mailbox → Forwarding email address = the Webex Connect Forwarding Address (optionally "Keep a copy of forwarded email in this mailbox") → Save changes';

/** What an inbox rule does with mail for the forwarding address. */
function ruleTargets(rule: InboxRule, address: string): boolean {
  return [...rule.forwardTo, ...rule.forwardAsAttachmentTo, ...rule.redirectTo].includes(address);
}

const GET_RECIPIENT_LINK = 'https://learn.microsoft.com/powershell/module/exchangepowershell/get-recipient';
const PREDICATES_LINK = 'https://learn.microsoft.com/graph/api/resources/messagerulepredicates';
const OUTBOUND_CONFIGURE_LINK = 'https://learn.microsoft.com/defender-office-365/outbound-spam-policies-configure';

/**
 * What an inbox-rule forward cannot prove and what is disputed about it (G15 [V], G17 [V,
 * contested]): said whenever the path to Webex Connect is an inbox rule.
 */
const INBOX_RULE_NOTES = [
  'Inbox-rule forwarding: when automatic external forwarding is blocked, Exchange sends no NDR to internal senders for an inbox-rule forward (Defender docs, outbound-spam-policies-configure), so a self-sent probe that gets no bounce proves nothing about this path.',
  'Mail flow rules with `MessageTypeMatches AutoForward` are documented for mail forwarded by Exchange, "not by auto-forwarding rules that users configure in Outlook"; whether they match inbox-rule forwards in practice is contested [V, contested]. Mailbox forwarding (ForwardingSmtpAddress) avoids the question.',
].join('\n\n');

function predicateText(p: RulePredicate): string {
  return p.values.length ? `${p.name} (${p.values.map((v) => mdCode(v)).join(', ')})` : p.name;
}

/** The conditions and exceptions of an inbox rule, in words; empty when the rule takes every message. */
function selection(r: InboxRule): string {
  const parts: string[] = [];
  if (r.conditions.length) parts.push(`only messages matching ${r.conditions.map(predicateText).join(' and ')}`);
  if (r.exceptions.length) parts.push(`except messages matching ${r.exceptions.map(predicateText).join(' or ')}`);
  return parts.join(', ');
}

function recipientText(rec: NonNullable<ForwardingRecipientResolution['recipient']>): string {
  const kind = rec.recipientTypeDetails ?? 'recipient';
  const addr = rec.externalEmailAddress ? `ExternalEmailAddress ${rec.externalEmailAddress}` : `PrimarySmtpAddress ${rec.primarySmtpAddress ?? '(none)'}`;
  return `${kind} "${rec.displayName ?? rec.name ?? rec.identity}" (${addr})`;
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
    'Webex Connect receives inbound email only through automatic forwarding from the mailbox to its Forwarding Address (setup guide step 3, "Manage email forwarding"). Reads Get-Mailbox ForwardingSmtpAddress / ForwardingAddress / DeliverToMailboxAndForward, resolves ForwardingAddress (a recipient, e.g. a mail contact) with Get-Recipient, and reads the inbox rules (Graph) as an alternative path, with the messages their conditions select.',
  scope: 'asset',
  needs: { mailbox: exchangeMailboxFact, inboxRules: optional(inboxRulesFact), recipient: optional(forwardingRecipientFact) },
  requires: exchangeRequires,
  precondition: requireForwardingAddress,
  permissions: [...EXCHANGE_READ_PERMISSIONS, 'Microsoft Graph: MailboxSettings.Read (optional: inbox rules)'],
  explanations: {
    FORWARDING_MISSING: {
      title: 'The mailbox does not forward to Webex Connect',
      seen: 'Mail sent to the mailbox stays in the mailbox; Webex Connect never sees it (no error anywhere).',
      cause: 'Get-Mailbox shows no ForwardingSmtpAddress for the mailbox, and no enabled inbox rule forwards or redirects to the Webex Connect forwarding address. Webex Connect "won\'t receive the inbound emails unless this step is completed" (Cisco).',
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
      title: 'ForwardingAddress is set and sends the mail somewhere other than Webex Connect',
      seen: 'Mail is forwarded to another recipient instead of Webex Connect, although the admin center may show the Webex address.',
      cause:
        'Get-Mailbox ForwardingAddress names a recipient (a mailbox, mail user or mail contact, set in the Exchange admin center or with Set-Mailbox -ForwardingAddress) whose address, resolved with Get-Recipient, is not the Webex Connect Forwarding Address. It wins over ForwardingSmtpAddress: "If you configure values for both ForwardingAddress and ForwardingSmtpAddress, the value of ForwardingSmtpAddress is ignored" (Set-Mailbox). A ForwardingAddress that resolves to the Webex Connect address (a mail contact) is fine and is never reported.',
      confirm: '`Get-Mailbox -Identity <mailbox> | Format-List ForwardingAddress,ForwardingSmtpAddress`, then `Get-Recipient -Identity <forwarding-recipient> | Format-List RecipientTypeDetails,PrimarySmtpAddress,ExternalEmailAddress`: the address is not the Webex Connect one.',
      fix: 'Clear ForwardingAddress and set ForwardingSmtpAddress to the Webex Connect address (or point ForwardingAddress at a mail contact whose external address is the Webex Connect address).',
      step: 3,
      portal: ['Exchange admin center → Recipients → Mailboxes → the mailbox → Mail flow settings → Email forwarding → Manage email forwarding'],
      commands: ['Set-Mailbox -Identity <mailbox> -ForwardingAddress $null -ForwardingSmtpAddress <forwarding-address>'],
      links: [LINKS.setMailbox, GET_RECIPIENT_LINK],
    },
    FORWARDING_RECIPIENT_UNRESOLVED: {
      title: 'Where ForwardingAddress sends the mail could not be told',
      seen: 'The report cannot say whether the mailbox forwards to Webex Connect.',
      cause:
        'Get-Mailbox ForwardingAddress is set. It names a recipient (Name, alias, DN, GUID …), not an address, and wins over ForwardingSmtpAddress. The doctor resolves it with Get-Recipient; that read failed, the evidence folder has no Get-Recipient.json, or no recipient answers to the name.',
      confirm: '`Get-Recipient -Identity <forwarding-recipient> | Format-List RecipientTypeDetails,PrimarySmtpAddress,ExternalEmailAddress`: for a mail contact or mail user, ExternalEmailAddress is where the mail goes; otherwise PrimarySmtpAddress.',
      fix: 'Let the doctor read Get-Recipient (the Global Reader role on the reading app covers it), or run `wxmail evidence-script` again: it exports Get-Recipient.json for the mailbox\'s ForwardingAddress. If the recipient no longer exists, set forwarding again.',
      step: 3,
      portal: ['Exchange admin center → Recipients → Mailboxes → the mailbox → Mail flow settings → Email forwarding → Manage email forwarding'],
      commands: ['Get-Recipient -Identity <forwarding-recipient> | Format-List Name,RecipientTypeDetails,PrimarySmtpAddress,ExternalEmailAddress'],
      links: [GET_RECIPIENT_LINK, LINKS.setMailbox],
    },
    FORWARDING_RULE_CONDITIONAL: {
      title: 'Only an inbox rule with conditions forwards to Webex Connect',
      seen: 'Some customer mail reaches Webex Connect, the rest stays in the mailbox: whatever the rule\'s conditions do not select.',
      cause:
        'The mailbox has no mailbox forwarding to Webex Connect; an inbox rule forwards or redirects there, but only the messages its conditions select and its exceptions do not (Graph messageRulePredicates). That is not "the mailbox forwards to Webex Connect".',
      confirm: 'Outlook on the web (as the mailbox) → Settings → Mail → Rules → <rule-name>: its conditions and exceptions. Or `GET https://graph.microsoft.com/v1.0/users/<mailbox>/mailFolders/inbox/messageRules`.',
      fix: 'Forward all mail with mailbox forwarding as the setup guide says (step 3), or remove the rule\'s conditions and exceptions if every message should reach Webex Connect.',
      step: 3,
      portal: [GUIDE_PATH, 'Outlook on the web, signed in as <mailbox> → Settings → Mail → Rules → <rule-name> → remove its conditions and exceptions'],
      commands: ['Set-Mailbox -Identity <mailbox> -ForwardingSmtpAddress <forwarding-address> -DeliverToMailboxAndForward $true'],
      links: [LINKS.setMailbox, PREDICATES_LINK, OUTBOUND_CONFIGURE_LINK],
    },
    ...sharedExchangeExplanations,
    MAILBOX_ACCESS_SCOPED,
  },
  run({ mailbox, inboxRules, recipient }, ctx) {
    const configured = ctx.asset!.forwardingAddress!;
    const expected = normalisedAddress(configured);
    const name = ctx.asset?.mailbox ?? mailbox.identity;
    const sources = sourceText(mailbox.source, recipient.ok && recipient.value.identity ? recipient.value.source : mailbox.source);
    const source = sourceLine(sources);
    const rulesNote = inboxRulesNote(inboxRules, expected);
    const resolved = recipient.ok ? recipient.value.recipient : null;
    const evidence = {
      mailbox: name,
      expectedForwardingAddress: expected,
      forwardingSmtpAddress: mailbox.forwardingSmtpAddress,
      forwardingAddress: mailbox.forwardingAddress,
      forwardingAddressResolvesTo: resolved ? { type: resolved.recipientTypeDetails, address: resolved.address } : null,
      deliverToMailboxAndForward: mailbox.deliverToMailboxAndForward,
      inboxRulesToWebex: inboxRules.ok
        ? inboxRules.value.rules.filter((r) => ruleTargets(r, expected)).map((r) => ({ name: r.displayName, isEnabled: r.isEnabled, hasError: r.hasError, conditions: r.conditions, exceptions: r.exceptions }))
        : null,
      source: sources,
    };
    const keepCopy = mailbox.deliverToMailboxAndForward
      ? 'A copy stays in the mailbox (DeliverToMailboxAndForward = True, "Keep a copy of forwarded email").'
      : 'No copy stays in the mailbox (DeliverToMailboxAndForward = False); the guide makes "Keep a copy" optional.';

    if (mailbox.forwardingAddress) {
      const fa = mailbox.forwardingAddress;
      const values = { 'forwarding-recipient': fa };
      const ignored = smtpIgnored(mailbox);
      if (!recipient.ok || !resolved) {
        const why = !recipient.ok ? `Get-Recipient could not be read (${whyNot(recipient)})` : `no recipient answers to ${mdCode(fa)} (Get-Recipient)`;
        return finding('FORWARDING_RECIPIENT_UNRESOLVED', `Cannot tell where ${name} forwards: ForwardingAddress is set to the recipient "${fa}", and ${!recipient.ok ? 'Get-Recipient could not be read' : 'no recipient answers to that name'}.`, {
          details: paragraphs(
            `ForwardingAddress names a recipient, not an address, and wins over ForwardingSmtpAddress (${mailbox.forwardingSmtpAddress ?? 'empty'}). ${why}.`,
            `What would settle it: \`Get-Recipient -Identity ${psLiteral(fa)}\` (Global Reader may run it), or \`wxmail evidence-script\` again, which exports Get-Recipient.json.`,
            `Webex Connect expects: ${mdCode(expected)}.`,
            source,
          ),
          evidence,
          values,
        });
      }
      const target = resolved.address ? normalisedAddress(resolved.address) : null;
      if (target === expected) {
        return pass(`${name} forwards to ${expected} through ForwardingAddress "${fa}", a ${recipientText(resolved)}.`, {
          details: paragraphs(`ForwardingAddress names a recipient; Get-Recipient resolves "${fa}" to the Webex Connect address, so this is the working path: leave it set.`, ignored, keepCopy, source),
          evidence,
          values,
        });
      }
      return finding(
        'FORWARDING_OVERRIDDEN',
        `ForwardingAddress "${fa}" is set on ${name} and resolves to ${target ?? 'no address'} (${resolved.recipientTypeDetails ?? 'recipient'}): mail goes there, not to Webex Connect${mailbox.forwardingSmtpAddress ? `, and ForwardingSmtpAddress (${mailbox.forwardingSmtpAddress}) is ignored` : ''}.`,
        { details: paragraphs(`- ForwardingAddress "${fa}" resolves to ${recipientText(resolved)}\n- Webex Connect expects: ${mdCode(expected)}`, rulesNote.text, source), evidence, values },
      );
    }

    const activeRules = inboxRules.ok ? inboxRules.value.rules.filter((r) => r.isEnabled && !r.hasError && ruleTargets(r, expected)) : [];
    const allMail = activeRules.find((r) => selection(r) === '');

    if (!mailbox.forwardingSmtpAddress) {
      if (allMail) {
        return pass(`${name} has no mailbox forwarding, but ${describeRule(allMail)} forwards or redirects every message to ${expected}.`, {
          details: paragraphs(
            'Note: an inbox rule is an alternative to the mailbox forwarding the setup guide configures; the mailbox owner can change it in Outlook, and the outbound spam policy, remote domain and transport rules apply to it the same way.',
            INBOX_RULE_NOTES,
            rulesNote.text,
            source,
          ),
          evidence,
          values: { 'rule-name': allMail.displayName },
        });
      }
      const partial = activeRules[0];
      if (partial) {
        const list = activeRules.map((r) => `- ${describeRule(r)}: ${selection(r)}`).join('\n');
        return finding('FORWARDING_RULE_CONDITIONAL', `${name} forwards to ${expected} only through ${describeRule(partial)}, which takes ${selection(partial)}: not every customer message reaches Webex Connect.`, {
          details: paragraphs(`Inbox rules that forward or redirect to the Webex Connect address, with what they select:\n${list}`, 'A rule acts only on the messages its conditions select and its exceptions do not (Graph messageRulePredicates).', INBOX_RULE_NOTES, rulesNote.text, source),
          evidence,
          values: { 'rule-name': partial.displayName },
        });
      }
      if (!inboxRules.ok && inboxRules.error.code === 'MAILBOX_ACCESS_SCOPED') {
        // G8: the rules exist but the reader may not see them; an inbox rule may forward. Cannot tell.
        return finding('MAILBOX_ACCESS_SCOPED', `${name} has no mailbox forwarding, and whether an inbox rule forwards to Webex Connect cannot be told: ${inboxRules.error.message}`, {
          details: paragraphs(inboxRules.error.details ?? null, `Webex Connect expects forwarding to ${mdCode(expected)}.`, source),
          evidence: { ...evidence, inboxRulesError: inboxRules.error.evidence },
          requestIds: inboxRules.error.requestIds,
          values: { 'reader-client-id': typeof inboxRules.error.evidence?.appId === 'string' ? inboxRules.error.evidence.appId : undefined },
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

/** ForwardingSmtpAddress, when also set, is ignored in favour of ForwardingAddress (D4). */
function smtpIgnored(m: ExchangeMailbox): string | null {
  return m.forwardingSmtpAddress ? `ForwardingSmtpAddress (${m.forwardingSmtpAddress}) is also set and ignored while ForwardingAddress is set (Set-Mailbox).` : null;
}

/** Inbox rules that aim at the Webex address but do not run, or why the rules could not be read. */
function inboxRulesNote(o: FactOutcome<InboxRules>, expected: string): { text: string | null; short: string } {
  if (!o.ok) return { text: `Inbox rules were not read (${whyNot(o)}), so a rule forwarding to Webex Connect could not be taken into account.`, short: '' };
  const idle = o.value.rules.filter((r) => ruleTargets(r, expected) && (!r.isEnabled || r.hasError));
  if (idle.length === 0) return { text: null, short: ' and no inbox rule forwards there' };
  const names = idle.map(describeRule);
  return { text: `These rules aim at the Webex Connect address but do not run: ${names.join('; ')}.`, short: ` (${names.join('; ')} would, but does not run)` };
}
