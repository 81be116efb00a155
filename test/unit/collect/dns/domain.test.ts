import { describe, expect, it } from 'vitest';
import { isHostname, mailDomainOf } from '../../../../src/collect/dns/domain.js';

describe('isHostname', () => {
  it.each(['mail-us.imiconnect.io', 'MAIL-EU.IMICONNECT.IO', 'contoso.com', 'a.b.c.xn--p1ai'])('accepts %s', (name) => {
    expect(isHostname(name)).toBe(true);
  });
  it.each(['localhost', 'mail-us', '-a.com', 'a-.com', 'a..com', 'a.com.', 'a_b.com', 'contoso.local1', '', `${'a'.repeat(64)}.com`])(
    'rejects %j',
    (name) => {
      expect(isHostname(name)).toBe(false);
    },
  );
});

describe('mailDomainOf', () => {
  it('returns the lower-cased domain of an address, ignoring surrounding spaces', () => {
    expect(mailDomainOf(' a41a@Mail-US.imiconnect.io ')).toBe('mail-us.imiconnect.io');
  });
  it.each(['no-at.example.com', 'a@b@c.com', '@contoso.com', 'a@contoso', 'a@'])('returns null for %j', (address) => {
    expect(mailDomainOf(address)).toBeNull();
  });
});
