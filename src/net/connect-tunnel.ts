import net from 'node:net';
import tls from 'node:tls';
import type { Net } from './net.js';
import { tlsTrustOptions } from './tls-trust.js';

/**
 * The one way SMTP and IMAP sockets are opened: directly, or through an HTTP CONNECT tunnel when
 * `Net.proxyFor(host, port)` names a proxy (HTTPS_PROXY, NO_PROXY respected there — the same
 * decision the HTTP client makes). Proxy-Authorization comes from the proxy URL's userinfo.
 *
 * nodemailer and imapflow each bring their own proxy client, but they would decide and fail
 * differently; instead both get a socket opened here (nodemailer as `connection`, imapflow
 * through a `transport`), so stages, timeouts and error wording are the same for both.
 */

/** Where opening the socket failed. With a proxy, DNS and TCP to the destination are the proxy's job. */
export type OpenStage = 'dns' | 'tcp' | 'proxy';

export class SocketOpenError extends Error {
  override name = 'SocketOpenError';
  constructor(
    readonly stage: OpenStage,
    /** A Node error code (ENOTFOUND, ECONNREFUSED…), `TIMEOUT`, `ABORTED`, or `HTTP_<status>` from the proxy. */
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenSocketOptions {
  host: string;
  port: number;
  net: Pick<Net, 'proxyFor' | 'tlsCa'>;
  /** Bound for DNS + TCP (+ proxy handshake), ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface OpenedSocket {
  /**
   * Connected to the destination. It may be paused (bytes that arrived with the proxy's answer
   * are put back into it): attach listeners, then call `resume()` (or `pipe()`).
   */
  socket: net.Socket;
  via: 'direct' | 'proxy';
  /** The proxy as `scheme://host:port`, never with its credentials. */
  proxy: string | null;
}

const MAX_PROXY_HEADER_BYTES = 64 * 1024;

export async function openSocket(o: OpenSocketOptions): Promise<OpenedSocket> {
  const proxy = o.net.proxyFor(o.host, o.port);
  if (!proxy) return { socket: await connectDirect(o), via: 'direct', proxy: null };
  return { socket: await connectThroughProxy(proxy, o), via: 'proxy', proxy: describeProxy(proxy) };
}

/** A proxy URL without userinfo, safe for output. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function connectDirect(o: OpenSocketOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // An IP literal needs no lookup: a timeout can then only be the TCP stage.
    let looked = net.isIP(o.host) !== 0;
    const socket = net.connect({ host: o.host, port: o.port });
    const done = settle(socket, o, resolve, reject, () => (looked ? 'tcp' : 'dns'));
    socket.once('lookup', (err) => {
      if (!err) looked = true;
    });
    socket.once('connect', () => done.ok(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => done.fail(socketError(err, looked ? 'tcp' : 'dns', `${o.host}:${o.port}`)));
  });
}

function connectThroughProxy(proxy: URL, o: OpenSocketOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const secure = proxy.protocol === 'https:';
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
    const proxyPort = Number(proxy.port) || (secure ? 443 : 80);
    const where = describeProxy(proxy);
    if (proxy.protocol !== 'http:' && !secure) {
      reject(new SocketOpenError('proxy', 'EPROXY', `unsupported proxy scheme ${proxy.protocol} in HTTPS_PROXY (use http:// or https://)`));
      return;
    }
    const socket: net.Socket = secure
      ? tls.connect({ host: proxyHost, port: proxyPort, servername: net.isIP(proxyHost) ? undefined : proxyHost, ...tlsTrustOptions(o.net.tlsCa) })
      : net.connect({ host: proxyHost, port: proxyPort });
    const done = settle(socket, o, resolve, reject, () => 'proxy');
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const e = socketError(err, 'proxy', `the proxy ${where}`);
      done.fail(new SocketOpenError('proxy', e.errorCode, e.message));
    });
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      const authority = net.isIPv6(o.host) ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
      const headers = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (proxy.username || proxy.password) {
        const user = decodeUserinfo(proxy.username);
        const pass = decodeUserinfo(proxy.password);
        headers.push(`Proxy-Authorization: Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`);
      }
      socket.write(`${headers.join('\r\n')}\r\n\r\n`);
      let received = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) {
          if (received.length > MAX_PROXY_HEADER_BYTES) done.fail(new SocketOpenError('proxy', 'EPROXY', `the proxy ${where} sent an oversized answer to CONNECT`));
          return;
        }
        socket.removeListener('data', onData);
        const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
        const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(statusLine);
        const status = m ? Number(m[1]) : 0;
        if (status !== 200) {
          done.fail(proxyRefusal(status, m?.[2] ?? statusLine, where, authority));
          return;
        }
        // Bytes after the header block already belong to the tunnelled protocol (a banner).
        const rest = received.subarray(end + 4);
        socket.pause();
        if (rest.length > 0) socket.unshift(rest);
        done.ok(socket);
      };
      socket.on('data', onData);
    });
  });
}

function proxyRefusal(status: number, reason: string, where: string, authority: string): SocketOpenError {
  if (status === 407) {
    return new SocketOpenError('proxy', 'HTTP_407', `the proxy ${where} requires authentication (407 ${reason}); put user:password in the HTTPS_PROXY URL`);
  }
  if (status === 0) return new SocketOpenError('proxy', 'EPROXY', `the proxy ${where} did not answer CONNECT with HTTP (got "${reason.slice(0, 60)}")`);
  const hint = status === 502 || status === 504 ? ' — the proxy could not reach it (DNS or TCP from the proxy)' : status === 403 ? ' — the proxy does not allow this destination or port' : '';
  return new SocketOpenError('proxy', `HTTP_${status}`, `the proxy ${where} refused CONNECT ${authority}: ${status} ${reason}${hint}`);
}

function decodeUserinfo(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function socketError(err: NodeJS.ErrnoException, stage: OpenStage, what: string): SocketOpenError {
  const code = err.code ?? 'UNKNOWN';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'ESERVFAIL') {
    return new SocketOpenError(stage === 'proxy' ? 'proxy' : 'dns', code, `DNS lookup for ${what} failed (${code})`);
  }
  if (code === 'ECONNREFUSED') return new SocketOpenError(stage, code, `connection to ${what} refused (ECONNREFUSED)`);
  if (code === 'ECONNRESET') return new SocketOpenError(stage, code, `connection to ${what} reset (ECONNRESET)`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SocketOpenError(stage, code, `${what} is unreachable from this machine (${code})`);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new SocketOpenError(stage, code, `TLS certificate of ${what} not trusted (${code}); add its CA with --ca-file`);
  }
  return new SocketOpenError(stage, code, `${what}: ${err.message} (${code})`);
}

/** Resolves/rejects once, with the timeout and abort signal wired to destroy the socket. */
function settle(
  socket: net.Socket,
  o: OpenSocketOptions,
  resolve: (s: net.Socket) => void,
  reject: (e: Error) => void,
  stageNow: () => OpenStage,
): { ok(s: net.Socket): void; fail(e: SocketOpenError): void } {
  let finished = false;
  const timer = setTimeout(() => {
    fail(new SocketOpenError(stageNow(), 'TIMEOUT', `no connection to ${o.host}:${o.port} within ${seconds(o.timeoutMs)} s`));
  }, Math.max(1, o.timeoutMs));
  const onAbort = (): void => fail(new SocketOpenError(stageNow(), 'ABORTED', 'the run deadline passed while connecting'));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) queueMicrotask(onAbort);
  function cleanup(): void {
    finished = true;
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
  function fail(e: SocketOpenError): void {
    if (finished) return;
    cleanup();
    socket.destroy();
    reject(e);
  }
  return {
    ok(s) {
      if (finished) return;
      cleanup();
      // Our error handlers are done; a no-op stays until the consumer attaches its own, so an
      // error in between cannot crash the process (the consumer still sees it).
      s.removeAllListeners('error');
      s.on('error', () => undefined);
      resolve(s);
    },
    fail,
  };
}

function seconds(ms: number): string {
  return (Math.round(ms / 100) / 10).toString();
}
