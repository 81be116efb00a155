/**
 * The reason codes of the contract (DESIGN.md "Statuses and codes") and the status each one
 * forces. A code's status never varies: checks emit codes, the runner derives the status.
 */
export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'error'] as const;
export type Status = (typeof STATUSES)[number];

export const CODE_STATUS = {
  // step 1 — Webex Connect values
  CALLBACK_URL_INVALID: 'fail',
  CALLBACK_URL_UNRECOGNIZED: 'warn',
  FORWARDING_ADDRESS_INVALID: 'fail',
  FORWARDING_DOMAIN_NO_MX: 'fail',
  REGION_MISMATCH: 'warn',
  FORWARDING_ADDRESS_UNRECOGNIZED: 'warn',
  // step 2 — Entra ID
  SECRET_INVALID: 'fail',
  SECRET_ID_NOT_VALUE: 'fail',
  SECRET_EXPIRED: 'fail',
  SECRET_EXPIRES_SOON: 'warn',
  SECRET_HINT_AMBIGUOUS: 'warn',
  CERTIFICATE_EXPIRED: 'fail',
  CERTIFICATE_EXPIRES_SOON: 'warn',
  APP_NOT_FOUND: 'fail',
  APP_DISABLED: 'fail',
  TENANT_NOT_FOUND: 'fail',
  TOKEN_FAILED: 'fail',
  CLOCK_SKEW: 'warn',
  REDIRECT_URI_MISSING: 'fail',
  REDIRECT_URI_WRONG_PLATFORM: 'fail',
  IMPLICIT_ACCESS_TOKENS_OFF: 'fail',
  PERMISSION_NOT_CONFIGURED: 'fail',
  ADMIN_CONSENT_MISSING: 'fail',
  ROLE_NOT_IN_TOKEN: 'warn',
  USER_CONSENT_DISABLED: 'warn',
  USER_NOT_ASSIGNED: 'fail',
  // step 3 — Exchange Online
  SMTP_AUTH_DISABLED_MAILBOX: 'fail',
  SMTP_AUTH_DISABLED_TENANT: 'fail',
  FORWARDING_MISSING: 'fail',
  FORWARDING_WRONG_ADDRESS: 'fail',
  FORWARDING_OVERRIDDEN: 'fail',
  AUTOFORWARD_BLOCKED_POLICY: 'fail',
  AUTOFORWARD_BLOCKED_REMOTE_DOMAIN: 'fail',
  AUTOFORWARD_BLOCKED_TRANSPORT_RULE: 'fail',
  OUTBOUND_POLICY_UNRESOLVED: 'warn',
  // step 4 — live probes
  SMTP_UNREACHABLE: 'fail',
  SMTP_AUTH_FAILED: 'fail',
  SMTP_AUTH_BLOCKED_BY_POLICY: 'fail',
  SEND_AS_DENIED: 'fail',
  FORWARDING_NDR: 'fail',
  ROUNDTRIP_INCONCLUSIVE: 'warn',
  // why a check did not run
  INPUT_MISSING: 'skip',
  MISSING_PERMISSION: 'skip',
  NOT_REQUESTED: 'skip',
  NOT_APPLICABLE: 'skip',
  DEPENDENCY_FAILED: 'skip',
  // could not run
  NETWORK: 'error',
  TIMEOUT: 'error',
  THROTTLED: 'error',
  UNEXPECTED_RESPONSE: 'error',
  // added beyond the contract table (allowed: "More codes may be added")
  /** The reader identity (a second app, or the device-code admin) could not sign in. */
  READER_SIGN_IN_FAILED: 'error',
  /** The configured mailbox is not a mailbox in Exchange Online (typo, no licence, another tenant). */
  MAILBOX_NOT_FOUND: 'fail',
  /** Exchange refused the probe for the sender (restricted sender 5.1.8, reputation 5.7.705/708, throttling 5.2.25x). */
  SEND_REJECTED: 'fail',
  /** The configured certificate is not among the app's keyCredentials (another app's, or removed). */
  CERTIFICATE_NOT_REGISTERED: 'fail',
  /** A check or plugin threw: a bug, reported instead of crashing the run. */
  INTERNAL_ERROR: 'error',
  /** An Exchange application access policy keeps the reading app out of the mailbox (Graph 403 [RAOP], G8): cannot tell what the mailbox holds. */
  MAILBOX_ACCESS_SCOPED: 'warn',
  /** The configured secret exists only on the enterprise application (service principal), not the app registration (G9): whether client credentials take it is not verified. */
  SECRET_ON_SERVICE_PRINCIPAL: 'warn',
  /** No Entra user has the configured mailbox address as mail, userPrincipalName or smtp: proxy address (G1). */
  MAILBOX_USER_NOT_FOUND: 'fail',
  /** AADSTS7000229: the Webex app has no service principal (enterprise application) in the tenant (G7). */
  SERVICE_PRINCIPAL_MISSING: 'fail',
  /** AADSTS53003: a Conditional Access policy blocks the sign-in (workload identity policies for an app, G7). */
  CONDITIONAL_ACCESS_BLOCKED: 'fail',
  /** AADSTS500011: the resource (Exchange Online, Graph) has no service principal in the tenant (G7). */
  RESOURCE_NOT_IN_TENANT: 'fail',
  /** AADSTS700024: the certificate's client assertion is outside its time range (this machine's clock, G7). */
  CLIENT_ASSERTION_TIME_INVALID: 'fail',
  /** The consent policy could not be evaluated for Webex Connect's sign-in: cannot tell whether users may consent (G4). */
  USER_CONSENT_UNDETERMINED: 'warn',
  /** The authorize endpoint answered the sign-in probe with an AADSTS code the doctor has no name for (G22). */
  AUTHORIZE_ERROR: 'warn',
  /** The authorize probe got an answer that is not Entra's (no AADSTS code, no Entra markers): cannot tell (G23). */
  AUTHORIZE_PROBE_INCONCLUSIVE: 'warn',
  /** Get-Mailbox ForwardingAddress names a recipient the doctor could not resolve (Get-Recipient not readable, not exported, or no such recipient, G12). */
  FORWARDING_RECIPIENT_UNRESOLVED: 'warn',
  /** The only forwarding to Webex Connect is an inbox rule with conditions or exceptions: it forwards some mail, not all (G15). */
  FORWARDING_RULE_CONDITIONAL: 'warn',
  /** A mail flow rule may stop customer mail to the mailbox or its forwarded copy: a condition the doctor cannot evaluate, an unreadable group, or a contested message type (G13, G16, G17). */
  TRANSPORT_RULE_MAY_APPLY: 'warn',
  /** The probe's forwarded copy bounced with 5.7.1 or a rule's own status code: a mail flow rule rejected it (G14). */
  FORWARDING_NDR_TRANSPORT_RULE: 'fail',
  /** The probe's forwarded copy bounced with a status the doctor does not attribute (quoted as is). */
  FORWARDING_NDR_OTHER: 'fail',
} as const satisfies Record<string, Status>;

export type ContractCode = keyof typeof CODE_STATUS;
/** Plugins may add codes of their own (with their own prefix); core code is typed loosely on purpose. */
export type Code = ContractCode | (string & {});

const pluginCodes = new Map<string, Status>();

/** A plugin registers each code it emits, with its fixed status. */
export function registerCode(code: string, status: Status): void {
  if (code in CODE_STATUS && CODE_STATUS[code as ContractCode] !== status) {
    throw new Error(`code ${code} is a contract code with status ${CODE_STATUS[code as ContractCode]}`);
  }
  pluginCodes.set(code, status);
}

export function statusOfCode(code: string): Status | undefined {
  return (CODE_STATUS as Record<string, Status>)[code] ?? pluginCodes.get(code);
}

export function isKnownCode(code: string): boolean {
  return statusOfCode(code) !== undefined;
}

/** Order of the contract table: among equally severe codes, the earlier one wins. */
export const CODE_ORDER: readonly string[] = Object.keys(CODE_STATUS);

/** Skips that do not make the run "error" (DESIGN.md: harmless skips). */
export const HARMLESS_SKIPS: ReadonlySet<string> = new Set(['NOT_REQUESTED', 'NOT_APPLICABLE']);

const SEVERITY: Record<Status, number> = { pass: 0, skip: 1, warn: 2, error: 3, fail: 4 };

export function severity(status: Status): number {
  return SEVERITY[status];
}
