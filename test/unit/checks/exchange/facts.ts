import type { Asset, RunConfig } from '../../../../src/config/types.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import type { CheckContext, CheckDefinition, FactOutcome, Outcome } from '../../../../src/core/check.js';
import { FactError } from '../../../../src/core/fact-error.js';
import type {
  CasMailbox,
  ExchangeMailbox,
  OutboundSpamPolicy,
  OutboundSpamRule,
  OutboundSpamSettings,
  RemoteDomain,
  TransportRule,
} from '../../../../src/collect/exchange/types.js';
import { ADMIN_API_SOURCE } from '../../../../src/collect/exchange/types.js';
import type { GroupMembership } from '../../../../src/collect/graph/mailbox/group-membership.js';
import type { InboxRule } from '../../../../src/collect/graph/mailbox/inbox-rules.js';

/** Plain facts for the Exchange checks, shaped like the healthy scenario. */
export const MAILBOX = 'john@contoso.com';
export const WEBEX = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io';

export function asset(over: Asset = {}): Asset {
  return { mailbox: MAILBOX, forwardingAddress: WEBEX, ...over };
}

export function ctx(a: Asset | null = asset(), config: Partial<RunConfig> = {}): CheckContext {
  return { config: { assets: a ? [a] : [], ...config } as RunConfig, asset: a, now: new Date('2026-01-01T00:00:00Z') };
}

export function mailbox(over: Partial<ExchangeMailbox> = {}): ExchangeMailbox {
  return {
    identity: 'John',
    name: 'John',
    displayName: 'John',
    alias: 'john',
    userPrincipalName: MAILBOX,
    primarySmtpAddress: MAILBOX,
    externalDirectoryObjectId: '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a',
    recipientTypeDetails: 'UserMailbox',
    emailAddresses: [MAILBOX, 'john@contoso.onmicrosoft.com'],
    forwardingSmtpAddress: WEBEX,
    forwardingAddress: null,
    deliverToMailboxAndForward: true,
    source: ADMIN_API_SOURCE,
    ...over,
  };
}

export function cas(disabled: boolean | null): CasMailbox {
  return { identity: 'John', primarySmtpAddress: MAILBOX, smtpClientAuthenticationDisabled: disabled, imapEnabled: true, source: ADMIN_API_SOURCE };
}

export function policy(name: string, mode: string, over: Partial<OutboundSpamPolicy> = {}): OutboundSpamPolicy {
  return { identity: name, name, isDefault: name === 'Default', enabled: true, autoForwardingMode: mode, ...over };
}

export function rule(name: string, over: Partial<OutboundSpamRule> = {}): OutboundSpamRule {
  return {
    identity: name,
    name,
    policy: name,
    priority: 0,
    state: 'Enabled',
    from: [],
    fromMemberOf: [],
    senderDomainIs: [],
    exceptIfFrom: [],
    exceptIfFromMemberOf: [],
    exceptIfSenderDomainIs: [],
    ...over,
  };
}

export function outbound(policies: OutboundSpamPolicy[], rules: OutboundSpamRule[] = []): OutboundSpamSettings {
  return { policies, rules, source: ADMIN_API_SOURCE };
}

export function remoteDomain(name: string, domainName: string, autoForwardEnabled: boolean): RemoteDomain {
  return { identity: name, name, domainName, autoForwardEnabled };
}

export function transportRule(name: string, over: Partial<TransportRule> = {}): TransportRule {
  return {
    identity: name,
    name,
    state: 'Enabled',
    mode: 'Enforce',
    priority: 0,
    from: [],
    fromMemberOf: [],
    fromScope: null,
    sentToScope: 'NotInOrganization',
    messageTypeMatches: 'AutoForward',
    recipientDomainIs: [],
    sentTo: [],
    exceptIfFrom: [],
    exceptIfFromMemberOf: [],
    exceptIfSentTo: [],
    exceptIfRecipientDomainIs: [],
    exceptIfMessageTypeMatches: null,
    exceptIfFromScope: null,
    exceptIfSentToScope: null,
    senderDomainIs: [],
    exceptIfSenderDomainIs: [],
    sentToMemberOf: [],
    exceptIfSentToMemberOf: [],
    senderAddressLocation: 'Header',
    stopRuleProcessing: false,
    rejectMessageReasonText: 'External forwarding is not allowed',
    rejectMessageEnhancedStatusCode: '5.7.1',
    deleteMessage: false,
    redirectMessageTo: [],
    quarantine: false,
    otherConditions: [],
    otherExceptions: [],
    ...over,
  };
}

export function inboxRule(over: Partial<InboxRule> = {}): InboxRule {
  return { displayName: 'To Webex', sequence: 1, isEnabled: true, hasError: false, forwardTo: [], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: false, conditions: [], exceptions: [], ...over };
}

export const ok = <T>(value: T): FactOutcome<T> => ({ ok: true, value });
export const failed = <T>(code = 'MISSING_PERMISSION', message = 'The reader app lacks GroupMember.Read.All (Microsoft Graph).'): FactOutcome<T> => ({
  ok: false,
  error: new FactError(code, message),
});

export const groups = (...names: { id: string; displayName: string; mail?: string; mailNickname?: string }[]): FactOutcome<GroupMembership> =>
  ok({ groups: names.map((g) => ({ id: g.id, displayName: g.displayName, mail: g.mail ?? null, mailNickname: g.mailNickname ?? null })) });

/** Runs a check on plain facts; returns the outcome and its status. */
export async function run<N extends Record<string, any>>(check: CheckDefinition<any>, facts: N, c: CheckContext = ctx()): Promise<Outcome & { status: string }> {
  const pre = check.precondition?.(c);
  const o = pre ?? (await check.run(facts as never, c));
  return { ...o, status: o.code === null ? 'pass' : statusOfCode(o.code) ?? 'error' };
}

/** Every code an outcome can carry must have an explanation in the check (or be generic). */
export function expectExplained(check: CheckDefinition<any>, code: string | null): void {
  if (code === null || code === 'INPUT_MISSING') return;
  if (!check.explanations[code]) throw new Error(`${check.id} emits ${code} without an explanation`);
}
