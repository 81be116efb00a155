import net from 'node:net';
import tls from 'node:tls';
import type { SimContext } from '../context.js';
import { ConnectionTracker, applyFault, listenOnLoopback, listenerTls } from '../mail/connections.js';
import { ImapSession } from './session.js';

export interface ImapListener {
  port: number;
  close(): Promise<void>;
}

/**
 * outlook.office365.com:993 on loopback: implicit TLS with the simulator's certificate, then an
 * Exchange-flavoured IMAP4rev1 session (session.ts). Hand-written on node:net/node:tls, as
 * libraries.md §4 recommends (exact Microsoft wording, per-scenario control).
 *
 * Connection faults (path `CONNECT`) act after the TLS handshake and before the greeting: latency
 * delays the greeting, hang never sends it, reset drops the TCP connection, status says BYE.
 */
export async function startImapServer(ctx: SimContext, port = 0): Promise<ImapListener> {
  const material = await listenerTls(ctx, 'imap');
  const secureContext = tls.createSecureContext({ key: material.key, cert: material.cert });
  const tracker = new ConnectionTracker();
  const server = net.createServer((raw) => {
    tracker.track(raw);
    raw.on('error', () => undefined);
    ctx.traffic.record('imap', 'CONNECT');
    const socket = new tls.TLSSocket(raw, { isServer: true, secureContext });
    socket.on('error', () => raw.destroy());
    socket.once('secure', () => {
      applyFault(ctx.faults.take('imap', 'CONNECT'), raw, tracker, () => new ImapSession(ctx, socket, raw, tracker).start(), {
        status: () => socket.end('* BYE Server Unavailable. 15\r\n'),
      });
    });
  });
  return listenOnLoopback(server, port, tracker);
}
