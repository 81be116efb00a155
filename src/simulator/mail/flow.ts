import { randomUUID } from 'node:crypto';
import type { SimContext } from '../context.js';
import type { ScenarioUser } from '../scenario/schema.js';
import { BACKEND_HOST } from './hosts.js';
import { domainOf, firstAddress, headerValue, parseAddressList, parseHeader, rfc5322Date, splitMessage, toCrlf } from './mime.js';
import { buildForwardingNdr } from './ndr.js';
import { blockingTransportRule, evaluateExternalForward, type TransportRuleBlock } from './policy.js';
import { isTenantDomain, mailboxAddress, resolveRecipient, resolveRecipientIdentity, type ResolvedRecipient } from './recipients.js';
import { inboxRuleSelects } from './inbox-rule-match.js';

/** A message accepted for delivery (by SMTP submission or generated inside the tenant). */
export interface Submission {
  /** Envelope sender (MAIL FROM); null for the null sender `<>` (NDRs). */
  envelopeFrom: string | null;
  recipients: string[];
  raw: string;
}

/** A message in flight through the tenant. */
interface Flowing {
  envelopeFrom: string | null;
  messageId: string;
  subject: string;
  from: string;
  to: string[];
  raw: string;
  header: string;
  date: Date;
}

/** What happened to each copy, for tests and `simulate --verbose`. */
export type FlowEvent =
  | { kind: 'delivered'; mailbox: string; messageId: string }
  | { kind: 'external'; to: string; messageId: string; via: 'submission' | 'forwarding' | 'inbox-rule' | 'transport-rule' }
  | { kind: 'blocked'; by: 'outbound-policy' | 'remote-domain' | 'transport-rule' | 'remote-server'; mailbox: string; to: string; messageId: string; detail: string }
  | { kind: 'ndr'; to: string; messageId: string; about: string };

/** Internal forwarding chains deeper than this are cut (Exchange's loop detection does the same job). */
const MAX_HOPS = 10;

/**
 * The mail-flow model: delivers an accepted message to each recipient the way Exchange Online
 * would, including mailbox forwarding, inbox rules and the three controls on external forwarding.
 * Returns the message's Message-ID (added when the submitter left it out, as Exchange does).
 */
export function submitMessage(ctx: SimContext, sub: Submission): { messageId: string; raw: string; events: FlowEvent[] } {
  const msg = prepare(ctx, sub);
  const events: FlowEvent[] = [];
  const seen = new Set<string>();
  for (const rcpt of sub.recipients) {
    const key = rcpt.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const target = resolveRecipient(ctx.scenario, rcpt);
    if (target.kind === 'external') {
      deliverExternalFromSubmission(ctx, msg, target.address, events);
    } else routeInternal(ctx, msg, target, [], events);
  }
  return { messageId: msg.messageId, raw: msg.raw, events };
}

function prepare(ctx: SimContext, sub: Submission): Flowing {
  let raw = toCrlf(sub.raw);
  let { header } = splitMessage(raw);
  let fields = parseHeader(header);
  const now = ctx.now();
  const added: string[] = [];
  if (!headerValue(fields, 'message-id')) added.push(`Message-ID: <${randomUUID()}@${BACKEND_HOST}>`);
  if (!headerValue(fields, 'date')) added.push(`Date: ${rfc5322Date(now)}`);
  if (added.length) {
    raw = `${added.join('\r\n')}\r\n${raw}`;
    header = splitMessage(raw).header;
    fields = parseHeader(header);
  }
  const to = [...parseAddressList(headerValue(fields, 'to')), ...parseAddressList(headerValue(fields, 'cc'))].map((a) => a.address.toLowerCase());
  return {
    envelopeFrom: sub.envelopeFrom,
    messageId: headerValue(fields, 'message-id')!,
    subject: headerValue(fields, 'subject') ?? '',
    from: firstAddress(headerValue(fields, 'from')) ?? sub.envelopeFrom ?? '',
    to: to.length ? to : sub.recipients.map((r) => r.toLowerCase()),
    raw,
    header,
    date: now,
  };
}

/** Mail sent straight to an outside address still passes the transport rules (not the forwarding controls: it is not a forward). */
function deliverExternalFromSubmission(ctx: SimContext, msg: Flowing, address: string, events: FlowEvent[]): void {
  const rule = blockingTransportRule(ctx.scenario, { from: msg.from, envelopeFrom: msg.envelopeFrom, recipient: address, recipientExternal: true, autoForward: false });
  if (rule) {
    events.push({ kind: 'blocked', by: 'transport-rule', mailbox: msg.from, to: address, messageId: msg.messageId, detail: rule.rule });
    actOnRule(ctx, msg, address, rule, events);
    return;
  }
  ctx.mail.recordExternal(address, msg.messageId);
  events.push({ kind: 'external', to: address, messageId: msg.messageId, via: 'submission' });
}

/** What a blocking rule does to the message: reject bounces with the rule's status (G14), redirect sends it elsewhere, delete and quarantine keep it silently away. */
function actOnRule(ctx: SimContext, msg: Flowing, recipient: string, rule: TransportRuleBlock, events: FlowEvent[]): void {
  if (rule.action === 'redirect') redirect(ctx, msg, rule.redirectTo, events);
  else if (rule.action === 'reject') bounce(ctx, msg, recipient, events, ruleRejection(rule));
}

function routeInternal(ctx: SimContext, msg: Flowing, target: ResolvedRecipient, trail: string[], events: FlowEvent[]): void {
  if (target.kind === 'mailbox') deliverToMailbox(ctx, msg, target.userKey, trail, events);
  else if (target.kind === 'group') for (const member of target.members) deliverToMailbox(ctx, msg, member, trail, events);
  // 'unknown' recipients were refused at RCPT TO; a forward to one goes nowhere.
}

/**
 * One mailbox receives the message. Set-Mailbox forwarding acts in transport, before the mailbox:
 * ForwardingAddress (internal) wins over ForwardingSmtpAddress (Set-Mailbox.md), and the mailbox
 * keeps a copy only with DeliverToMailboxAndForward (or when it does not forward at all). Inbox
 * rules run on the copy that reaches the inbox; Exchange keeps the original in the inbox for both
 * their forward and redirect actions (the rule acts after delivery), so they never remove it.
 */
function deliverToMailbox(ctx: SimContext, msg: Flowing, userKey: string, trail: string[], events: FlowEvent[]): void {
  const user = ctx.scenario.users[userKey];
  const mailbox = user?.mailbox;
  if (!user || !mailbox || trail.includes(userKey) || trail.length >= MAX_HOPS) return;
  const hops = [...trail, userKey];
  const own = mailboxAddress(user);
  // Mail to the mailbox passes the mail flow rules first, with its own From (customer mail: the customer's).
  const inbound = trail.length === 0 ? blockingTransportRule(ctx.scenario, { from: msg.from, envelopeFrom: msg.envelopeFrom, recipient: own, recipientExternal: false, autoForward: false }) : undefined;
  if (inbound) {
    events.push({ kind: 'blocked', by: 'transport-rule', mailbox: own, to: own, messageId: msg.messageId, detail: inbound.rule });
    actOnRule(ctx, msg, own, inbound, events);
    return;
  }
  let forwards = false;
  if (mailbox.forwardingAddress) {
    forwards = true;
    forwardTo(ctx, msg, user, resolveRecipientIdentity(ctx.scenario, mailbox.forwardingAddress), hops, events, 'forwarding');
  } else if (mailbox.forwardingSmtpAddress) {
    forwards = true;
    forwardTo(ctx, msg, user, resolveRecipient(ctx.scenario, mailbox.forwardingSmtpAddress), hops, events, 'forwarding');
  }
  if (forwards && !mailbox.deliverToMailboxAndForward) return;
  const address = mailboxAddress(user);
  ctx.mail.deliver(address, { messageId: msg.messageId, from: msg.from, to: msg.to, subject: msg.subject, date: msg.date, raw: msg.raw });
  events.push({ kind: 'delivered', mailbox: address, messageId: msg.messageId });
  const rules = Object.values(mailbox.inboxRules)
    .filter((r) => r.isEnabled && !r.hasError)
    .sort((a, b) => a.sequence - b.sequence);
  for (const rule of rules) {
    if (!inboxRuleSelects(rule, msg)) continue;
    for (const to of [...rule.forwardTo, ...rule.forwardAsAttachmentTo, ...rule.redirectTo]) {
      forwardTo(ctx, msg, user, resolveRecipient(ctx.scenario, to), hops, events, 'inbox-rule');
    }
    if (rule.stopProcessingRules) break;
  }
}

function forwardTo(
  ctx: SimContext,
  msg: Flowing,
  sender: ScenarioUser,
  target: ResolvedRecipient,
  hops: string[],
  events: FlowEvent[],
  via: 'forwarding' | 'inbox-rule',
): void {
  // "Automatic forwarding to internal recipients isn't affected" (DEF): internal targets just receive it.
  if (target.kind !== 'external') return routeInternal(ctx, msg, target, hops, events);
  const mailbox = mailboxAddress(sender);
  // SRS rewrites the envelope sender of a forwarded copy of outside mail; the header From stays (G13 [V]).
  const outside = msg.envelopeFrom !== null && !isTenantDomain(ctx.scenario, domainOf(msg.envelopeFrom));
  const copy: Flowing = outside ? { ...msg, envelopeFrom: srsAddress(msg.envelopeFrom!, mailbox) } : msg;
  const verdict = evaluateExternalForward(ctx.scenario, sender, target.address, copy);
  if (verdict.allowed) {
    const refused = Object.entries(ctx.scenario.remoteRejections ?? {}).find(([a]) => a.toLowerCase() === target.address)?.[1];
    if (refused) {
      const status = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(refused)?.[1] ?? '5.0.0';
      events.push({ kind: 'blocked', by: 'remote-server', mailbox, to: target.address, messageId: msg.messageId, detail: refused });
      return bounce(ctx, copy, target.address, events, { status, line: refused, human: "The recipient's mail server refused the message." });
    }
    ctx.mail.recordExternal(target.address, msg.messageId);
    events.push({ kind: 'external', to: target.address, messageId: msg.messageId, via });
    return;
  }
  const detail = verdict.by === 'outbound-policy' ? verdict.policy : verdict.by === 'remote-domain' ? verdict.remoteDomain : verdict.rule;
  events.push({ kind: 'blocked', by: verdict.by, mailbox, to: target.address, messageId: msg.messageId, detail });
  // G15 [V]: "If the forwarding method is an Inbox rule, an NDR isn't generated for internal senders."
  const internalSender = !outside && msg.envelopeFrom !== null;
  if (verdict.by === 'outbound-policy') {
    if (!(via === 'inbox-rule' && internalSender)) bounce(ctx, msg, target.address, events);
  } else if (verdict.by === 'transport-rule') actOnRule(ctx, msg, target.address, verdict, events);
}

/** The SRS form of an outside sender, as Exchange Online writes it for forwarded mail (Sender Rewriting Scheme [V]; the hash and time stamp are made up [I]). */
function srsAddress(original: string, forwardingMailbox: string): string {
  const at = original.lastIndexOf('@');
  return `bounces+SRS=wxsim=00=${original.slice(at + 1)}=${original.slice(0, at)}@${domainOf(forwardingMailbox)}`;
}

/** The NDR text of a mail flow rule's reject: `550 <status> <RejectMessageReasonText>` [I: the reply Exchange quotes carries the rule's status and text]. */
function ruleRejection(rule: TransportRuleBlock): { status: string; line: string; human: string } {
  const text = rule.reasonText ?? 'Delivery not authorized, message refused';
  return { status: rule.status, line: `550 ${rule.status} ${text}`, human: 'Your message was rejected by a mail flow rule of the recipient\'s organization.' };
}

/**
 * The 5.7.520 NDR goes to the original sender. For a sender in the tenant it is put straight into
 * the inbox: a system report is not subject to the sender's own forwarding (which would otherwise
 * bounce or swallow the report about forwarding). Outside senders get it as outbound mail.
 */
function bounce(ctx: SimContext, msg: Flowing, recipient: string, events: FlowEvent[], diagnostic?: { status: string; line: string; human: string }): void {
  if (!msg.envelopeFrom) return; // never bounce a bounce
  const ndr = buildForwardingNdr({
    scenario: ctx.scenario,
    now: ctx.now(),
    notify: msg.envelopeFrom,
    recipient,
    original: { messageId: msg.messageId, subject: msg.subject, header: msg.header, date: msg.date },
    ...(diagnostic ? { diagnostic } : {}),
  });
  const target = resolveRecipient(ctx.scenario, srsOriginal(msg.envelopeFrom));
  if (target.kind === 'mailbox') {
    ctx.mail.deliver(target.address, { messageId: ndr.messageId, from: ndr.from.toLowerCase(), to: [target.address], subject: ndr.subject, date: ctx.now(), raw: ndr.raw });
    events.push({ kind: 'ndr', to: target.address, messageId: ndr.messageId, about: msg.messageId });
  } else if (target.kind === 'external') {
    ctx.mail.recordExternal(target.address, ndr.messageId);
    // An outside sender the scenario knows (externalSenders) has an inbox the simulator keeps, so the bounce can be read there.
    if (isExternalSender(ctx, target.address)) ctx.mail.deliver(target.address, { messageId: ndr.messageId, from: ndr.from.toLowerCase(), to: [target.address], subject: ndr.subject, date: ctx.now(), raw: ndr.raw });
    events.push({ kind: 'ndr', to: target.address, messageId: ndr.messageId, about: msg.messageId });
  }
}

function isExternalSender(ctx: SimContext, address: string): boolean {
  return Object.keys(ctx.scenario.externalSenders ?? {}).some((a) => a.toLowerCase() === address.toLowerCase());
}

/** An SRS address routes bounces back to the original sender. */
function srsOriginal(address: string): string {
  const m = /^bounces\+SRS=[^=]*=[^=]*=([^=]+)=(.+)@[^@]+$/i.exec(address);
  return m ? `${m[2]}@${m[1]}` : address;
}

/** A transport rule's RedirectMessageTo: the copy goes there instead, with no further rule or forwarding checks. */
function redirect(ctx: SimContext, msg: Flowing, to: string[], events: FlowEvent[]): void {
  for (const address of to) {
    const target = resolveRecipient(ctx.scenario, address);
    if (target.kind === 'external') {
      ctx.mail.recordExternal(target.address, msg.messageId);
      events.push({ kind: 'external', to: target.address, messageId: msg.messageId, via: 'transport-rule' });
    } else if (target.kind === 'mailbox') {
      ctx.mail.deliver(target.address, { messageId: msg.messageId, from: msg.from, to: msg.to, subject: msg.subject, date: msg.date, raw: msg.raw });
      events.push({ kind: 'delivered', mailbox: target.address, messageId: msg.messageId });
    }
  }
}
