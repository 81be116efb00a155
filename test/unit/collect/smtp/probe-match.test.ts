import { describe, expect, it } from 'vitest';
import { classifyMessage, ndrDiagnostic, type SeenMessage } from '../../../../src/collect/imap/probe-match.js';

const probe = { messageIds: ['<wxmail-probe-abc123@wxmail.invalid>', '<SERVER-ID@BN9PR.prod.outlook.com>'], nonce: 'abc123' };
const msg = (m: Partial<SeenMessage>): SeenMessage => ({ uid: 1, messageId: null, inReplyTo: null, subject: '', from: null, date: null, ...m });

describe('classifyMessage', () => {
  it('recognises the copy by Message-ID, or by the subject nonce when Exchange rewrote the id', () => {
    expect(classifyMessage(msg({ messageId: '<wxmail-probe-abc123@wxmail.invalid>', subject: 'x' }), probe)).toBe('copy');
    expect(classifyMessage(msg({ messageId: '<server-id@bn9pr.prod.outlook.com>' }), probe)).toBe('copy');
    expect(classifyMessage(msg({ messageId: '<other@x>', subject: '[wxmail probe] Webex Connect mail-flow test abc123' }), probe)).toBe('copy');
  });

  it('recognises an NDR by In-Reply-To or by a quoted subject', () => {
    expect(
      classifyMessage(
        msg({ messageId: '<ndr@x>', inReplyTo: '<wxmail-probe-abc123@wxmail.invalid>', subject: 'Undeliverable: [wxmail probe] … abc123', from: 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com' }),
        probe,
      ),
    ).toBe('ndr');
    expect(classifyMessage(msg({ messageId: '<ndr@x>', subject: 'Undeliverable: [wxmail probe] Webex Connect mail-flow test abc123' }), probe)).toBe('ndr');
    expect(classifyMessage(msg({ from: 'postmaster@contoso.com', subject: 'Delivery has failed abc123' }), probe)).toBe('ndr');
  });

  it('leaves a reply that refers to the probe but is no bounce to the caller', () => {
    expect(classifyMessage(msg({ messageId: '<r@x>', inReplyTo: '<wxmail-probe-abc123@wxmail.invalid>', subject: 'Automatic reply: hello' }), probe)).toBe('related');
  });

  it('ignores unrelated mail', () => {
    expect(classifyMessage(msg({ messageId: '<a@b>', subject: 'Undeliverable: something else', from: 'postmaster@contoso.com' }), probe)).toBeNull();
    expect(classifyMessage(msg({ messageId: '<a@b>', subject: 'Hello' }), probe)).toBeNull();
  });
});

describe('ndrDiagnostic', () => {
  const text = '550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)';

  it('reads the DSN Diagnostic-Code (folded lines too)', () => {
    const src = `Content-Type: message/delivery-status\r\n\r\nAction: failed\r\nStatus: 5.7.520\r\nDiagnostic-Code: smtp;550 5.7.520 Access denied, Your organization does not allow\r\n external forwarding. Please contact your administrator for further assistance. AS(7555)\r\n`;
    expect(ndrDiagnostic(src)).toEqual({ line: text, enhanced: '5.7.520' });
  });

  it("falls back to Exchange's human text, a bare reply line, then Status", () => {
    expect(ndrDiagnostic(`Generating server: x\r\nRemote Server returned '${text}'\r\n`)).toEqual({ line: text, enhanced: '5.7.520' });
    expect(ndrDiagnostic(`blah\r\n${text}\r\n`).enhanced).toBe('5.7.520');
    expect(ndrDiagnostic('Status: 5.1.1\r\n')).toEqual({ line: null, enhanced: '5.1.1' });
    expect(ndrDiagnostic('nothing')).toEqual({ line: null, enhanced: null });
  });
});
