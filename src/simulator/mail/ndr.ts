import { randomBytes, randomUUID } from 'node:crypto';
import type { Scenario } from '../scenario/schema.js';
import { BACKEND_HOST, FORWARDING_BLOCKED_TEXT, NDR_SENDER_LOCAL } from './hosts.js';
import { domainOf, rfc5322Date } from './mime.js';
import { isTenantDomain } from './recipients.js';

export interface NdrInput {
  scenario: Scenario;
  now: Date;
  /** Who gets the report: the original message's sender. */
  notify: string;
  /** The external address the forward was refused for. */
  recipient: string;
  original: { messageId: string; subject: string; header: string; date: Date };
  /** Another refusal than the outbound policy's 5.7.520 (a mail flow rule's reject, G14): its status, reply line and human text. */
  diagnostic?: { status: string; line: string; human: string };
}

export interface Ndr {
  raw: string;
  messageId: string;
  from: string;
  subject: string;
}

/**
 * The 5.7.520 non-delivery report Exchange Online returns to the sender when the outbound spam
 * policy refuses an auto-forward. The diagnostic line is the documented text [V]; the layout
 * (multipart/report with a human part, message/delivery-status and the original headers, threaded
 * to the original by In-Reply-To/References) follows RFC 3464 and the shape of Exchange NDRs [I].
 */
export function buildForwardingNdr(input: NdrInput): Ndr {
  const { scenario, now, notify, recipient, original } = input;
  const diag = input.diagnostic ?? {
    status: '5.7.520',
    line: FORWARDING_BLOCKED_TEXT,
    human: "Your message wasn't delivered because your organization does not allow automatic forwarding to external recipients.",
  };
  const from = `${NDR_SENDER_LOCAL}@${ndrDomain(scenario, notify)}`;
  const messageId = `<${randomUUID()}@${BACKEND_HOST}>`;
  const subject = `Undeliverable: ${original.subject}`;
  const boundary = `_ndr_${randomBytes(12).toString('hex')}_`;
  const date = rfc5322Date(now);
  const human = [
    'Delivery has failed to these recipients or groups:',
    '',
    recipient,
    diag.human,
    '',
    'Diagnostic information for administrators:',
    '',
    `Generating server: ${BACKEND_HOST}`,
    '',
    recipient,
    `Remote Server returned '${diag.line}'`,
    '',
    `Original message ID: ${original.messageId}`,
  ].join('\r\n');
  const status = [
    `Reporting-MTA: dns;${BACKEND_HOST}`,
    `Received-From-MTA: dns;${BACKEND_HOST}`,
    `Arrival-Date: ${rfc5322Date(original.date)}`,
    '',
    `Original-Recipient: rfc822;${recipient}`,
    `Final-Recipient: rfc822;${recipient}`,
    'Action: failed',
    `Status: ${diag.status}`,
    `Diagnostic-Code: smtp;${diag.line}`,
    `X-Display-Name: ${recipient}`,
  ].join('\r\n');
  const raw = [
    `From: Microsoft Outlook <${from}>`,
    `To: <${notify}>`,
    `Date: ${date}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `In-Reply-To: ${original.messageId}`,
    `References: ${original.messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    'Content-Language: en-US',
    'X-MS-Exchange-Message-Is-Ndr: ',
    'Auto-Submitted: auto-replied',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset="us-ascii"',
    'Content-Transfer-Encoding: 7bit',
    '',
    human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    status,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    original.header.replace(/(\r\n)+$/, ''),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { raw, messageId, from, subject };
}

/** The NDR comes from the tenant's own domain: the recipient's when it is accepted, else the first custom domain, else the initial one [I]. */
function ndrDomain(scenario: Scenario, notify: string): string {
  const d = domainOf(notify);
  if (isTenantDomain(scenario, d)) return d;
  return scenario.tenant.domains.find((x) => !x.toLowerCase().endsWith('.onmicrosoft.com')) ?? scenario.tenant.domains[0]!;
}
