import { describe, expect, it } from 'vitest';
import { ehloName } from '../../../../src/collect/smtp/ehlo-name.js';

// RFC 5321 §4.1.3 (G18): an IPv6 address literal is `[IPv6:…]`; a bare `[::1]` is not a valid literal.
describe('ehloName', () => {
  it.each([
    ['192.0.2.10', '[192.0.2.10]'],
    ['::ffff:192.0.2.10', '[192.0.2.10]'],
    ['2603:10a6:20b:1::7', '[IPv6:2603:10a6:20b:1::7]'],
    ['::1', '[IPv6:::1]'],
    ['fe80::1%eth0', '[IPv6:fe80::1]'],
    ['::ffff:c000:20a', '[IPv6:::ffff:c000:20a]'],
    [undefined, 'localhost'],
    ['', 'localhost'],
    ['not-an-address', 'localhost'],
  ])('%s → %s', (addr, name) => {
    expect(ehloName(addr)).toBe(name);
  });
});
