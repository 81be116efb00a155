import { randomBytes } from 'node:crypto';

/** The probe mail `smtp.send` submits and `mailflow.roundtrip` looks for. */
export interface ProbeMessage {
  /** `<wxmail-probe-…@wxmail.invalid>`: unique, and obviously not a real host. */
  messageId: string;
  /** Random token also carried in the subject, so the copy is found even if Exchange rewrites the Message-ID. */
  nonce: string;
  subject: string;
  /** RFC 5322 source, CRLF line ends. */
  raw: string;
}

/**
 * The probe: by default from the mailbox to itself; with `from`, from an outside account (the
 * external sender) to the mailbox, the way a customer's mail travels (G13).
 */
export function buildProbeMessage(mailbox: string, now: Date, nonce: string = randomBytes(8).toString('hex'), from: string = mailbox): ProbeMessage {
  const messageId = `<wxmail-probe-${nonce}@wxmail.invalid>`;
  const subject = `[wxmail probe] Webex Connect mail-flow test ${nonce}`;
  const headers = [
    `From: <${from}>`,
    `To: <${mailbox}>`,
    `Subject: ${subject}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageId}`,
    `X-Wxmail-Probe: ${nonce}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
  ];
  const body = [
    from === mailbox
      ? 'This message was sent by `wxmail doctor --send-test` from the mailbox to itself.'
      : 'This message was sent by `wxmail doctor --send-test` from an account outside the organisation, as a customer would.',
    'It checks that Exchange Online accepts mail from this mailbox over authenticated SMTP',
    'and that the mailbox forwarding to Webex Connect is not bounced.',
    'It can be deleted.',
  ];
  return { messageId, nonce, subject, raw: `${headers.join('\r\n')}\r\n\r\n${body.join('\r\n')}\r\n` };
}
