import type {
  CasMailbox,
  ExchangeMailbox,
  ExchangeSourceLabel,
  ForwardingRecipient,
  OutboundSpamPolicy,
  OutboundSpamRule,
  RemoteDomain,
  TransportConfig,
  TransportRule,
} from './types.js';
import { bool, enumName, int, list, prop, smtpAddress, text, type Row } from './values.js';

/**
 * Enum numbering, for evidence written by `ConvertTo-Json` (which writes an enum as its number).
 * The admin API itself answers with names.
 * - RuleState {Enabled, Disabled} = 0, 1 — Microsoft.Exchange.MessagingPolicies.Rules.RuleState
 *   (decompiled Exchange Server source, evilashz/exchange-server-27065 RuleState.cs) [O].
 * - RuleMode {Audit = 1, AuditAndNotify, Enforce} — same namespace (PiratesRE/exchange_diff) [O].
 * - FromUserScope {InOrganization, NotInOrganization}, ToUserScope {InOrganization,
 *   NotInOrganization, ExternalPartner, ExternalNonPartner}, MessageType {OOF, AutoForward, …}
 *   — Microsoft.Exchange.MessagingPolicies.Rules.Tasks (PiratesRE/exchange_diff) [O].
 * - AutoForwardingMode {Automatic, On, Off} = 0, 1, 2 — NOT VERIFIED: no source for the numbers
 *   was found; this is the order Microsoft's cmdlet reference lists the values in (EXPS
 *   Set-HostedOutboundSpamFilterPolicy) [I]. The evidence script therefore writes this property
 *   as its name, and a check that read a number says so.
 */
export const RULE_STATES = ['Enabled', 'Disabled'] as const;
export const RULE_MODES = [undefined, 'Audit', 'AuditAndNotify', 'Enforce'] as const;
export const FROM_SCOPES = ['InOrganization', 'NotInOrganization'] as const;
export const TO_SCOPES = ['InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner'] as const;
export const MESSAGE_TYPES = ['OOF', 'AutoForward', 'Encrypted', 'Calendaring', 'PermissionControlled', 'Voicemail', 'Signed', 'ApprovalRequest', 'ReadReceipt'] as const;
export const SENDER_ADDRESS_LOCATIONS = ['Header', 'Envelope', 'HeaderOrEnvelope'] as const;
export const AUTO_FORWARDING_MODE_NUMBERS = ['Automatic', 'On', 'Off'] as const;

function identityOf(row: Row): string {
  return text(prop(row, 'Identity')) ?? text(prop(row, 'Name')) ?? text(prop(row, 'Id')) ?? '(no identity)';
}

export function toMailbox(row: Row, source: ExchangeSourceLabel): ExchangeMailbox {
  return {
    identity: identityOf(row),
    name: text(prop(row, 'Name')),
    displayName: text(prop(row, 'DisplayName')),
    alias: text(prop(row, 'Alias')),
    userPrincipalName: text(prop(row, 'UserPrincipalName')),
    primarySmtpAddress: smtpAddress(prop(row, 'PrimarySmtpAddress')),
    externalDirectoryObjectId: text(prop(row, 'ExternalDirectoryObjectId')),
    recipientTypeDetails: enumName(prop(row, 'RecipientTypeDetails'), [undefined, 'UserMailbox']),
    emailAddresses: list(prop(row, 'EmailAddresses')).map(smtpAddress).filter((a): a is string => a !== null),
    forwardingSmtpAddress: smtpAddress(prop(row, 'ForwardingSmtpAddress')),
    forwardingAddress: text(prop(row, 'ForwardingAddress')),
    deliverToMailboxAndForward: bool(prop(row, 'DeliverToMailboxAndForward')) ?? false,
    source,
  };
}

/** Recipient types whose mail goes to their ExternalEmailAddress (EXPS Get-Recipient / New-MailContact, New-MailUser). */
const EXTERNAL_RECIPIENTS = new Set(['mailcontact', 'mailuser', 'guestmailuser']);

export function toRecipient(row: Row): ForwardingRecipient {
  const details = text(prop(row, 'RecipientTypeDetails')) ?? text(prop(row, 'RecipientType'));
  const primary = smtpAddress(prop(row, 'PrimarySmtpAddress'));
  const external = smtpAddress(prop(row, 'ExternalEmailAddress'));
  const isExternal = details !== null && EXTERNAL_RECIPIENTS.has(details.toLowerCase());
  const names = [identityOf(row), ...['Name', 'Alias', 'DisplayName', 'DistinguishedName', 'Guid', 'ExternalDirectoryObjectId'].map((p) => text(prop(row, p))), primary, external]
    .concat(list(prop(row, 'EmailAddresses')).map(smtpAddress))
    .filter((n): n is string => !!n)
    .map((n) => n.toLowerCase());
  return {
    identity: identityOf(row),
    name: text(prop(row, 'Name')),
    alias: text(prop(row, 'Alias')),
    displayName: text(prop(row, 'DisplayName')),
    recipientTypeDetails: details,
    primarySmtpAddress: primary,
    externalEmailAddress: external,
    address: (isExternal ? external : null) ?? primary ?? external,
    names: [...new Set(names)],
  };
}

export function toCasMailbox(row: Row, source: ExchangeSourceLabel): CasMailbox {
  return {
    identity: identityOf(row),
    primarySmtpAddress: smtpAddress(prop(row, 'PrimarySmtpAddress')),
    smtpClientAuthenticationDisabled: bool(prop(row, 'SmtpClientAuthenticationDisabled')),
    imapEnabled: bool(prop(row, 'ImapEnabled')),
    source,
  };
}

export function toTransportConfig(rows: Row[], source: ExchangeSourceLabel): TransportConfig {
  const row = rows[0] ?? {};
  return { smtpClientAuthenticationDisabled: bool(prop(row, 'SmtpClientAuthenticationDisabled')), source };
}

export function toOutboundSpamPolicy(row: Row): OutboundSpamPolicy {
  const raw = prop(row, 'AutoForwardingMode');
  const n = int(raw);
  return {
    identity: identityOf(row),
    name: text(prop(row, 'Name')) ?? identityOf(row),
    isDefault: bool(prop(row, 'IsDefault')) ?? false,
    enabled: bool(prop(row, 'Enabled')),
    autoForwardingMode: enumName(raw, AUTO_FORWARDING_MODE_NUMBERS),
    ...(n !== null ? { autoForwardingModeNumber: n } : {}),
  };
}

export function toOutboundSpamRule(row: Row): OutboundSpamRule {
  return {
    identity: identityOf(row),
    name: text(prop(row, 'Name')) ?? identityOf(row),
    policy: text(prop(row, 'HostedOutboundSpamFilterPolicy')) ?? '',
    priority: int(prop(row, 'Priority')) ?? Number.MAX_SAFE_INTEGER,
    state: enumName(prop(row, 'State'), RULE_STATES) ?? stateFromEnabled(row),
    from: list(prop(row, 'From')),
    fromMemberOf: list(prop(row, 'FromMemberOf')),
    senderDomainIs: list(prop(row, 'SenderDomainIs')),
    exceptIfFrom: list(prop(row, 'ExceptIfFrom')),
    exceptIfFromMemberOf: list(prop(row, 'ExceptIfFromMemberOf')),
    exceptIfSenderDomainIs: list(prop(row, 'ExceptIfSenderDomainIs')),
  };
}

/** Some exports carry `Enabled` instead of `State` (the -Enabled parameter maps to State, reference D4). */
function stateFromEnabled(row: Row): string {
  const enabled = bool(prop(row, 'Enabled'));
  return enabled === false ? 'Disabled' : 'Enabled';
}

export function toRemoteDomain(row: Row): RemoteDomain {
  return {
    identity: identityOf(row),
    name: text(prop(row, 'Name')) ?? identityOf(row),
    domainName: text(prop(row, 'DomainName')) ?? '*',
    // The default for new remote domains and the built-in Default is $true (reference D4).
    autoForwardEnabled: bool(prop(row, 'AutoForwardEnabled')) ?? true,
  };
}

/** Transport rule conditions the checks evaluate (each also as its ExceptIf… exception); any other one is named as unknown. */
const EVALUATED_CONDITIONS = [
  'From', 'FromMemberOf', 'FromScope', 'SenderDomainIs', 'SentTo', 'SentToMemberOf', 'SentToScope', 'RecipientDomainIs', 'MessageTypeMatches',
];
const EVALUATED = new Set(EVALUATED_CONDITIONS.flatMap((c) => [c.toLowerCase(), `exceptif${c.toLowerCase()}`]));

/**
 * Every other condition a mail flow rule can have (EXPS New-TransportRule [V], G16); each also
 * exists as an ExceptIf… exception. A rule with any of them set "may apply": the doctor cannot
 * tell whether a customer's mail matches a size, a spam score, an IP range, words or a header.
 * Parameters that only modify another condition (ADComparisonOperator, HeaderContainsMessageHeader's
 * words, SenderManagementRelationship) are listed too: set alone they still mean a condition.
 */
const OTHER_CONDITIONS = [
  'ADComparisonAttribute', 'AnyOfCcHeader', 'AnyOfCcHeaderMemberOf', 'AnyOfRecipientAddressContainsWords', 'AnyOfRecipientAddressMatchesPatterns',
  'AnyOfToCcHeader', 'AnyOfToCcHeaderMemberOf', 'AnyOfToHeader', 'AnyOfToHeaderMemberOf', 'AttachmentContainsWords', 'AttachmentExtensionMatchesWords',
  'AttachmentHasExecutableContent', 'AttachmentIsPasswordProtected', 'AttachmentIsUnsupported', 'AttachmentMatchesPatterns', 'AttachmentNameMatchesPatterns',
  'AttachmentProcessingLimitExceeded', 'AttachmentPropertyContainsWords', 'AttachmentSizeOver', 'BetweenMemberOf1', 'BetweenMemberOf2',
  'ContentCharacterSetContainsWords', 'FromAddressContainsWords', 'FromAddressMatchesPatterns', 'HasClassification', 'HasNoClassification',
  'HasSenderOverride', 'HeaderContainsMessageHeader', 'HeaderContainsWords', 'HeaderMatchesMessageHeader', 'HeaderMatchesPatterns', 'ManagerAddresses',
  'MessageContainsDataClassifications', 'MessageSizeOver', 'RecipientADAttributeContainsWords', 'RecipientADAttributeMatchesPatterns',
  'RecipientAddressContainsWords', 'RecipientAddressMatchesPatterns', 'RecipientInSenderList', 'SCLOver', 'SenderADAttributeContainsWords',
  'SenderADAttributeMatchesPatterns', 'SenderInRecipientList', 'SenderIpRanges', 'SubjectContainsWords', 'SubjectMatchesPatterns',
  'SubjectOrBodyContainsWords', 'SubjectOrBodyMatchesPatterns', 'WithImportance',
];

/** A condition property is set when it holds a value: not null, not an empty list, not `false` (switches such as AttachmentHasExecutableContent). */
function isSet(v: unknown): boolean {
  return list(v).length > 0 && bool(v) !== false;
}

export function toTransportRule(row: Row): TransportRule {
  const conditions = new Set<string>();
  const exceptions = new Set<string>();
  // `Conditions`/`Exceptions` list predicate class names, e.g.
  // "Microsoft.Exchange.MessagingPolicies.Rules.Tasks.MessageTypeMatchesPredicate" [O].
  const short = (name: string) => name.split('.').pop()!.replace(/Predicate$/, '');
  for (const name of list(prop(row, 'Conditions')).map(short)) if (!EVALUATED.has(name.toLowerCase())) conditions.add(name);
  for (const name of list(prop(row, 'Exceptions')).map(short)) if (!EVALUATED.has(`exceptif${name.toLowerCase()}`)) exceptions.add(`ExceptIf${name}`);
  for (const p of OTHER_CONDITIONS) {
    if (isSet(prop(row, p))) conditions.add(p);
    if (isSet(prop(row, `ExceptIf${p}`))) exceptions.add(`ExceptIf${p}`);
  }
  return {
    identity: identityOf(row),
    name: text(prop(row, 'Name')) ?? identityOf(row),
    state: enumName(prop(row, 'State'), RULE_STATES) ?? 'Enabled',
    mode: enumName(prop(row, 'Mode'), RULE_MODES) ?? 'Enforce',
    priority: int(prop(row, 'Priority')) ?? Number.MAX_SAFE_INTEGER,
    from: list(prop(row, 'From')),
    fromMemberOf: list(prop(row, 'FromMemberOf')),
    fromScope: enumName(prop(row, 'FromScope'), FROM_SCOPES),
    sentToScope: enumName(prop(row, 'SentToScope'), TO_SCOPES),
    messageTypeMatches: enumName(prop(row, 'MessageTypeMatches'), MESSAGE_TYPES),
    recipientDomainIs: list(prop(row, 'RecipientDomainIs')),
    sentTo: list(prop(row, 'SentTo')),
    exceptIfFrom: list(prop(row, 'ExceptIfFrom')),
    exceptIfFromMemberOf: list(prop(row, 'ExceptIfFromMemberOf')),
    exceptIfSentTo: list(prop(row, 'ExceptIfSentTo')),
    exceptIfRecipientDomainIs: list(prop(row, 'ExceptIfRecipientDomainIs')),
    exceptIfMessageTypeMatches: enumName(prop(row, 'ExceptIfMessageTypeMatches'), MESSAGE_TYPES),
    exceptIfFromScope: enumName(prop(row, 'ExceptIfFromScope'), FROM_SCOPES),
    exceptIfSentToScope: enumName(prop(row, 'ExceptIfSentToScope'), TO_SCOPES),
    senderDomainIs: list(prop(row, 'SenderDomainIs')),
    exceptIfSenderDomainIs: list(prop(row, 'ExceptIfSenderDomainIs')),
    sentToMemberOf: list(prop(row, 'SentToMemberOf')),
    exceptIfSentToMemberOf: list(prop(row, 'ExceptIfSentToMemberOf')),
    // Header is the default (EXPS New-TransportRule [V]). SenderAddressLocation {Header, Envelope,
    // HeaderOrEnvelope} = 0, 1, 2 in ConvertTo-Json output [I: the order the reference lists them].
    senderAddressLocation: enumName(prop(row, 'SenderAddressLocation'), SENDER_ADDRESS_LOCATIONS) ?? 'Header',
    stopRuleProcessing: bool(prop(row, 'StopRuleProcessing')) ?? false,
    rejectMessageReasonText: text(prop(row, 'RejectMessageReasonText')),
    rejectMessageEnhancedStatusCode: text(prop(row, 'RejectMessageEnhancedStatusCode')),
    deleteMessage: bool(prop(row, 'DeleteMessage')) ?? false,
    redirectMessageTo: list(prop(row, 'RedirectMessageTo')),
    quarantine: bool(prop(row, 'Quarantine')) ?? false,
    otherConditions: [...conditions].sort(),
    otherExceptions: [...exceptions].sort(),
  };
}
