import { defineCheck, finding, optional, pass } from '../../src/core/check.js';
import { exchangeMailboxFact, outboundSpamFact } from '../../src/collect/exchange/facts.js';
import { ruleGroupMembershipFact } from '../../src/collect/graph/mailbox/group-membership.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, paragraphs, quoteList, requireMailbox, sourceLine, sourceText, whyNot } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';
import { allowsForwarding, resolveOutboundPolicy, type PolicyCandidate, type PolicyResolution } from './lib/outbound-policy.js';

const DEFENDER_PATH =
  'Microsoft Defender portal → Email & collaboration → Policies & rules → Threat policies → Anti-spam policies → Create policy → Outbound → name it (e.g. "Webex Connect forwarding") → Users: the mailbox → Protection settings → Forwarding rules → Automatic forwarding rules: On - Forwarding is enabled → Create';

const BASELINE_NOTE =
  'Security baselines (CISA ScubaGear MS.EXO.1.1v2 "Automatic forwarding to external domains SHALL be disabled", CIS Microsoft 365 Foundations) want external auto-forwarding blocked. ' +
  'A custom policy scoped to this one mailbox keeps that baseline for everyone else: forwarding to Webex Connect is an intended, documented exception.';

/** What settles an unresolved group condition (G3): the permission, named. */
const UNRESOLVED_SETTLE =
  'What would settle it: Microsoft Graph GroupMember.Read.All (application permission, admin consent) on the reader app, so group names come back; or scope the Webex Connect policy with From = the mailbox.';

/** G3: groups Graph returned with only `@odata.type` and `id` (limited information). */
function limitedText(n: number): string {
  return n
    ? ` ${n} of the user's groups came back with only their id ("limited information": the reader can list memberships but not read group properties; Microsoft Graph GroupMember.Read.All would return their names), so a rule naming a group by name cannot be matched`
    : '';
}

function modeText(c: PolicyCandidate): string {
  if (!c.policy) return `policy "${c.policyName}" (not found in Get-HostedOutboundSpamFilterPolicy)`;
  const mode = c.policy.autoForwardingMode ?? '(empty)';
  return `"${c.policy.name}"${c.via ? ` (rule "${c.via.name}", priority ${c.via.priority})` : ' (the default policy)'} with AutoForwardingMode ${mode}`;
}

function rulesDetails(r: PolicyResolution): string {
  const lines = r.evaluated.map((e) => `- rule "${e.rule.name}" (priority ${e.rule.priority}, policy "${e.rule.policy}"): ${e.match === 'yes' ? 'applies' : e.match === 'no' ? 'does not apply' : 'cannot tell'} — ${e.reason}`);
  for (const { rule: d, reason } of r.skipped) lines.push(`- rule "${d.name}" (priority ${d.priority}, policy "${d.policy}"): not considered — ${reason}`);
  return lines.length ? `Outbound spam rules, in priority order:\n${lines.join('\n')}` : 'There are no custom outbound spam rules: the default policy applies to every mailbox.';
}

function numberNote(r: PolicyResolution): string | null {
  const numbered = r.candidates.filter((c) => c.policy?.autoForwardingModeNumber !== undefined);
  if (!numbered.length) return null;
  return `Note: the evidence gave AutoForwardingMode as a number (${numbered.map((c) => `"${c.policyName}": ${c.policy!.autoForwardingModeNumber} → ${c.policy!.autoForwardingMode}`).join('; ')}), read with the assumed numbering Automatic = 0, On = 1, Off = 2 (not documented by Microsoft). Re-export with \`wxmail evidence-script\`, which writes the name, to be sure.`;
}

export default defineCheck({
  id: 'exchange.outbound-spam-policy',
  title: 'The outbound spam policy for the mailbox allows automatic external forwarding',
  step: 3,
  description:
    'Forwarding to Webex Connect is automatic forwarding to an external address, which the outbound anti-spam policy blocks unless its AutoForwardingMode is On (setup guide step 3, last bullet: "allow forwarding of outbound email to external addresses in the Microsoft 365 Defender portal"). Finds the policy that applies to the mailbox through the outbound spam rules (priority, state, From / SenderDomainIs / FromMemberOf and exceptions), else the default policy.',
  scope: 'asset',
  needs: { mailbox: exchangeMailboxFact, outbound: outboundSpamFact, groups: optional(ruleGroupMembershipFact) },
  requires: exchangeRequires,
  precondition: requireMailbox,
  permissions: [...EXCHANGE_READ_PERMISSIONS, 'Microsoft Graph: GroupMember.Read.All (for rules scoped with FromMemberOf)'],
  explanations: {
    AUTOFORWARD_BLOCKED_POLICY: {
      title: 'The outbound spam policy blocks automatic forwarding to Webex Connect',
      seen: 'Senders get a non-delivery report `550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)`; Webex Connect receives nothing.',
      cause:
        'The outbound spam policy that applies to the mailbox has AutoForwardingMode Off, or Automatic — "Automatic - System-controlled … is now the same as Off" (Microsoft Defender docs). The default policy is Automatic unless changed.',
      confirm:
        'Microsoft Defender portal → Email & collaboration → Policies & rules → Threat policies → Anti-spam policies: the outbound policy that covers the mailbox shows "Automatic forwarding rules: Automatic - System-controlled" or "Off". Or `Get-HostedOutboundSpamFilterRule | Format-List Name,Priority,State,From,FromMemberOf,SenderDomainIs,HostedOutboundSpamFilterPolicy` and `Get-HostedOutboundSpamFilterPolicy | Format-List Name,IsDefault,AutoForwardingMode`.',
      fix: `Create a custom outbound spam policy with automatic forwarding On, scoped to this mailbox only, rather than turning forwarding on in the default policy for the whole tenant (setup guide step 3). ${BASELINE_NOTE}`,
      step: 3,
      portal: [DEFENDER_PATH],
      commands: [
        'New-HostedOutboundSpamFilterPolicy -Name "Webex Connect forwarding" -AutoForwardingMode On',
        'New-HostedOutboundSpamFilterRule -Name "Webex Connect forwarding" -HostedOutboundSpamFilterPolicy "Webex Connect forwarding" -From <mailbox> -Priority 0',
      ],
      links: [LINKS.externalForwarding, LINKS.newOutboundPolicy, LINKS.newOutboundRule],
    },
    OUTBOUND_POLICY_UNRESOLVED: {
      title: 'Which outbound spam policy applies could not be decided',
      seen: 'The report cannot say whether automatic forwarding is allowed for the mailbox.',
      cause:
        'An outbound spam rule is scoped by group membership (FromMemberOf / ExceptIfFromMemberOf), and the reading identity could not read the mailbox user\'s groups, or Graph returned them as "limited information" objects with only their id (the reader can list memberships with User.Read.All but needs GroupMember.Read.All for the group names), while the policies that may apply disagree about forwarding.',
      confirm: 'Microsoft Entra admin center → Users → the user → Groups: is the user a member (directly or nested) of the group the rule names?',
      fix: 'Give the reader GroupMember.Read.All (or run with `--sign-in`), or scope the Webex Connect policy with From = the mailbox instead of a group, so the doctor (and the next admin) can see that it applies.',
      step: 3,
      portal: [
        'Microsoft Entra admin center → Identity → Applications → App registrations → the reader app → API permissions → Microsoft Graph → Application permissions → GroupMember.Read.All → Grant admin consent',
        DEFENDER_PATH,
      ],
      commands: ['Get-HostedOutboundSpamFilterRule -Identity <rule-name> | Format-List Name,Priority,State,From,FromMemberOf,ExceptIfFromMemberOf,HostedOutboundSpamFilterPolicy', 'GET https://graph.microsoft.com/v1.0/users/<mailbox>/transitiveMemberOf?$select=id,displayName,mail,mailNickname'],
      links: [LINKS.externalForwarding, LINKS.newOutboundRule],
    },
    ...sharedExchangeExplanations,
  },
  run({ mailbox, outbound, groups }, ctx) {
    const name = ctx.asset?.mailbox ?? mailbox.identity;
    const r = resolveOutboundPolicy(outbound, mailbox, name, groups);
    const sources = sourceText(outbound.source, mailbox.source);
    const source = sourceLine(sources);
    const evidence = {
      mailbox: name,
      candidates: r.candidates.map((c) => ({ policy: c.policyName, autoForwardingMode: c.policy?.autoForwardingMode ?? null, rule: c.via?.name ?? null, priority: c.via?.priority ?? null })),
      rules: [
        ...r.evaluated.map((e) => ({ name: e.rule.name, priority: e.rule.priority, state: e.rule.state, policy: e.rule.policy, applies: e.match, reason: e.reason })),
        ...r.skipped.map(({ rule: d, reason }) => ({ name: d.name, priority: d.priority, state: d.state, policy: d.policy, applies: 'no', reason: `not considered: ${reason}` })),
      ],
      unresolvedGroups: r.unresolvedGroups,
      limitedGroups: r.limitedGroups,
      source: sources,
    };
    const details = (...extra: (string | null)[]) => paragraphs(...extra, rulesDetails(r), numberNote(r), source);

    const allowed = r.candidates.map((c) => allowsForwarding(c.policy));
    if (r.candidates.length > 1) {
      const why = groups.ok ? limitedText(r.limitedGroups) : ` (group membership not readable: ${whyNot(groups)})`;
      const groupsText = quoteList(r.unresolvedGroups);
      const list = r.candidates.map((c) => `- ${modeText(c)}`).join('\n');
      if (allowed.every(Boolean)) {
        return pass(`Every outbound spam policy that may apply to ${name} allows automatic forwarding (membership of ${groupsText} could not be checked).`, {
          details: details(`Could apply:\n${list}`, `Group membership was not readable${why}.`),
          evidence,
        });
      }
      if (!allowed.some(Boolean)) {
        return finding('AUTOFORWARD_BLOCKED_POLICY', `Every outbound spam policy that may apply to ${name} blocks automatic external forwarding (membership of ${groupsText} could not be checked).`, {
          details: details(`Could apply:\n${list}`, `Group membership was not readable${why}.`),
          evidence,
        });
      }
      return finding('OUTBOUND_POLICY_UNRESOLVED', `Cannot tell which outbound spam policy applies to ${name}: it depends on membership of ${groupsText}, which could not be read.`, {
        details: details(
          `Depending on that membership, one of these applies:\n${list}`,
          groups.ok ? `Group membership:${limitedText(r.limitedGroups)}.` : `Group membership: ${whyNot(groups)}`,
          UNRESOLVED_SETTLE,
        ),
        evidence,
        values: { 'rule-name': r.evaluated.find((e) => e.match === 'unknown')?.rule.name ?? null },
      });
    }

    const applied = r.candidates[0]!;
    if (allowed[0]) {
      const exception = applied.via ? `This is the intended per-mailbox exception: ${BASELINE_NOTE}` : 'Note: the default policy allows automatic external forwarding for every mailbox in the tenant. Baselines (ScubaGear MS.EXO.1.1v2, CIS) want it blocked; a custom policy scoped to the Webex Connect mailbox keeps this mailbox working if the default is set back to Off.';
      return pass(`Automatic external forwarding is allowed for ${name}: ${modeText(applied)} applies.`, { details: details(exception), evidence });
    }
    const policyNote = applied.policy === null ? `No default policy is in the output of Get-HostedOutboundSpamFilterPolicy; Exchange always has one, Automatic unless changed, so it was taken as blocking.` : null;
    return finding('AUTOFORWARD_BLOCKED_POLICY', `Automatic external forwarding is blocked for ${name}: ${modeText(applied)} applies.`, {
      details: details(
        policyNote,
        applied.policy?.autoForwardingMode === 'Automatic' ? '"Automatic - System-controlled" is now the same as Off (Microsoft Defender docs).' : null,
      ),
      evidence,
    });
  },
});
