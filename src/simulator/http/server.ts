import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsMaterial } from '../certs.js';
import type { SimContext } from '../context.js';
import type { Fault } from '../scenario/schema.js';
import type { SimHandler, SimRequest, SimResponse } from './types.js';
import { html } from './types.js';

export type HttpService = 'login' | 'graph' | 'exchange';

export interface ServiceOptions {
  service: HttpService;
  ctx: SimContext;
  handler: SimHandler;
  tls: TlsMaterial;
  /** 0 (default) = a free port. */
  port?: number;
  /** This service's error body for an injected `status` fault (429/503 storms etc.). */
  faultResponse(status: number, req: SimRequest): SimResponse;
  /** What the traffic log records; default `METHOD path`. */
  describe?(req: SimRequest): string;
  /** The traffic log's service name for a request; default the listener's (`exchange-batch` for a `$batch`). */
  trafficService?(req: SimRequest): string;
  /** Headers every response of this service carries (request ids …), unless the handler set them. */
  commonHeaders?(req: SimRequest): Record<string, string>;
}

export interface RunningService {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * One HTTPS listener on 127.0.0.1: reads the body, records traffic, applies injected faults, then
 * dispatches. Every response carries a `Date` header from the simulator's (possibly skewed) clock,
 * which the doctor uses to detect clock skew.
 */
export async function startHttpsService(opts: ServiceOptions): Promise<RunningService> {
  const { ctx, service } = opts;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const server: Server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    void serve(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: `simulator: ${(e as Error).message}` } }));
      }
    });
  });

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const sreq = toSimRequest(req, body, baseOf(req, port));
    ctx.traffic.record(opts.trafficService?.(sreq) ?? service, opts.describe ? opts.describe(sreq) : requestSignature(sreq));

    const fault = ctx.faults.take(service, sreq.rawUrl);
    if (fault) {
      const done = await applyFault(fault, sreq, req, res);
      if (done) return;
    }
    if (stopped) return;
    const out = await opts.handler(sreq);
    send(res, sreq, out);
  }

  /** true when the fault answered (or swallowed) the request. */
  async function applyFault(fault: Fault, sreq: SimRequest, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'latency':
        await sleep(fault.ms ?? 1000);
        return false;
      case 'status': {
        const status = fault.status ?? 503;
        const out = opts.faultResponse(status, sreq);
        if (fault.retryAfterSeconds !== undefined) out.headers = { ...out.headers, 'retry-after': String(fault.retryAfterSeconds) };
        send(res, sreq, out);
        return true;
      }
      case 'reset': {
        // An RST where the socket allows it (ECONNRESET at the client), else an abrupt close without
        // an HTTP answer (TLS sockets have no TCP handle to reset: "other side closed").
        const sock = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
        try {
          if (typeof sock.resetAndDestroy !== 'function') throw new Error('no reset');
          sock.resetAndDestroy();
        } catch {
          sock.destroy();
        }
        return true;
      }
      case 'hang':
        // Never answer: the client's timeout must end it; stop() closes the socket.
        return true;
      case 'html': {
        const status = fault.status ?? 200;
        send(res, sreq, html(status, proxyPage(status)));
        return true;
      }
      default:
        return false;
    }
  }

  function send(res: ServerResponse, sreq: SimRequest, out: SimResponse): void {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string> = { ...(opts.commonHeaders?.(sreq) ?? {}), ...(out.headers ?? {}) };
    let payload: string | Buffer = '';
    if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) payload = out.body;
    else if (out.body !== undefined) {
      payload = JSON.stringify(out.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
    }
    res.setHeader('Date', ctx.now().toUTCString());
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('content-length', Buffer.byteLength(payload));
    res.writeHead(out.status);
    res.end(payload);
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

  return {
    port,
    url: `https://127.0.0.1:${port}`,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests and keep-alive sockets would keep close() waiting.
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function baseOf(req: IncomingMessage, port: number): string {
  // Links (nextLink, metadata endpoints) point back at the listener the client used.
  const host = req.headers.host ?? `127.0.0.1:${port}`;
  return `https://${host}`;
}

function toSimRequest(req: IncomingMessage, body: Buffer, base: string): SimRequest {
  const rawUrl = req.url ?? '/';
  const u = new URL(rawUrl, 'https://sim.invalid');
  let path = u.pathname;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    // keep the raw path: a malformed escape is the handler's 400/404 to give
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path, rawUrl, query: u.searchParams, headers: req.headers, body, base };
}

/** What a corporate proxy or load balancer answers instead of the API (the `html` fault). */
function proxyPage(status: number): string {
  const title = status === 200 ? 'Web Page Blocked' : `${status} Bad Gateway`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>The request could not be completed. Contact your network administrator.</p></body></html>\n`;
}

/**
 * What identifies a request in the traffic log: method, path, query (without msal's random
 * client-request-id) and a digest of the body, so the benchmark can tell a repeated request
 * from a different one to the same path (two token requests for two resources, two cmdlets).
 */
export function requestSignature(req: SimRequest): string {
  const query = new URLSearchParams(req.query);
  query.delete('client-request-id');
  const q = query.toString();
  const digest = req.body.length ? ` #${createHash('sha256').update(req.body).digest('hex').slice(0, 12)}` : '';
  return `${req.method} ${req.path}${q ? `?${q}` : ''}${digest}`;
}
