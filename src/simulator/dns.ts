import dgram from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Packet } from 'dns-packet';
import type { Scenario } from './scenario/schema.js';

export interface DnsListener {
  port: number;
  close(): Promise<void>;
}

const NOERROR = 0;
const FORMERR = 1;
const NXDOMAIN = 3;
const TTL = 300;

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * The simulator's DNS, answering from `scenario.dns` (domain → MX hosts) and
 * `scenario.dnsAddresses` (name → addresses), as a public resolver would:
 * - MX for a listed domain: its exchangers with preference 10, 20, … in the listed order; a domain
 *   listed as `['.']` answers the null MX `0 .` (RFC 7505: it takes no mail);
 * - A/AAAA for a name in dnsAddresses: its IPv4/IPv6 addresses (a domain without MX but with an
 *   address receives mail through it, RFC 5321 §5.1);
 * - A for a listed exchanger: 127.0.0.1 (so nothing ever leaves loopback);
 * - any other type for a known name, or a domain listed with no exchangers: NOERROR, no answers;
 * - everything else: NXDOMAIN.
 */
export function answerQuery(scenario: Scenario, query: DecodedPacket): Packet {
  const domains = new Map(Object.entries(scenario.dns).map(([d, hosts]) => [norm(d), hosts]));
  const addresses = new Map(Object.entries(scenario.dnsAddresses).map(([n, ips]) => [norm(n), ips]));
  const exchangers = new Set([...domains.values()].flat().map(norm).filter((h) => h !== ''));
  const answers: Answer[] = [];
  let rcode = query.questions?.length ? NOERROR : FORMERR;
  for (const q of query.questions ?? []) {
    const name = norm(q.name);
    const hosts = domains.get(name);
    const ips = addresses.get(name);
    if (q.type === 'MX' && hosts) {
      if (hosts.length === 1 && hosts[0] === '.') {
        answers.push({ type: 'MX', name: q.name, ttl: TTL, class: 'IN', data: { preference: 0, exchange: '.' } });
      } else {
        hosts.forEach((exchange, i) => answers.push({ type: 'MX', name: q.name, ttl: TTL, class: 'IN', data: { preference: (i + 1) * 10, exchange } }));
      }
    } else if ((q.type === 'A' || q.type === 'AAAA') && ips) {
      const family = q.type === 'A' ? isIPv4 : isIPv6;
      for (const ip of ips.filter((a) => family(a))) answers.push({ type: q.type, name: q.name, ttl: TTL, class: 'IN', data: ip });
    } else if (q.type === 'A' && exchangers.has(name)) {
      answers.push({ type: 'A', name: q.name, ttl: TTL, class: 'IN', data: '127.0.0.1' });
    } else if (!hosts && !ips && !exchangers.has(name)) {
      rcode = NXDOMAIN;
    }
  }
  const recursion = query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
  return {
    type: 'response',
    id: query.id ?? 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | recursion | rcode,
    questions: query.questions ?? [],
    answers,
  };
}

/** A UDP DNS server on 127.0.0.1 (port 0 = any free port); usable with `Resolver.setServers(['127.0.0.1:PORT'])`. */
export async function startDnsServer(scenario: Scenario, port = 0): Promise<DnsListener> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return; // not DNS: ignore, as a real server drops garbage
    }
    if (query.type !== 'query') return;
    socket.send(dnsPacket.encode(answerQuery(scenario, query)), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  socket.on('error', () => undefined);
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
