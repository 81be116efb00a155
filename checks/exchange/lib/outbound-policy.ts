/**
 * Which outbound spam policy applies to a mailbox: a custom policy applies only through its rule;
 * the first *enabled* rule by priority (0 = highest) whose conditions match the sender and whose
 * exceptions do not, sets the policy; otherwise the default policy applies (reference D4 [I]).
 * A rule is not considered when its State is not Enabled, or its policy is missing, the default,
 * or has Enabled False.
 * Conditions of different kinds must all match; values within one kind are alternatives.
 * `SenderDomainIs` covers subdomains (G11). `FromMemberOf` needs the mailbox's group membership
 * (Graph); when that could not be read, or a group came back with only its id (G3), the rule's
 * outcome is "unknown", and every policy that could apply is kept as a candidate.
 */
import type { FactOutcome } from '../../../src/core/check.js';
import { domainOf, mailboxAddresses, mailboxNames } from '../../../src/collect/exchange/mailbox-identity.js';
import type { ExchangeMailbox, OutboundSpamPolicy, OutboundSpamRule, OutboundSpamSettings } from '../../../src/collect/exchange/types.js';
import { isLimited, membershipOf, type GroupMembership } from '../../../src/collect/graph/mailbox/group-membership.js';

export type Tri = 'yes' | 'no' | 'unknown';

export interface RuleEvaluation {
  rule: OutboundSpamRule;
  match: Tri;
  /** Why, in words. */
  reason: string;
  /** Groups whose membership could not be resolved. */
  unresolvedGroups: string[];
}

export interface PolicyCandidate {
  /** null when the named policy is not in Get-HostedOutboundSpamFilterPolicy's output. */
  policy: OutboundSpamPolicy | null;
  policyName: string;
  /** The rule that applies it; null = the default policy. */
  via: OutboundSpamRule | null;
}

export interface PolicyResolution {
  /** One when the applying policy is known; several when group membership could not be resolved. */
  candidates: PolicyCandidate[];
  /** Enabled rules in priority order, up to the one that decided. */
  evaluated: RuleEvaluation[];
  /** Rules not considered, and why (State not Enabled; policy missing, disabled or the default). */
  skipped: { rule: OutboundSpamRule; reason: string }[];
  unresolvedGroups: string[];
  /** Groups of the mailbox user that Graph returned with only their id (G3): why a group could not be matched. */
  limitedGroups: number;
}

/**
 * `SenderDomainIs` / `ExceptIfSenderDomainIs` include subdomains (G11 [V], Defender
 * outbound-spam-policies-configure: "contoso.com also includes marketing.contoso.com").
 */
export function domainCovers(ruleDomain: string, senderDomain: string): boolean {
  const d = ruleDomain.trim().toLowerCase().replace(/^\*?\./, '');
  const s = senderDomain.trim().toLowerCase();
  return d !== '' && (s === d || s.endsWith(`.${d}`));
}

/** AutoForwardingMode On allows automatic external forwarding; Off and Automatic block it (Automatic is now Off, reference D4). */
export function allowsForwarding(policy: OutboundSpamPolicy | null): boolean {
  return policy?.autoForwardingMode === 'On';
}

export function resolveOutboundPolicy(
  settings: OutboundSpamSettings,
  mailbox: ExchangeMailbox,
  configuredMailbox: string,
  groups: FactOutcome<GroupMembership>,
): PolicyResolution {
  const names = mailboxNames(mailbox, configuredMailbox);
  const senderDomain = domainOf(mailbox.primarySmtpAddress ?? mailboxAddresses(mailbox, configuredMailbox)[0] ?? configuredMailbox);
  const ordered = [...settings.rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  const policyByName = (n: string): OutboundSpamPolicy | null => {
    const key = n.trim().toLowerCase();
    return settings.policies.find((p) => p.name.toLowerCase() === key || p.identity.toLowerCase() === key) ?? null;
  };
  const skipped: PolicyResolution['skipped'] = [];
  const enabled: OutboundSpamRule[] = [];
  for (const rule of ordered) {
    const p = policyByName(rule.policy);
    if (rule.state !== 'Enabled') skipped.push({ rule, reason: `State ${rule.state}` });
    else if (!p) skipped.push({ rule, reason: `its policy "${rule.policy}" is not in Get-HostedOutboundSpamFilterPolicy` });
    else if (p.isDefault) skipped.push({ rule, reason: 'it names the default policy, which no rule can apply' });
    // [I] A custom policy whose Enabled is False is taken as not in force (the simulator's mail model does the same).
    else if (p.enabled === false) skipped.push({ rule, reason: `its policy "${p.name}" has Enabled False` });
    else enabled.push(rule);
  }

  const evaluated: RuleEvaluation[] = [];
  const candidates: PolicyCandidate[] = [];
  const unresolved = new Set<string>();
  let decided = false;
  for (const rule of enabled) {
    const e = evaluateRule(rule, names, senderDomain, groups);
    evaluated.push(e);
    e.unresolvedGroups.forEach((g) => unresolved.add(g));
    if (e.match === 'no') continue;
    candidates.push({ policy: policyByName(rule.policy), policyName: rule.policy, via: rule });
    if (e.match === 'yes') {
      decided = true;
      break;
    }
  }
  if (!decided) {
    const def = settings.policies.find((p) => p.isDefault) ?? policyByName('Default');
    candidates.push({ policy: def, policyName: def?.name ?? 'Default', via: null });
  }
  const limitedGroups = groups.ok ? groups.value.groups.filter(isLimited).length : 0;
  return { candidates, evaluated, skipped, unresolvedGroups: [...unresolved], limitedGroups };
}

function evaluateRule(rule: OutboundSpamRule, names: Set<string>, senderDomain: string, groups: FactOutcome<GroupMembership>): RuleEvaluation {
  const unresolvedGroups: string[] = [];
  const inList = (list: string[]) => list.some((v) => names.has(v.trim().toLowerCase()));
  const domainIn = (list: string[]) => list.some((d) => domainCovers(d, senderDomain));
  // G3: a group Graph returned with only its id may be the one the rule names: 'unknown', never 'no'.
  const memberOf = (list: string[]): Tri => {
    if (!groups.ok) {
      unresolvedGroups.push(...list);
      return 'unknown';
    }
    const each = list.map((g) => membershipOf(groups.value, g));
    if (each.includes('member')) return 'yes';
    if (each.includes('unknown')) {
      unresolvedGroups.push(...list.filter((_, i) => each[i] === 'unknown'));
      return 'unknown';
    }
    return 'no';
  };

  // Conditions: every kind given must match.
  const conditions: { kind: string; result: Tri; values: string[] }[] = [];
  if (rule.from.length) conditions.push({ kind: 'From', result: inList(rule.from) ? 'yes' : 'no', values: rule.from });
  if (rule.senderDomainIs.length) conditions.push({ kind: 'SenderDomainIs', result: domainIn(rule.senderDomainIs) ? 'yes' : 'no', values: rule.senderDomainIs });
  if (rule.fromMemberOf.length) conditions.push({ kind: 'FromMemberOf', result: memberOf(rule.fromMemberOf), values: rule.fromMemberOf });
  const failed = conditions.find((c) => c.result === 'no');
  if (failed) return { rule, match: 'no', reason: `${failed.kind} (${failed.values.join(', ')}) does not match the mailbox`, unresolvedGroups: [] };

  // Exceptions: any kind that matches exempts the sender.
  const exceptions: { kind: string; result: Tri; values: string[] }[] = [];
  if (rule.exceptIfFrom.length) exceptions.push({ kind: 'ExceptIfFrom', result: inList(rule.exceptIfFrom) ? 'yes' : 'no', values: rule.exceptIfFrom });
  if (rule.exceptIfSenderDomainIs.length) exceptions.push({ kind: 'ExceptIfSenderDomainIs', result: domainIn(rule.exceptIfSenderDomainIs) ? 'yes' : 'no', values: rule.exceptIfSenderDomainIs });
  if (rule.exceptIfFromMemberOf.length) exceptions.push({ kind: 'ExceptIfFromMemberOf', result: memberOf(rule.exceptIfFromMemberOf), values: rule.exceptIfFromMemberOf });
  const exempt = exceptions.find((x) => x.result === 'yes');
  if (exempt) return { rule, match: 'no', reason: `the mailbox is excepted by ${exempt.kind} (${exempt.values.join(', ')})`, unresolvedGroups: [] };

  const unknown = [...conditions, ...exceptions].filter((c) => c.result === 'unknown');
  if (unknown.length) {
    return { rule, match: 'unknown', reason: `${unknown.map((u) => `${u.kind} (${u.values.join(', ')})`).join(' and ')} could not be resolved`, unresolvedGroups };
  }
  // Exchange refuses to create a rule without conditions; one read that way applies to nobody.
  if (conditions.length === 0) return { rule, match: 'no', reason: 'the rule has no conditions (From, SenderDomainIs or FromMemberOf), so it applies to nobody', unresolvedGroups: [] };
  const matched = conditions.map((c) => `${c.kind} ${c.values.join(', ')}${c.kind === 'SenderDomainIs' ? ` (subdomains included, so ${senderDomain} is covered)` : ''}`).join(' and ');
  return { rule, match: 'yes', reason: `${matched} matches the mailbox`, unresolvedGroups: [] };
}
