import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/** What the stub answers for one name: MX records, or an rcode with no answer, or nothing at all. */
export type StubAnswer =
  | { mx: { exchange: string; preference: number }[] }
  | { rcode: 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'NOERROR' }
  | { silent: true };

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface DnsStub {
  /** `127.0.0.1:PORT`, the form config.dnsServer takes. */
  server: string;
  /** Questions received, lower-cased `TYPE name`. */
  queries: string[];
  close(): Promise<void>;
}

/** A UDP DNS server on loopback answering from a table; unknown names are NXDOMAIN. */
export async function startDnsStub(zone: Record<string, StubAnswer>): Promise<DnsStub> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const query = dnsPacket.decode(msg);
    const q = query.questions?.[0];
    if (!q) return;
    queries.push(`${q.type} ${q.name.toLowerCase()}`);
    const entry = zone[q.name.toLowerCase()] ?? { rcode: 'NXDOMAIN' };
    if ('silent' in entry) return;
    const answers =
      'mx' in entry && q.type === 'MX'
        ? entry.mx.map((data) => ({ type: 'MX' as const, name: q.name, ttl: 60, class: 'IN' as const, data }))
        : [];
    const rcode = 'rcode' in entry ? RCODE[entry.rcode] : 0;
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: query.questions ?? [],
      answers,
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
