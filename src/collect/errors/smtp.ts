/**
 * THE one table that turns Microsoft's SMTP replies (and the enhanced status codes inside NDRs)
 * into reason codes. Every SMTP/NDR verdict of the doctor goes through `diagnoseSmtpReply`; no
 * other file matches reply text.
 *
 * Sources: reference/microsoft-365.md B4 (reply lines, [V]/[O] as marked there) and
 * reference/anchors.md §6 (error catalogue). Reference F3: the 5.7.139 sub-messages come from
 * real-world logs, so they are matched on `5.7.139` plus a keyword, never on the whole line.
 */
import type { Code } from '../../core/codes.js';

/**
 * Added beyond the contract table ("More codes may be added"): Exchange Online refused the probe
 * for a reason other than send-as (restricted sender, tenant/IP block, continuous-error
 * throttling). Listed with its status in src/core/codes.ts.
 */
export const SEND_REJECTED = 'SEND_REJECTED';

/** Where in the dialogue a reply was seen: it decides the fallback for lines the table does not know. */
export type SmtpPhase = 'auth' | 'send' | 'ndr';

export interface SmtpReply {
  /** The whole reply as the server sent it (multi-line replies joined with `\n`). */
  line: string;
  /** The three-digit reply code, or null when the line has none (an NDR's prose). */
  basic: number | null;
  /** The RFC 3463 enhanced status code (`5.7.139`), or null. */
  enhanced: string | null;
  /** The text after the codes. */
  text: string;
}

export interface SmtpRule {
  /** Stable id of the row (tests and evidence name it). */
  id: string;
  /** Enhanced status code the row is about (exact match), if any. */
  enhanced?: string | RegExp;
  /** Basic reply code, if the row needs one. */
  basic?: number;
  /** A keyword in the reply text (reference F3: match keywords, not whole lines). */
  text?: RegExp;
  /** Only in this phase (a status that means one thing in an NDR and another in a live reply). */
  phase?: SmtpPhase;
  reason: Code;
  /** One sentence: what the reply means, for summaries. */
  meaning: string;
  /** Usual causes, most likely first (rendered as a list in details). */
  causes?: string[];
  /** The reply itself names the cause: show these causes, not the generic guesses for its code. */
  narrows?: true;
}

const AUTH_FAILED_CAUSES = [
  'the token carries no `SMTP.SendAsApp` role (app-only) or no `SMTP.Send` scope (delegated)',
  'the app\'s service principal is not registered in Exchange Online (`New-ServicePrincipal -AppId … -ObjectId …`, with the *Enterprise application* object id)',
  'the service principal has no FullAccess on the mailbox (`Add-MailboxPermission -Identity <mailbox> -User <SP id> -AccessRights FullAccess`)',
  'the `user=` of the XOAUTH2 login is not the mailbox the token may use (wrong user, or a delegated token of another account)',
  'a change made in the last minutes has not reached Exchange Online yet',
];

/** Checked top to bottom; the first row that matches wins. */
export const SMTP_REPLY_TABLE: readonly SmtpRule[] = [
  {
    id: 'smtp-auth-disabled-mailbox',
    enhanced: '5.7.139',
    text: /disabled for the Mailbox/i,
    reason: 'SMTP_AUTH_DISABLED_MAILBOX',
    meaning: 'Authenticated SMTP (SMTP AUTH) is turned off for this mailbox.',
  },
  {
    id: 'smtp-auth-disabled-tenant',
    enhanced: '5.7.139',
    text: /disabled for the Tenant/i,
    reason: 'SMTP_AUTH_DISABLED_TENANT',
    meaning: 'Authenticated SMTP (SMTP AUTH) is turned off for the organization and the mailbox does not override it.',
  },
  {
    id: 'security-defaults',
    enhanced: '5.7.139',
    text: /security defaults/i,
    reason: 'SMTP_AUTH_BLOCKED_BY_POLICY',
    meaning: 'The sign-in is blocked by the tenant\'s security defaults.',
  },
  {
    id: 'did-not-meet-criteria',
    enhanced: '5.7.139',
    text: /did not meet the criteria/i,
    reason: 'SMTP_AUTH_BLOCKED_BY_POLICY',
    meaning: 'The sign-in did not meet the criteria to be authenticated: a Conditional Access policy, MFA requirement or legacy-authentication block applies.',
  },
  {
    id: 'basic-auth-disabled',
    enhanced: '5.7.139',
    text: /basic authentication is disabled/i,
    reason: 'SMTP_AUTH_BLOCKED_BY_POLICY',
    meaning: 'Basic authentication is disabled; the login was not taken as OAuth.',
  },
  {
    // G28 [O]: the credentials themselves were refused, not a policy. Before the generic 5.7.139 row.
    id: 'credentials-incorrect',
    enhanced: '5.7.139',
    text: /credentials were incorrect/i,
    reason: 'SMTP_AUTH_FAILED',
    meaning: 'Exchange Online refused the login\'s credentials ("the user credentials were incorrect"): a credential problem, not a policy.',
    causes: [
      'with XOAUTH2: the token is not valid for this `user=` (another account\'s token, an expired or wrong-audience token, or one for another tenant)',
      'the mailbox address in `user=` is not the mailbox the token was issued for',
      'with a password (basic authentication): the password is wrong; Exchange Online does not take basic SMTP AUTH for new setups',
    ],
    narrows: true,
  },
  {
    id: 'auth-blocked-other',
    enhanced: '5.7.139',
    reason: 'SMTP_AUTH_BLOCKED_BY_POLICY',
    meaning: 'Exchange Online refused SMTP AUTH because of a tenant or sign-in policy.',
  },
  {
    id: 'auth-unsuccessful',
    enhanced: '5.7.3',
    reason: 'SMTP_AUTH_FAILED',
    meaning: 'Exchange Online refused the XOAUTH2 login (the generic 5.7.3: the token is not accepted for this mailbox).',
    causes: AUTH_FAILED_CAUSES,
  },
  {
    // G28 [O]: after an app-only login, the store could not open the mailbox: a mailbox permission, not a glitch.
    id: 'mailbox-logon-failure',
    basic: 430,
    text: /mailbox logon failure|Cannot open mailbox/i,
    reason: 'SMTP_AUTH_FAILED',
    meaning: 'Exchange Online signed the app in but could not open the mailbox for it (430 4.2.0 STOREDRV mailbox logon failure): a mailbox permission is missing.',
    causes: [
      'the app\'s service principal has no FullAccess on the mailbox (`Add-MailboxPermission -Identity <mailbox> -User <webex-sp-id> -AccessRights FullAccess`)',
      'the service principal is not registered in Exchange Online (`New-ServicePrincipal -AppId <client-id> -ObjectId <webex-sp-id>`, the Enterprise application object id)',
    ],
    narrows: true,
  },
  {
    // G28 [O]: throttling, not a configuration problem; the probe could not run.
    id: 'concurrent-connections',
    enhanced: '4.3.2',
    text: /Concurrent connections limit exceeded/i,
    reason: 'THROTTLED',
    meaning: 'Exchange Online throttled the session: too many concurrent SMTP connections for this mailbox (432 4.3.2). Other clients (or Webex Connect) hold connections; try again later.',
  },
  {
    id: 'client-not-authenticated',
    enhanced: '5.7.57',
    reason: 'SMTP_AUTH_FAILED',
    meaning: 'The client was not authenticated when it tried to send.',
  },
  {
    id: 'send-as-no-permission',
    enhanced: '5.7.60',
    reason: 'SEND_AS_DENIED',
    meaning: 'The authenticated identity may not send as this sender (MAIL FROM differs from the mailbox it signed in to).',
  },
  {
    id: 'send-as-denied',
    enhanced: '5.2.252',
    reason: 'SEND_AS_DENIED',
    meaning: 'Send-as was denied (5.2.252 is also Microsoft\'s code for "sender throttled due to continuous send as denied errors").',
  },
  {
    id: 'send-as-denied-storedrv',
    text: /SendAsDenied/i,
    reason: 'SEND_AS_DENIED',
    meaning: 'Send-as was denied (STOREDRV SendAsDeniedException).',
  },
  {
    id: 'external-forwarding-blocked',
    enhanced: '5.7.520',
    reason: 'FORWARDING_NDR',
    meaning: 'The outbound spam filter policy does not allow automatic forwarding to external addresses (AutoForwardingMode Off, or Automatic which now means Off).',
  },
  {
    // G14 [V]: a mail flow rule's reject action bounces with 5.7.1 unless the rule sets its own
    // RejectMessageEnhancedStatusCode. In an NDR about the forwarded probe, 5.7.1 names a rule;
    // in a live reply it can mean other things, so the row is for NDRs only.
    id: 'transport-rule-rejected',
    enhanced: '5.7.1',
    phase: 'ndr',
    reason: 'FORWARDING_NDR_TRANSPORT_RULE',
    meaning: 'A mail flow (transport) rule rejected the message (5.7.1, the default status of a rule\'s reject action).',
  },
  {
    // [I] The range mail flow rules allow for their own RejectMessageEnhancedStatusCode (5.7.900–5.7.999,
    // EXPS New-TransportRule as remembered; not in the reference sheet). A rule's exact code is also
    // matched by mailflow.roundtrip against the rules it read.
    id: 'transport-rule-custom-status',
    enhanced: /^5\.7\.9\d\d$/,
    phase: 'ndr',
    reason: 'FORWARDING_NDR_TRANSPORT_RULE',
    meaning: 'A mail flow (transport) rule rejected the message with its own status code (RejectMessageEnhancedStatusCode).',
  },
  {
    id: 'continuous-error-throttling',
    enhanced: /^5\.2\.25[1345]$/,
    reason: SEND_REJECTED,
    meaning: 'The sender is throttled because of continuous errors (mailbox full, invalid license, too many or invalid recipients).',
  },
  {
    id: 'tenant-threshold',
    enhanced: '5.7.705',
    reason: SEND_REJECTED,
    meaning: 'The tenant has exceeded its sending threshold and is blocked from sending.',
  },
  {
    id: 'ip-not-accepted',
    enhanced: '5.7.708',
    reason: SEND_REJECTED,
    meaning: 'Exchange Online does not accept traffic from this IP address.',
  },
  {
    id: 'bad-outbound-sender',
    enhanced: '5.1.8',
    reason: SEND_REJECTED,
    meaning: 'The mailbox is on the restricted-users list (blocked from sending).',
  },
];

export interface SmtpDiagnosis {
  reason: Code;
  /** The table row, or `fallback-<phase>-<class>` when no row matched. */
  rule: string;
  meaning: string;
  causes: string[];
  /** See SmtpRule.narrows. */
  narrows?: true;
  reply: SmtpReply;
}

const REPLY_HEAD = /^(\d{3})[ -](?:(\d\.\d{1,3}\.\d{1,3})\s+)?/;
const ENHANCED_ANYWHERE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;

/**
 * Parses a reply line (or the multi-line reply) as nodemailer hands it over in `err.response`.
 * Without a leading reply code (an NDR's diagnostic text) the first enhanced code anywhere in
 * the text is taken, so `Remote Server returned '550 5.7.520 …'` still yields 5.7.520.
 */
export function parseSmtpReply(raw: string): SmtpReply {
  const line = raw.replace(/\r\n/g, '\n').trim();
  const lines = line.split('\n');
  const head = REPLY_HEAD.exec(lines[0] ?? '');
  if (head) {
    const text = lines.map((l) => l.replace(REPLY_HEAD, '')).join(' ').trim();
    return { line, basic: Number(head[1]), enhanced: head[2] ?? null, text };
  }
  const inner = /\b([245]\d{2})[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(line);
  if (inner) return { line, basic: Number(inner[1]), enhanced: inner[2] ?? null, text: line };
  const enhanced = ENHANCED_ANYWHERE.exec(line)?.[1] ?? null;
  return { line, basic: null, enhanced, text: line };
}

function matches(rule: SmtpRule, reply: SmtpReply, phase: SmtpPhase): boolean {
  if (rule.phase !== undefined && rule.phase !== phase) return false;
  if (rule.basic !== undefined && reply.basic !== rule.basic) return false;
  if (rule.enhanced !== undefined) {
    if (!reply.enhanced) return false;
    if (typeof rule.enhanced === 'string' ? reply.enhanced !== rule.enhanced : !rule.enhanced.test(reply.enhanced)) return false;
  }
  if (rule.text && !rule.text.test(reply.line)) return false;
  return true;
}

/** The reason code (and its explanation material) for one SMTP reply or NDR text. */
export function diagnoseSmtpReply(raw: string, phase: SmtpPhase): SmtpDiagnosis {
  const reply = parseSmtpReply(raw);
  for (const rule of SMTP_REPLY_TABLE) {
    if (matches(rule, reply, phase)) return { reason: rule.reason, rule: rule.id, meaning: rule.meaning, causes: rule.causes ?? [], ...(rule.narrows ? { narrows: true as const } : {}), reply };
  }
  return fallback(reply, phase);
}

function fallback(reply: SmtpReply, phase: SmtpPhase): SmtpDiagnosis {
  const transient = reply.basic !== null ? reply.basic >= 400 && reply.basic < 500 : reply.enhanced?.startsWith('4.') === true;
  if (transient && phase !== 'ndr') {
    // A 4xx is "try again later": the probe could not run, it did not find a misconfiguration.
    return {
      reason: 'UNEXPECTED_RESPONSE',
      rule: `fallback-${phase}-transient`,
      meaning: 'Exchange Online answered with a temporary error; the probe could not complete.',
      causes: [],
      reply,
    };
  }
  if (phase === 'auth') {
    return {
      reason: 'SMTP_AUTH_FAILED',
      rule: 'fallback-auth',
      meaning: 'Exchange Online refused the XOAUTH2 login.',
      causes: reply.basic === 535 ? AUTH_FAILED_CAUSES : [],
      reply,
    };
  }
  if (phase === 'send') {
    return { reason: SEND_REJECTED, rule: 'fallback-send', meaning: 'Exchange Online refused the probe message.', causes: [], reply };
  }
  return {
    reason: 'FORWARDING_NDR',
    rule: 'fallback-ndr',
    meaning: 'The forwarded copy bounced with a non-delivery report.',
    causes: [],
    reply,
  };
}
