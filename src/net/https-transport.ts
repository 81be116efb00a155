import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { getProxyForUrl } from 'proxy-from-env';
import { openSocket } from './connect-tunnel.js';
import { tlsTrustOptions } from './tls-trust.js';

/**
 * The bytes of HTTP(S) for the Net: node:https / node:http with one keep-alive Agent per scheme.
 * Node's global fetch loads its bundled undici (and the proxy Agent the npm undici): a doctor run
 * on fetch peaked at 113 MB RSS, on node:https at 72 MB, and reaches its first request sooner.
 *
 * Failures are thrown as errors carrying a `code` (Node's socket/TLS/DNS codes, the tunnel's
 * SocketOpenError, or one of TRANSPORT_CODES below); `transportError` turns them into FactErrors.
 */

/** Codes this file gives the failures it causes itself. */
export const TRANSPORT_CODES = {
  /** TCP (+ TLS) not established within the connect timeout. */
  connectTimeout: 'WXMAIL_CONNECT_TIMEOUT',
  /** Headers + body not received within the request's timeout. */
  answerTimeout: 'WXMAIL_ANSWER_TIMEOUT',
  /** The run's (or the request's) signal aborted the exchange. */
  aborted: 'WXMAIL_ABORTED',
  /** The body is larger than MAX_BODY_BYTES (after decompression). */
  bodyTooLarge: 'WXMAIL_BODY_TOO_LARGE',
} as const;

/** A hostile or broken endpoint must not be able to exhaust memory; Graph pages are ~100 KB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface TransportOptions {
  tlsCa: string[] | undefined;
  connectTimeoutMs: number;
  /** The run's deadline: also bounds opening a proxy tunnel. */
  signal?: AbortSignal;
  /** Largest body read, bytes (tests lower it). */
  maxBodyBytes?: number;
}

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Headers + body, ms (timer starts with the request, so it also covers connecting). */
  timeoutMs: number;
  signals: AbortSignal[];
}

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie: the last one). */
  headers: Record<string, string>;
  text: string;
}

export interface Transport {
  exchange(req: WireRequest): Promise<WireResponse>;
  /** Closes every connection of both Agents (the run calls it once its requests are done). */
  close(): Promise<void>;
}

export function createTransport(o: TransportOptions): Transport {
  // Connections are reused across requests and shared by concurrent ones. Up to 64 per host (the
  // highest --concurrency) so no request waits for a socket while its timeout runs. An idle
  // connection is closed after 4 s (or the server's `Keep-Alive: timeout=` hint minus 1 s), before
  // a server's usual 5 s, so a request rarely meets a connection the server is closing.
  const agentOptions = { keepAlive: true, maxSockets: 64, timeout: 4_000 };
  const httpsAgent = connectingAgent(new https.Agent({ ...agentOptions, ...tlsTrustOptions(o.tlsCa) }), true, o);
  const httpAgent = connectingAgent(new http.Agent(agentOptions), false, o);
  const maxBody = o.maxBodyBytes ?? MAX_BODY_BYTES;

  function exchange(req: WireRequest): Promise<WireResponse> {
    return attempt(req, Date.now() + req.timeoutMs, true);
  }

  function attempt(req: WireRequest, deadline: number, mayRetry: boolean): Promise<WireResponse> {
    const secure = req.url.startsWith('https:');
    return new Promise((resolve, reject) => {
      let settled = false;
      let answered = false;
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const outgoing = (secure ? https : http).request(req.url, { method: req.method, headers, agent: secure ? httpsAgent : httpAgent }, (res) => {
        answered = true;
        onResponse(res);
      });
      const timer = setTimeout(() => fail(coded(TRANSPORT_CODES.answerTimeout, 'no answer in time')), Math.max(1, deadline - Date.now()));
      const onAbort = (): void => fail(coded(TRANSPORT_CODES.aborted, 'aborted'));
      for (const s of req.signals) s.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed while idle fails the request written on it
        // before any answer: the request never reached the service, so it goes once more on a
        // new connection (Node's documented pattern for `reusedSocket`).
        if (mayRetry && !settled && !answered && outgoing.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
          cleanup();
          resolve(attempt(req, deadline, false));
          return;
        }
        fail(err);
      });

      function cleanup(): void {
        settled = true;
        clearTimeout(timer);
        for (const s of req.signals) s.removeEventListener('abort', onAbort);
      }
      function fail(err: Error): void {
        if (settled) return;
        cleanup();
        outgoing.destroy();
        reject(err);
      }
      function onResponse(res: http.IncomingMessage): void {
        res.on('error', fail);
        const source = decoded(res, fail);
        const chunks: Buffer[] = [];
        let size = 0;
        let raw = 0;
        const tooLarge = (): void => fail(Object.assign(coded(TRANSPORT_CODES.bodyTooLarge, `more than ${maxBody} bytes`), { limitBytes: maxBody }));
        // Both sides of a decompressor are counted: neither a long stream nor a small bomb gets through.
        res.on('data', (c: Buffer) => {
          raw += c.length;
          if (raw > maxBody) tooLarge();
        });
        source.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBody) return tooLarge();
          chunks.push(c);
        });
        source.on('end', () => {
          if (settled) return;
          cleanup();
          let text = Buffer.concat(chunks).toString('utf8');
          // As fetch's text(): a UTF-8 byte order mark is not part of the text.
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.rawHeaders), text });
        });
        // A connection closed before the body ended (Node emits 'aborted' on the response, then error).
        res.on('aborted', () => fail(coded('ECONNRESET', 'the connection closed before the body ended')));
      }
      if (settled) return;
      for (const s of req.signals) if (s.aborted) return onAbort();
      outgoing.end(req.body);
    });
  }

  return {
    exchange,
    close(): Promise<void> {
      httpsAgent.destroy();
      httpAgent.destroy();
      return Promise.resolve();
    },
  };
}

/**
 * Gives the Agent its way of connecting: directly with a connect timeout, or through the CONNECT
 * tunnel of `openSocket` (the one tunnel for HTTP, SMTP and IMAP) when HTTPS_PROXY / HTTP_PROXY
 * names a proxy for the target and NO_PROXY does not exempt it. The tunnel opens asynchronously
 * through the Agent's callback, so the tunnelled connection is pooled and reused like a direct one.
 */
function connectingAgent<A extends http.Agent>(agent: A, secure: boolean, o: TransportOptions): A {
  const base = (secure ? https.Agent.prototype : http.Agent.prototype) as unknown as {
    createConnection(this: http.Agent, options: ConnectOptions, cb?: ConnectCallback): Duplex;
  };
  const scheme = secure ? 'https' : 'http';
  (agent as unknown as { createConnection: (options: ConnectOptions, cb: ConnectCallback) => Duplex | undefined }).createConnection = function (
    this: http.Agent,
    options: ConnectOptions,
    cb: ConnectCallback,
  ): Duplex | undefined {
    const host = String(options.host ?? 'localhost');
    const port = Number(options.port) || (secure ? 443 : 80);
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const proxy = getProxyForUrl(`${scheme}://${authority}`);
    if (!proxy) return armConnectTimeout(base.createConnection.call(this, options), secure, o.connectTimeoutMs);
    openSocket({ host, port, net: { proxyFor: () => new URL(proxy), tlsCa: o.tlsCa }, timeoutMs: o.connectTimeoutMs, ...(o.signal ? { signal: o.signal } : {}) }).then(
      ({ socket }) => {
        if (!secure) {
          socket.resume();
          cb(null, socket);
          return;
        }
        // TLS to the target inside the tunnel: the Agent's own TLS options (servername = target
        // host, the shared secureContext), as for a direct connection.
        cb(null, armConnectTimeout(base.createConnection.call(this, { ...options, socket }), true, o.connectTimeoutMs));
      },
      (err: Error) => cb(err),
    );
    return undefined;
  };
  return agent;
}

type ConnectOptions = http.ClientRequestArgs & { socket?: net.Socket };
type ConnectCallback = (err: Error | null, socket?: Duplex) => void;

/** Destroys a socket not connected (TCP, and TLS when secure) within `ms`. */
function armConnectTimeout(socket: Duplex, secure: boolean, ms: number): Duplex {
  const timer = setTimeout(() => socket.destroy(coded(TRANSPORT_CODES.connectTimeout, 'connect timeout')), Math.max(1, ms));
  const clear = (): void => clearTimeout(timer);
  socket.once(secure ? 'secureConnect' : 'connect', clear);
  socket.once('close', clear);
  return socket;
}

/** The body as sent, or decompressed when the server compressed it anyway (nothing asks it to). */
function decoded(res: http.IncomingMessage, fail: (err: Error) => void): NodeJS.ReadableStream {
  const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return res;
  decoder.on('error', fail);
  return res.pipe(decoder);
}

function flattenHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    out[name] = name in out && name !== 'set-cookie' ? `${out[name]}, ${value}` : value;
  }
  return out;
}

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
