import type { OutboundSpamRule, Scenario, ScenarioUser, TransportRule } from '../scenario/schema.js';
import { domainOf } from './mime.js';
import { findUserByAddress, groupIdentities, isTenantDomain, mailboxAddress, userAddresses } from './recipients.js';

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
  | ({ allowed: false; by: 'transport-rule' } & TransportRuleBlock);

/** The addresses, domains and groups rule conditions compare a sending mailbox with. */
function senderFacts(scenario: Scenario, user: ScenarioUser): { addresses: Set<string>; domains: Set<string>; groups: Set<string> } {
  const addresses = new Set(userAddresses(scenario, user));
  return { addresses, domains: new Set([...addresses].map(domainOf)), groups: groupIdentities(scenario, user) };
}

const lower = (xs: string[]): string[] => xs.map((x) => x.toLowerCase());
const anyIn = (xs: string[], set: Set<string>): boolean => lower(xs).some((x) => set.has(x));
/**
 * Domain conditions include subdomains: SenderDomainIs / ExceptIfSenderDomainIs (G11 [V]: "contoso.com
 * also includes marketing.contoso.com"); RecipientDomainIs alike [I].
 */
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

/**
 * What one message looks like to mail flow rule conditions. Sender conditions read the header From
 * by default (SenderAddressLocation Header, EXPS New-TransportRule [V]); a forwarded copy keeps the
 * original From, only its envelope sender is rewritten by SRS (G13 [V]).
 */
export interface TransportMessage {
  /** Header From. */
  from: string;
  /** Envelope sender (MAIL FROM); for a forwarded copy of outside mail, the SRS address. */
  envelopeFrom: string | null;
  recipient: string;
  recipientExternal: boolean;
  /** Mailbox forwarding and inbox-rule forwards alike: the simulator counts both as AutoForward (G17: contested for inbox rules [O]). */
  autoForward: boolean;
}

/** The SCL the simulator's mail carries: 1 for mail filtering found clean [I], -1 for mail inside the organisation. */
function sclOf(scenario: Scenario, m: TransportMessage): number {
  return isTenantDomain(scenario, domainOf(m.from)) ? -1 : 1;
}

/** Addresses, domains and groups of an address: a tenant user's (all its addresses), or an outside address alone. */
function partyFacts(scenario: Scenario, address: string): { addresses: Set<string>; domains: Set<string>; groups: Set<string>; inside: boolean } {
  const user = findUserByAddress(scenario, address)?.[1];
  if (user) return { ...senderFacts(scenario, user), inside: true };
  const a = address.toLowerCase();
  return { addresses: new Set([a]), domains: new Set([domainOf(a)]), groups: new Set(), inside: isTenantDomain(scenario, domainOf(a)) };
}

/**
 * One rule against one message: every condition set must hold (values OR-ed within one), and no
 * exception may (New-TransportRule [V]). Conditions the simulator's mail cannot meet (attachments,
 * sizes, words, headers, importance…) do not match; SCLOver compares the SCL above [I].
 */
function transportRuleMatches(scenario: Scenario, rule: TransportRule, m: TransportMessage): boolean {
  const senderAddress = rule.senderAddressLocation === 'Envelope' ? (m.envelopeFrom ?? m.from) : m.from;
  const s = partyFacts(scenario, senderAddress);
  const r = partyFacts(scenario, m.recipient);
  const list = (v: string[] | undefined): string[] => v ?? [];
  const scope = (v: string | null | undefined, inside: boolean): boolean | null => (v ? (v === 'InOrganization') === inside : null);
  const isAutoForward = (v: string | null | undefined): boolean | null => (v ? v.toLowerCase() === 'autoforward' && m.autoForward : null);
  const conditions: (boolean | null)[] = [
    rule.from.length ? anyIn(rule.from, s.addresses) : null,
    list(rule.senderDomainIs).length ? domainIn(list(rule.senderDomainIs), s.domains) : null,
    list(rule.fromMemberOf).length ? anyIn(list(rule.fromMemberOf), s.groups) : null,
    scope(rule.fromScope, s.inside),
    scope(rule.sentToScope, !m.recipientExternal),
    list(rule.sentTo).length ? anyIn(list(rule.sentTo), r.addresses) : null,
    list(rule.recipientDomainIs).length ? domainIn(list(rule.recipientDomainIs), r.domains) : null,
    list(rule.sentToMemberOf).length ? anyIn(list(rule.sentToMemberOf), r.groups) : null,
    isAutoForward(rule.messageTypeMatches),
    ...Object.entries(rule.conditions ?? {}).map(([name, value]) => (name.toLowerCase() === 'sclover' ? sclOf(scenario, m) > Number(value) : false)),
  ];
  if (conditions.includes(false)) return false;
  const exceptions: (boolean | null)[] = [
    list(rule.exceptIfFrom).length ? anyIn(list(rule.exceptIfFrom), s.addresses) : null,
    list(rule.exceptIfSenderDomainIs).length ? domainIn(list(rule.exceptIfSenderDomainIs), s.domains) : null,
    list(rule.exceptIfFromMemberOf).length ? anyIn(list(rule.exceptIfFromMemberOf), s.groups) : null,
    scope(rule.exceptIfFromScope, s.inside),
    list(rule.exceptIfSentTo).length ? anyIn(list(rule.exceptIfSentTo), r.addresses) : null,
    list(rule.exceptIfRecipientDomainIs).length ? domainIn(list(rule.exceptIfRecipientDomainIs), r.domains) : null,
    isAutoForward(rule.exceptIfMessageTypeMatches),
  ];
  return !exceptions.includes(true);
}

export type TransportRuleAction = 'reject' | 'delete' | 'redirect' | 'quarantine';

function blockingAction(rule: TransportRule): TransportRuleAction | undefined {
  if (rule.rejectMessageReasonText !== null || rule.rejectMessageEnhancedStatusCode !== null) return 'reject';
  if (rule.deleteMessage) return 'delete';
  if (rule.quarantine) return 'quarantine';
  if (rule.redirectMessageTo.length) return 'redirect';
  return undefined;
}

export interface TransportRuleBlock {
  rule: string;
  action: TransportRuleAction;
  redirectTo: string[];
  /** For 'reject': the NDR's status (RejectMessageEnhancedStatusCode, default 5.7.1: G14 [V]) and text. */
  status: string;
  reasonText: string | null;
}

/**
 * The mail flow rules on one message, in Priority order (0 first): the first enabled, enforced rule
 * that matches and rejects, deletes, quarantines or redirects it; a matching rule with
 * StopRuleProcessing ends the evaluation whatever its action. Audit modes take no action.
 */
export function blockingTransportRule(scenario: Scenario, m: TransportMessage): TransportRuleBlock | undefined {
  const ordered = Object.entries(scenario.exchange.transportRules)
    .filter(([, r]) => r.state === 'Enabled' && r.mode === 'Enforce')
    .sort(([, a], [, b]) => a.priority - b.priority);
  for (const [name, rule] of ordered) {
    if (!transportRuleMatches(scenario, rule, m)) continue;
    const action = blockingAction(rule);
    if (action) return { rule: name, action, redirectTo: rule.redirectMessageTo, status: rule.rejectMessageEnhancedStatusCode ?? '5.7.1', reasonText: rule.rejectMessageReasonText };
    if (rule.stopRuleProcessing) return undefined;
  }
  return undefined;
}

/**
 * Whether an auto-forward by the mailbox `sender` to the external address `target` leaves the
 * tenant. The outbound spam policy is the forwarding mailbox's; the mail flow rules see the
 * forwarded message itself (`message`: its header From, which forwarding keeps — G13).
 */
export function evaluateExternalForward(scenario: Scenario, sender: ScenarioUser, target: string, message?: { from: string; envelopeFrom: string | null }): ForwardVerdict {
  const policy = effectiveOutboundPolicy(scenario, sender);
  // DEF: Automatic is now the same as Off (microsoft-365.md D4).
  if (policy.autoForwardingMode !== 'On') return { allowed: false, by: 'outbound-policy', policy: policy.name, mode: policy.autoForwardingMode };
  const remote = matchRemoteDomain(scenario, domainOf(target));
  if (remote && !remote.autoForwardEnabled) return { allowed: false, by: 'remote-domain', remoteDomain: remote.name };
  const from = message?.from || mailboxAddress(sender);
  const rule = blockingTransportRule(scenario, { from, envelopeFrom: message?.envelopeFrom ?? from, recipient: target, recipientExternal: true, autoForward: true });
  if (rule) return { allowed: false, by: 'transport-rule', ...rule };
  return { allowed: true, policy: policy.name };
}
