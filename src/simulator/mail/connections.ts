import type net from 'node:net';
import type { Socket } from 'node:net';
import { generateTlsMaterial, type TlsMaterial } from '../certs.js';
import type { SimContext } from '../context.js';
import type { Fault } from '../scenario/schema.js';

/**
 * Every socket and timer a mail listener owns, so stop() can end hung sessions and pending
 * latency timers at once instead of waiting for clients to time out.
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  every(ms: number, fn: () => void): () => void {
    const t = setInterval(fn, ms);
    this.timers.add(t);
    return () => {
      clearInterval(t);
      this.timers.delete(t);
    };
  }

  destroyAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

/**
 * Applies a fault taken for a connection or command. `proceed` continues normally; returns without
 * calling it for reset (TCP RST), hang (silence until the client or stop() gives up) and the
 * protocol-specific `status`/`html` answers.
 */
export function applyFault(
  fault: Fault | undefined,
  socket: Socket | undefined,
  tracker: ConnectionTracker,
  proceed: () => void,
  answers: { status(code: number): void; html?(): void },
): void {
  if (!fault) return proceed();
  switch (fault.kind) {
    case 'latency':
      return tracker.later(fault.ms ?? 1000, () => {
        if (!socket?.destroyed) proceed();
      });
    case 'reset':
      socket?.resetAndDestroy();
      return;
    case 'hang':
      return;
    case 'status':
      return answers.status(fault.status ?? 421);
    case 'html':
      if (answers.html) return answers.html();
      socket?.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/html\r\n\r\n<html><body>Bad Request</body></html>');
      return;
    default:
      return proceed();
  }
}

/** The listener's certificate: the simulator's own, or a stranger's when the scenario injects `untrusted-cert` for this service. */
export async function listenerTls(ctx: SimContext, service: 'smtp' | 'imap'): Promise<TlsMaterial> {
  const injector = ctx.faults as SimContext['faults'] & { listenerFault?: (s: typeof service) => Fault | undefined };
  const fault = injector.listenerFault
    ? injector.listenerFault(service)
    : ctx.scenario.faults.find((f) => f.service === service && f.kind === 'untrusted-cert');
  return fault ? generateTlsMaterial('untrusted mail server') : ctx.tls;
}

/** Listens on 127.0.0.1; close() stops accepting and destroys every tracked socket (hung ones too). */
export async function listenOnLoopback(server: net.Server, port: number, tracker: ConnectionTracker): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        tracker.destroyAll();
      }),
  };
}
