/**
 * Exchange Online facts as the checks see them, whichever way they were read: the Exchange admin
 * API (`InvokeCommand`, reference D — undocumented by Microsoft, observed shape) or the JSON the
 * customer exported with `wxmail evidence-script`. Both are normalised to these shapes (enums
 * as names, empty lists as [], `smtp:` prefixes stripped), so a check cannot tell them apart —
 * except through `source`, which every verdict names.
 */

/** Where a fact came from, in words the report shows (`source: …`). */
export type ExchangeSourceLabel = string;

export const ADMIN_API_SOURCE = 'Exchange admin API (undocumented, observed shape)';
export const evidenceSource = (file: string): ExchangeSourceLabel => `evidence file ${file}`;

/** Get-Mailbox, the properties the checks read. */
export interface ExchangeMailbox {
  identity: string;
  name: string | null;
  displayName: string | null;
  alias: string | null;
  userPrincipalName: string | null;
  primarySmtpAddress: string | null;
  externalDirectoryObjectId: string | null;
  recipientTypeDetails: string | null;
  /** SMTP proxy addresses without their `smtp:` prefix (empty when the source did not list them). */
  emailAddresses: string[];
  /** ForwardingSmtpAddress without `smtp:`; null when none. */
  forwardingSmtpAddress: string | null;
  /** ForwardingAddress: an internal recipient; when set it wins over ForwardingSmtpAddress. */
  forwardingAddress: string | null;
  /** The admin center's "Keep a copy of forwarded email in this mailbox". */
  deliverToMailboxAndForward: boolean;
  source: ExchangeSourceLabel;
}

/**
 * Get-Recipient for a mailbox's ForwardingAddress, which names a recipient (Name, alias, DN, GUID
 * …), not an address (G12 [V], Set-Mailbox). External forwarding through it is usually a mail
 * contact, whose address is its ExternalEmailAddress.
 */
export interface ForwardingRecipient {
  identity: string;
  name: string | null;
  alias: string | null;
  displayName: string | null;
  /** UserMailbox, MailContact, MailUser, MailUniversalDistributionGroup … */
  recipientTypeDetails: string | null;
  primarySmtpAddress: string | null;
  /** ExternalEmailAddress without its `SMTP:` prefix; null for a mailbox. */
  externalEmailAddress: string | null;
  /** Where mail to the recipient goes: ExternalEmailAddress for a mail contact / mail user, else PrimarySmtpAddress. */
  address: string | null;
  /** Every name the recipient answers to (identity, name, alias, display name, DN, GUID, addresses), lower-cased. */
  names: string[];
}

/** The resolution of Get-Mailbox ForwardingAddress; `identity` null when ForwardingAddress is empty. */
export interface ForwardingRecipientResolution {
  identity: string | null;
  /** null when ForwardingAddress is set but no recipient answers to it. */
  recipient: ForwardingRecipient | null;
  source: ExchangeSourceLabel;
}

/** Get-CASMailbox. */
export interface CasMailbox {
  identity: string;
  primarySmtpAddress: string | null;
  /** true = disabled, false = enabled, null = follow the organisation setting (reference B3). */
  smtpClientAuthenticationDisabled: boolean | null;
  /** IMAP enabled on the mailbox (G27); null when the source did not say. */
  imapEnabled: boolean | null;
  source: ExchangeSourceLabel;
}

/** Get-TransportConfig. */
export interface TransportConfig {
  /** true = SMTP AUTH disabled for the organisation; null when the source did not say. */
  smtpClientAuthenticationDisabled: boolean | null;
  source: ExchangeSourceLabel;
}

export const AUTO_FORWARDING_MODES = ['Automatic', 'On', 'Off'] as const;
export type AutoForwardingMode = (typeof AUTO_FORWARDING_MODES)[number];

/** Get-HostedOutboundSpamFilterPolicy. */
export interface OutboundSpamPolicy {
  identity: string;
  name: string;
  isDefault: boolean;
  /** Reported only: the rule's State decides whether a custom policy applies. */
  enabled: boolean | null;
  /** Unknown values are kept as given (and treated as not On). */
  autoForwardingMode: AutoForwardingMode | string | null;
  /** When the source gave the mode as a number: the number and how it was read. */
  autoForwardingModeNumber?: number;
}

export type RuleState = 'Enabled' | 'Disabled';

/** Get-HostedOutboundSpamFilterRule: how a custom outbound policy is scoped. */
export interface OutboundSpamRule {
  identity: string;
  name: string;
  /** The policy this rule applies (a name/identity). */
  policy: string;
  /** 0 = highest. */
  priority: number;
  state: RuleState | string;
  from: string[];
  fromMemberOf: string[];
  senderDomainIs: string[];
  exceptIfFrom: string[];
  exceptIfFromMemberOf: string[];
  exceptIfSenderDomainIs: string[];
}

export interface OutboundSpamSettings {
  policies: OutboundSpamPolicy[];
  rules: OutboundSpamRule[];
  source: ExchangeSourceLabel;
}

/** Get-RemoteDomain. */
export interface RemoteDomain {
  identity: string;
  name: string;
  /** `*` (the Default), `contoso.com` or `*.contoso.com`. */
  domainName: string;
  autoForwardEnabled: boolean;
}

export interface RemoteDomains {
  domains: RemoteDomain[];
  source: ExchangeSourceLabel;
}

export type RuleMode = 'Audit' | 'AuditAndNotify' | 'Enforce';

/** Get-TransportRule (mail flow rule): the conditions and actions that matter for forwarding. */
export interface TransportRule {
  identity: string;
  name: string;
  state: RuleState | string;
  mode: RuleMode | string;
  priority: number;
  from: string[];
  fromMemberOf: string[];
  /** InOrganization | NotInOrganization | null (any). */
  fromScope: string | null;
  /** InOrganization | NotInOrganization | ExternalPartner | ExternalNonPartner | null (any). */
  sentToScope: string | null;
  /** OOF | AutoForward | … | null (any). */
  messageTypeMatches: string | null;
  recipientDomainIs: string[];
  sentTo: string[];
  exceptIfFrom: string[];
  exceptIfFromMemberOf: string[];
  exceptIfSentTo: string[];
  exceptIfRecipientDomainIs: string[];
  exceptIfMessageTypeMatches: string | null;
  /** InOrganization | NotInOrganization | null: the sender scope that exempts a message. */
  exceptIfFromScope: string | null;
  exceptIfSentToScope: string | null;
  /** Sender domains (subdomains included, as for outbound spam rules: G11). */
  senderDomainIs: string[];
  exceptIfSenderDomainIs: string[];
  /** Recipients that are members of these groups (the mailbox, for mail to it). */
  sentToMemberOf: string[];
  exceptIfSentToMemberOf: string[];
  /**
   * Which address the sender conditions look at: Header (the default, EXPS New-TransportRule [V]),
   * Envelope or HeaderOrEnvelope. Forwarded customer mail keeps the customer's header From (G13).
   */
  senderAddressLocation: string;
  /** A matching rule stops the rules after it (Priority order). */
  stopRuleProcessing: boolean;
  rejectMessageReasonText: string | null;
  rejectMessageEnhancedStatusCode: string | null;
  deleteMessage: boolean;
  redirectMessageTo: string[];
  quarantine: boolean;
  /** Condition parameters the doctor does not evaluate (they narrow which messages the rule acts on), by name. */
  otherConditions: string[];
  /** Exception parameters the doctor does not evaluate (they exempt messages), by name, e.g. ExceptIfSubjectContainsWords. */
  otherExceptions: string[];
}

export interface TransportRules {
  rules: TransportRule[];
  source: ExchangeSourceLabel;
}
