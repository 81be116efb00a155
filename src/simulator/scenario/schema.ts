import { z } from 'zod';

/**
 * One simulated tenant state. Maps are keyed by a local name (not arrays) so that a scenario can
 * `extends: healthy` and override a single field by deep merge. Dates are ISO strings or offsets
 * from the simulator's start, like `+365d`, `-2d`, `+12h`.
 */

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const when = z.string().regex(/^([+-]\d+[dhm]|\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?)$/, 'must be an ISO date or an offset like +30d');
const resource = z.enum(['exchange', 'graph']);

const passwordCredential = z.strictObject({
  keyId: guid,
  displayName: z.string().default('wxconnect'),
  /** The secret value; its hint (first three characters) is derived from it. */
  value: z.string().min(8),
  start: when.default('-30d'),
  end: when.default('+365d'),
});

const keyCredential = z.strictObject({
  keyId: guid,
  displayName: z.string().default('CN=wxmail'),
  start: when.default('-30d'),
  end: when.default('+365d'),
  /**
   * What Graph shows as customKeyIdentifier: absent = the SHA-1 thumbprint (the portal's default),
   * null = none, or another base64 value a script set (G5: msgraph-sdk-powershell#995).
   */
  customKeyIdentifier: z.string().nullable().optional(),
});

const permission = z.strictObject({
  resource,
  /** The permission's value, e.g. Mail.Send, SMTP.SendAsApp, SMTP.Send, offline_access. */
  name: z.string(),
  /** Role = application permission; Scope = delegated. */
  type: z.enum(['Role', 'Scope']),
});

const delegatedGrant = z.strictObject({
  resource,
  consentType: z.enum(['AllPrincipals', 'Principal']).default('AllPrincipals'),
  /** For consentType Principal: the user key. */
  user: z.string().optional(),
  scopes: z.array(z.string()),
});

/**
 * A permission grant condition set (G4 [V], Graph `permissionGrantConditionSet`); permissions are
 * named (`SMTP.Send`) and turned into the resource's permission ids when served.
 */
const permissionGrantConditionSet = z.strictObject({
  permissionType: z.enum(['delegated', 'application', 'delegatedUserConsentable']).default('delegated'),
  permissionClassification: z.enum(['low', 'medium', 'high', 'all']).default('all'),
  /** exchange, graph, or any. */
  resource: z.enum(['exchange', 'graph', 'any']).default('any'),
  permissions: z.array(z.string()).default(['all']),
  clientApplicationIds: z.array(z.string()).default(['all']),
  clientApplicationTenantIds: z.array(z.string()).default(['all']),
  clientApplicationPublisherIds: z.array(z.string()).default(['all']),
  clientApplicationsFromVerifiedPublisherOnly: z.boolean().default(false),
});

const permissionGrantPolicy = z.strictObject({
  displayName: z.string().optional(),
  includes: z.array(permissionGrantConditionSet).default([]),
  excludes: z.array(permissionGrantConditionSet).default([]),
});

const app = z.strictObject({
  displayName: z.string(),
  appId: guid,
  /** Object id of the application (app registration). */
  objectId: guid,
  /** Object id of its service principal (enterprise application). */
  servicePrincipalId: guid,
  /** Service principal enabled for sign-in. false → AADSTS7000112 at the token endpoint. */
  accountEnabled: z.boolean().default(true),
  appRoleAssignmentRequired: z.boolean().default(false),
  /** User keys assigned to the enterprise application. */
  assignedUsers: z.array(z.string()).default([]),
  /** Group keys assigned to the enterprise application (their members may sign in). */
  assignedGroups: z.array(z.string()).default([]),
  isFallbackPublicClient: z.boolean().default(false),
  signInAudience: z.string().default('AzureADMyOrg'),
  web: z.strictObject({
    redirectUris: z.array(z.string()).default([]),
    enableAccessTokenIssuance: z.boolean().default(false),
    enableIdTokenIssuance: z.boolean().default(false),
  }).prefault({}),
  spaRedirectUris: z.array(z.string()).default([]),
  publicClientRedirectUris: z.array(z.string()).default([]),
  passwordCredentials: z.record(z.string(), passwordCredential).default({}),
  /** Certificates: the simulator generates a key pair per entry and writes the PEM for the doctor. */
  keyCredentials: z.record(z.string(), keyCredential).default({}),
  requiredResourceAccess: z.array(permission).default([]),
  /** Application permissions an admin consented to (appRoleAssignments). */
  appRoleAssignments: z.array(z.strictObject({ resource, role: z.string() })).default([]),
  /** Consent given but not yet in tokens (replication delay): roles left out of issued tokens. */
  rolesMissingFromToken: z.array(z.string()).default([]),
  oauth2PermissionGrants: z.array(delegatedGrant).default([]),
  /** Entra directory roles held by the service principal (RBAC for the Exchange admin API). */
  directoryRoles: z.array(z.string()).default([]),
  /** Registered in Exchange with New-ServicePrincipal (needed for app-only SMTP/IMAP). */
  exchangeServicePrincipal: z.boolean().default(false),
  /** Device-code public client (reader sign-in): the admin who approves it. */
  deviceCodeUser: z.string().optional(),
  /** Secrets added to the enterprise application (servicePrincipal: addPassword, G9), not to the registration. */
  servicePrincipalPasswordCredentials: z.record(z.string(), passwordCredential).default({}).optional(),
  /**
   * An Exchange application access policy for this app (New-ApplicationAccessPolicy, G8 [O]):
   * RestrictAccess = only the listed users' mailboxes, DenyAccess = all but them. App-only Graph
   * mailbox reads outside the scope answer 403 ErrorAccessDenied "[RAOP]".
   */
  applicationAccessPolicy: z.strictObject({ accessRight: z.enum(['RestrictAccess', 'DenyAccess']), users: z.array(z.string()) }).optional(),
  /**
   * The token endpoint refuses this app's client-credentials sign-in with one of G7's errors, in
   * Microsoft's JSON shape (A1). `resource-not-in-tenant-500011` only for the Exchange scope.
   */
  /** The app's verified publisher (Microsoft Partner Network id); absent = not verified (G4). */
  verifiedPublisher: z.string().optional(),
  /**
   * The authorize endpoint shows Entra's error page with this AADSTS code for the app (after the
   * client id is found), for answers the doctor has no name of its own for (G22).
   */
  authorizeError: z.strictObject({ code: z.number().int(), message: z.string() }).optional(),
  signInError: z
    .enum(['app-not-in-directory-70001', 'app-disabled-70001', 'app-not-in-tenant-700011', 'service-principal-missing-7000229', 'conditional-access-53003', 'resource-not-in-tenant-500011', 'assertion-time-700024'])
    .optional(),
});

/** The Graph messageRulePredicates the mail-flow model evaluates (G15): within one, values are alternatives; several must all hold. */
const rulePredicates = z.strictObject({
  fromAddresses: z.array(z.string()).optional(),
  senderContains: z.array(z.string()).optional(),
  subjectContains: z.array(z.string()).optional(),
});

const inboxRule = z.strictObject({
  displayName: z.string(),
  sequence: z.number().int().default(1),
  isEnabled: z.boolean().default(true),
  hasError: z.boolean().default(false),
  forwardTo: z.array(z.string()).default([]),
  forwardAsAttachmentTo: z.array(z.string()).default([]),
  redirectTo: z.array(z.string()).default([]),
  stopProcessingRules: z.boolean().default(false),
  /** The rule acts only on messages these select (empty = every message) … */
  conditions: rulePredicates.default({}).optional(),
  /** … and none of these select. */
  exceptions: rulePredicates.default({}).optional(),
});

const mailbox = z.strictObject({
  /** Get-CASMailbox SmtpClientAuthenticationDisabled: null inherits the tenant setting. */
  smtpClientAuthenticationDisabled: z.boolean().nullable().default(null),
  /** Get-Mailbox ForwardingSmtpAddress without the smtp: prefix, or null. */
  forwardingSmtpAddress: z.string().nullable().default(null),
  /** Get-Mailbox ForwardingAddress (an internal recipient), or null. */
  forwardingAddress: z.string().nullable().default(null),
  deliverToMailboxAndForward: z.boolean().default(false),
  inboxRules: z.record(z.string(), inboxRule).default({}),
  /** Get-MailboxPermission: app keys with FullAccess. */
  fullAccessApps: z.array(z.string()).default([]),
  // The three SMTP knobs below are `.default(…).optional()`: a parsed scenario always has them
  // (default off), while code that builds a mailbox literal in TypeScript need not name them.
  /**
   * A sign-in policy that refuses SMTP AUTH (XOAUTH2) for this mailbox with 535 5.7.139:
   * 'conditional-access' ("did not meet the criteria") or 'security-defaults' ("locked by your
   * organization's security defaults policy"). null = no such block.
   */
  smtpAuthBlock: z.enum(['conditional-access', 'security-defaults']).nullable().default(null).optional(),
  /** Exchange refuses even the mailbox's own address after DATA: 554 5.2.252 SendAsDenied. */
  sendAsDenied: z.boolean().default(false).optional(),
  /** The mailbox is on the restricted-users list (blocked from sending): 550 5.1.8 after DATA. */
  restrictedSender: z.boolean().default(false).optional(),
  /** Get-CASMailbox ImapEnabled. false: XOAUTH2 login succeeds, the next command answers "BAD User is authenticated but not connected." (G27). */
  imapEnabled: z.boolean().default(true).optional(),
  /**
   * One of Exchange's SMTP replies (G28 [O]): 'credentials-incorrect' (535 5.7.139 … the user
   * credentials were incorrect, at AUTH), 'concurrent-connections' (432 4.3.2 Concurrent connections
   * limit exceeded, at AUTH), 'mailbox-logon-failure' (430 4.2.0 STOREDRV; mailbox logon failure,
   * after DATA). null = none.
   */
  smtpReply: z.enum(['credentials-incorrect', 'concurrent-connections', 'mailbox-logon-failure']).nullable().default(null).optional(),
});

const user = z.strictObject({
  id: guid,
  userPrincipalName: z.string(),
  displayName: z.string(),
  mail: z.string().optional(),
  /** Further addresses of the mailbox (proxyAddresses `smtp:` entries). */
  aliases: z.array(z.string()).default([]).optional(),
  accountEnabled: z.boolean().default(true),
  /** Group keys this user is a direct member of (groups' own memberOf make the transitive set). */
  memberOf: z.array(z.string()).default([]),
  mailbox: mailbox.optional(),
});

/** memberOf: group keys this group is a direct member of (nested groups, G2). */
const group = z.strictObject({ id: guid, displayName: z.string(), mail: z.string().optional(), memberOf: z.array(z.string()).default([]).optional() });

const outboundSpamPolicy = z.strictObject({
  isDefault: z.boolean().default(false),
  enabled: z.boolean().default(true),
  autoForwardingMode: z.enum(['Automatic', 'On', 'Off']).default('Automatic'),
});

const outboundSpamRule = z.strictObject({
  policy: z.string(),
  priority: z.number().int().min(0),
  state: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  from: z.array(z.string()).default([]),
  fromMemberOf: z.array(z.string()).default([]),
  senderDomainIs: z.array(z.string()).default([]),
  exceptIfFrom: z.array(z.string()).default([]),
  exceptIfFromMemberOf: z.array(z.string()).default([]),
  exceptIfSenderDomainIs: z.array(z.string()).default([]),
});

const remoteDomain = z.strictObject({
  domainName: z.string(),
  autoForwardEnabled: z.boolean().default(true),
});

const transportRule = z.strictObject({
  priority: z.number().int().min(0).default(0),
  state: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  mode: z.enum(['Enforce', 'Audit', 'AuditAndNotify']).default('Enforce'),
  from: z.array(z.string()).default([]),
  fromScope: z.enum(['InOrganization', 'NotInOrganization']).nullable().default(null),
  sentToScope: z.enum(['InOrganization', 'NotInOrganization']).nullable().default(null),
  messageTypeMatches: z.string().nullable().default(null),
  rejectMessageReasonText: z.string().nullable().default(null),
  rejectMessageEnhancedStatusCode: z.string().nullable().default(null),
  deleteMessage: z.boolean().default(false),
  redirectMessageTo: z.array(z.string()).default([]),
  // Optional knobs (issue 11, G13/G14/G16): more conditions, exceptions and actions of New-TransportRule.
  exceptIfFrom: z.array(z.string()).default([]).optional(),
  fromMemberOf: z.array(z.string()).default([]).optional(),
  exceptIfFromMemberOf: z.array(z.string()).default([]).optional(),
  senderDomainIs: z.array(z.string()).default([]).optional(),
  exceptIfSenderDomainIs: z.array(z.string()).default([]).optional(),
  exceptIfFromScope: z.enum(['InOrganization', 'NotInOrganization']).nullable().default(null).optional(),
  sentTo: z.array(z.string()).default([]).optional(),
  exceptIfSentTo: z.array(z.string()).default([]).optional(),
  recipientDomainIs: z.array(z.string()).default([]).optional(),
  exceptIfRecipientDomainIs: z.array(z.string()).default([]).optional(),
  sentToMemberOf: z.array(z.string()).default([]).optional(),
  exceptIfMessageTypeMatches: z.string().nullable().default(null).optional(),
  /** Which sender address the sender conditions read: Header (Exchange's default) or Envelope. */
  senderAddressLocation: z.enum(['Header', 'Envelope', 'HeaderOrEnvelope']).default('Header').optional(),
  stopRuleProcessing: z.boolean().default(false).optional(),
  quarantine: z.boolean().default(false).optional(),
  /** Any other condition, by its Get-TransportRule property name (e.g. `SCLOver: 9`, `SubjectContainsWords: [x]`). */
  conditions: z.record(z.string(), z.unknown()).default({}).optional(),
});

/** A mail contact (New-MailContact): an external address with a name in the directory, e.g. the target of ForwardingAddress (G12). */
const mailContact = z.strictObject({
  displayName: z.string(),
  externalEmailAddress: z.string(),
  alias: z.string().optional(),
});

/** Fault injection: applies to requests of one service whose path matches. */
const fault = z.strictObject({
  service: z.enum(['login', 'graph', 'exchange', 'smtp', 'imap']),
  /** A regular expression matched against the request path (HTTP) or command (SMTP/IMAP). */
  path: z.string().optional(),
  kind: z.enum(['latency', 'status', 'reset', 'hang', 'html', 'untrusted-cert']),
  /** latency: added delay in ms. */
  ms: z.number().int().min(0).optional(),
  /** status: HTTP status to answer (429, 503, …) */
  status: z.number().int().optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** How many matching requests are affected; absent = all. */
  count: z.number().int().min(1).optional(),
});

/** What the doctor is given when pointed at this scenario (`simulate` prints it, `--demo` uses it). */
const doctorInput = z.strictObject({
  /** Tenant id or domain the doctor is given (may be wrong on purpose). */
  tenantId: z.string().optional(),
  /** The app key (in `apps`) whose appId is the doctor's client id, or a literal client id. */
  app: z.string(),
  clientId: z.string().optional(),
  /** Which credential of that app to hand over: a secret key, `secretId:<key>` (the secret's ID pasted instead of its value), `certificate:<key>` (`certificate:<app>/<key>` for another app's), or a literal wrong value `literal:<text>`. */
  credential: z.string(),
  reader: z.strictObject({
    app: z.string().optional(),
    credential: z.string().optional(),
    deviceCode: z.boolean().default(false),
  }).optional(),
  callbackUrl: z.string().optional(),
  /** An entry of `externalSenders` the doctor is given as its external sender (`--external-sender-*`). */
  externalSender: z.string().optional(),
  /** User keys whose mailboxes are the assets, with the forwarding address Webex Connect shows. */
  assets: z.array(z.strictObject({ user: z.string(), forwardingAddress: z.string().optional() })).default([]),
});

export const scenarioSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  /** Another scenario (by name) this one starts from; maps merge deeply, arrays replace. */
  extends: z.string().optional(),
  tenant: z.strictObject({
    id: guid,
    /** Verified domains; the first is the initial *.onmicrosoft.com domain. */
    domains: z.array(z.string()).min(1),
    displayName: z.string().default('Contoso'),
    securityDefaultsEnabled: z.boolean().default(false),
    /** authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned */
    permissionGrantPoliciesAssigned: z.array(z.string()).default(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']),
    /** delegatedPermissionClassifications on the Exchange resource SP: permission name → classification. */
    exchangePermissionClassifications: z.record(z.string(), z.enum(['low', 'medium', 'high'])).default({}),
    /** Seconds the simulator's clock (its Date header and token times) is ahead of real time. */
    clockSkewSeconds: z.number().int().default(0),
    /** delegatedPermissionClassifications on the Microsoft Graph resource SP (offline_access lives there). */
    graphPermissionClassifications: z.record(z.string(), z.enum(['low', 'medium', 'high'])).optional(),
    /**
     * The national cloud this tenant lives in: its resource identifiers (token scopes and
     * audiences) follow src/config/clouds.ts (G24: DoD Exchange is outlook-dod.office365.us [O]).
     */
    cloud: z.enum(['global', 'usgov', 'usgovdod', 'china']).optional(),
    /** Custom permission grant policies (G4), by id; the built-in ones are always served. */
    permissionGrantPolicies: z.record(z.string(), permissionGrantPolicy).optional(),
  }),
  apps: z.record(z.string(), app),
  users: z.record(z.string(), user).default({}),
  groups: z.record(z.string(), group).default({}),
  exchange: z.strictObject({
    smtpClientAuthenticationDisabled: z.boolean().default(true),
    outboundSpamPolicies: z.record(z.string(), outboundSpamPolicy).default({ Default: { isDefault: true, enabled: true, autoForwardingMode: 'Automatic' } }),
    outboundSpamRules: z.record(z.string(), outboundSpamRule).default({}),
    remoteDomains: z.record(z.string(), remoteDomain).default({ Default: { domainName: '*', autoForwardEnabled: true } }),
    transportRules: z.record(z.string(), transportRule).default({}),
    /** Mail contacts by Name (Get-Recipient / Get-MailContact). */
    mailContacts: z.record(z.string(), mailContact).default({}).optional(),
    /** The admin API answers `$batch` with 404, as a tenant (or proxy) without it would: clients must fall back to single calls. */
    refuseBatch: z.boolean().optional(),
    /** Get-Mailbox / Get-CASMailbox answer every `-Filter` with the invalid-filter error [I]: clients must fall back to `-Identity`. */
    refuseFilter: z.boolean().optional(),
  }).prefault({}),
  /**
   * SMTP submission accounts of other organisations (address → credential): the simulator accepts
   * AUTH LOGIN with the password, or XOAUTH2 with the token, for them, and their mail to the tenant
   * arrives as mail from outside (the `--external-sender` round trip). IMAP LOGIN opens their own
   * inbox, where bounces to them land.
   */
  externalSenders: z.record(z.string(), z.strictObject({ password: z.string().optional(), token: z.string().optional() })).default({}).optional(),
  /**
   * Outside recipients whose mail server refuses mail (address → its reply, e.g. `550 5.1.1 …
   * User unknown`): a forward to one bounces with that reply [I: remote refusals are quoted in the
   * NDR as "Remote Server returned '…'"].
   */
  remoteRejections: z.record(z.string(), z.string()).default({}).optional(),
  /** MX records the simulator's DNS answers (domain → exchanger hosts; `['.']` is a null MX, RFC 7505); others are NXDOMAIN. */
  dns: z.record(z.string(), z.array(z.string())).default({}),
  /** A/AAAA records of names (name → IPv4/IPv6 addresses), e.g. a mail domain without MX (implicit MX, RFC 5321 §5.1). */
  dnsAddresses: z.record(z.string(), z.array(z.string())).default({}),
  faults: z.array(fault).default([]),
  doctor: doctorInput,
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioApp = z.infer<typeof app>;
export type ScenarioUser = z.infer<typeof user>;
export type ScenarioMailbox = z.infer<typeof mailbox>;
export type InboxRulePredicates = z.infer<typeof rulePredicates>;
export type Fault = z.infer<typeof fault>;
export type TransportRule = z.infer<typeof transportRule>;
export type OutboundSpamRule = z.infer<typeof outboundSpamRule>;
export type ScenarioPermissionGrantPolicy = z.infer<typeof permissionGrantPolicy>;
