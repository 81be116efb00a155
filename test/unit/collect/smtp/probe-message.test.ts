import { describe, expect, it } from 'vitest';
import { buildProbeMessage } from '../../../../src/collect/smtp/probe-message.js';

describe('buildProbeMessage', () => {
  it('builds a self-addressed mail with a unique Message-ID and a recognisable subject', () => {
    const m = buildProbeMessage('john@contoso.com', new Date('2026-11-28T10:00:00Z'), 'deadbeef');
    expect(m.messageId).toBe('<wxmail-probe-deadbeef@wxmail.invalid>');
    expect(m.subject).toMatch(/^\[wxmail probe\] .*deadbeef$/);
    expect(m.raw).toContain('From: <john@contoso.com>\r\nTo: <john@contoso.com>\r\n');
    expect(m.raw).toContain('Message-ID: <wxmail-probe-deadbeef@wxmail.invalid>\r\n');
    expect(m.raw).toContain('Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n');
    expect(m.raw).not.toMatch(/[^\r]\n/);
  });

  it('draws a fresh nonce each time', () => {
    const a = buildProbeMessage('a@b.c', new Date());
    const b = buildProbeMessage('a@b.c', new Date());
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.nonce).toMatch(/^[0-9a-f]{16}$/);
  });
});
