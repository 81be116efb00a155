import type { OutboundSpamRule, Scenario, ScenarioUser, TransportRule } from '../scenario/schema.js';
import { domainOf } from './mime.js';
import { groupIdentities, userAddresses } from './recipients.js';

/**
 * What Exchange Online decides when a mailbox's mail leaves the tenant by auto-forwarding
 * (microsoft-365.md D4). The three controls are checked in this order, and the first block wins:
 * the outbound spam policy (bounces with 5.7.520), the remote domain and transport rules (both
 * drop the copy without a bounce: DEF documents no NDR for them, the issue asks for a silent drop).
 */
export type ForwardVerdict =
  | { allowed: true; policy: string }
  | { allowed: false; by: 'outbound-policy'; policy: string; mode: 'Off' | 'Automatic' }
  | { allowed: false; by: 'remote-domain'; remoteDomain: string }
  | { allowed: false; by: 'transport-rule'; rule: string; action: 'reject' | 'delete' | 'redirect'; redirectTo: string[] };

/** The addresses, domains and groups rule conditions compare a sending mailbox with. */
function senderFacts(scenario: Scenario, user: ScenarioUser): { addresses: Set<string>; domains: Set<string>; groups: Set<string> } {
  const addresses = new Set(userAddresses(scenario, user));
  return { addresses, domains: new Set([...addresses].map(domainOf)), groups: groupIdentities(scenario, user) };
}

const lower = (xs: string[]): string[] => xs.map((x) => x.toLowerCase());
const anyIn = (xs: string[], set: Set<string>): boolean => lower(xs).some((x) => set.has(x));
/** SenderDomainIs / ExceptIfSenderDomainIs include subdomains (G11 [V]: "contoso.com also includes marketing.contoso.com"). */
const domainIn = (xs: string[], domains: Set<string>): boolean => lower(xs).some((x) => [...domains].some((d) => d === x || d.endsWith(`.${x}`)));

/**
 * Within a condition the values are OR-ed, different conditions AND-ed, and any matching exception
 * excludes the sender (New-HostedOutboundSpamFilterRule). A rule without conditions matches nobody:
 * Exchange refuses to create one, so treating it as "everyone" would invent a policy.
 */
function outboundRuleMatches(scenario: Scenario, rule: OutboundSpamRule, user: ScenarioUser): boolean {
  const s = senderFacts(scenario, user);
  const conditions: boolean[] = [];
  if (rule.from.length) conditions.push(anyIn(rule.from, s.addresses));
  if (rule.senderDomainIs.length) conditions.push(domainIn(rule.senderDomainIs, s.domains));
  if (rule.fromMemberOf.length) conditions.push(anyIn(rule.fromMemberOf, s.groups));
  if (!conditions.length || conditions.includes(false)) return false;
  const excepted =
    anyIn(rule.exceptIfFrom, s.addresses) || domainIn(rule.exceptIfSenderDomainIs, s.domains) || anyIn(rule.exceptIfFromMemberOf, s.groups);
  return !excepted;
}

/** The policy Get-HostedOutboundSpamFilterRule would apply to this sender: first enabled matching rule by Priority (0 first), else the default policy. */
export function effectiveOutboundPolicy(scenario: Scenario, user: ScenarioUser): { name: string; autoForwardingMode: 'Automatic' | 'On' | 'Off'; rule?: string } {
  const { outboundSpamPolicies: policies, outboundSpamRules: rules } = scenario.exchange;
  const ordered = Object.entries(rules)
    .filter(([, r]) => r.state === 'Enabled')
    .sort(([, a], [, b]) => a.priority - b.priority);
  for (const [ruleName, rule] of ordered) {
    const policy = policies[rule.policy];
    if (!policy || policy.isDefault || !policy.enabled) continue;
    if (outboundRuleMatches(scenario, rule, user)) return { name: rule.policy, autoForwardingMode: policy.autoForwardingMode, rule: ruleName };
  }
  const def = Object.entries(policies).find(([, p]) => p.isDefault) ?? Object.entries(policies).find(([n]) => n === 'Default');
  // No default policy in the scenario: Exchange always has one, and its default mode is Automatic.
  return def ? { name: def[0], autoForwardingMode: def[1].autoForwardingMode } : { name: 'Default', autoForwardingMode: 'Automatic' };
}

/** The most specific remote domain for a domain: exact DomainName, then the longest `*.suffix` (which covers the suffix itself and its subdomains), then `*`. */
export function matchRemoteDomain(scenario: Scenario, domain: string): { name: string; domainName: string; autoForwardEnabled: boolean } | undefined {
  const d = domain.toLowerCase();
  let best: { name: string; domainName: string; autoForwardEnabled: boolean; score: number } | undefined;
  for (const [name, rd] of Object.entries(scenario.exchange.remoteDomains)) {
    const pattern = rd.domainName.toLowerCase();
    let score = -1;
    if (pattern === d) score = Number.MAX_SAFE_INTEGER;
    else if (pattern === '*') score = 0;
    else if (pattern.startsWith('*.')) {
      const suffix = pattern.slice(2);
      if (d === suffix || d.endsWith(`.${suffix}`)) score = suffix.length + 1;
    }
    if (score >= 0 && (!best || score > best.score)) best = { name, domainName: rd.domainName, autoForwardEnabled: rd.autoForwardEnabled, score };
  }
  return best && { name: best.name, domainName: best.domainName, autoForwardEnabled: best.autoForwardEnabled };
}

/** What one message looks like to transport rule conditions. */
export interface TransportMessage {
  sender: ScenarioUser;
  recipient: string;
  recipientExternal: boolean;
  autoForward: boolean;
}

function transportRuleMatches(scenario: Scenario, rule: TransportRule, m: TransportMessage): boolean {
  const s = senderFacts(scenario, m.sender);
  // The sender of an auto-forwarded copy is the forwarding mailbox (it is internal by definition).
  if (rule.from.length && !anyIn(rule.from, s.addresses)) return false;
  if (rule.fromScope === 'NotInOrganization') return false;
  if (rule.sentToScope === 'InOrganization' && m.recipientExternal) return false;
  if (rule.sentToScope === 'NotInOrganization' && !m.recipientExternal) return false;
  if (rule.messageTypeMatches !== null && !(rule.messageTypeMatches.toLowerCase() === 'autoforward' && m.autoForward)) return false;
  return true;
}

function blockingAction(rule: TransportRule): 'reject' | 'delete' | 'redirect' | undefined {
  if (rule.rejectMessageReasonText !== null || rule.rejectMessageEnhancedStatusCode !== null) return 'reject';
  if (rule.deleteMessage) return 'delete';
  if (rule.redirectMessageTo.length) return 'redirect';
  return undefined;
}

/** The first enabled, enforced mail flow rule (by Priority) that matches and rejects, deletes or redirects the message. */
export function blockingTransportRule(scenario: Scenario, m: TransportMessage): { rule: string; action: 'reject' | 'delete' | 'redirect'; redirectTo: string[] } | undefined {
  const ordered = Object.entries(scenario.exchange.transportRules)
    .filter(([, r]) => r.state === 'Enabled' && r.mode === 'Enforce')
    .sort(([, a], [, b]) => a.priority - b.priority);
  for (const [name, rule] of ordered) {
    const action = blockingAction(rule);
    if (action && transportRuleMatches(scenario, rule, m)) return { rule: name, action, redirectTo: rule.redirectMessageTo };
  }
  return undefined;
}

/** Whether an auto-forward from `sender` to the external address `target` leaves the tenant. */
export function evaluateExternalForward(scenario: Scenario, sender: ScenarioUser, target: string): ForwardVerdict {
  const policy = effectiveOutboundPolicy(scenario, sender);
  // DEF: Automatic is now the same as Off (microsoft-365.md D4).
  if (policy.autoForwardingMode !== 'On') return { allowed: false, by: 'outbound-policy', policy: policy.name, mode: policy.autoForwardingMode };
  const remote = matchRemoteDomain(scenario, domainOf(target));
  if (remote && !remote.autoForwardEnabled) return { allowed: false, by: 'remote-domain', remoteDomain: remote.name };
  const rule = blockingTransportRule(scenario, { sender, recipient: target, recipientExternal: true, autoForward: true });
  if (rule) return { allowed: false, by: 'transport-rule', ...rule };
  return { allowed: true, policy: policy.name };
}
