import { isIPv4, isIPv6 } from 'node:net';

/**
 * The name the doctor gives in EHLO: its own address as an address literal (RFC 5321 §4.1.3, G18
 * [V]): `[a.b.c.d]` for IPv4, `[IPv6:…]` for IPv6 (an IPv4-mapped IPv6 address is its IPv4 form),
 * `localhost` when the socket has no local address. A zone index (`%eth0`) is not part of a literal.
 */
export function ehloName(localAddress: string | undefined | null): string {
  const addr = (localAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  if (isIPv4(addr)) return `[${addr}]`;
  if (isIPv6(addr)) return `[IPv6:${addr}]`;
  return 'localhost';
}
