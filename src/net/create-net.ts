import { getProxyForUrl } from 'proxy-from-env';
import type { RunConfig } from '../config/types.js';
import { FactError } from '../core/fact-error.js';
import { recordRequestId } from '../core/request-ids.js';
import { createTransport, type WireResponse } from './https-transport.js';
import type { HttpRequest, HttpResponse, Net } from './net.js';
import { retryAfterMs } from './retry-after.js';
import { trustedCas } from './tls-trust.js';
import { stripQuery, transportError } from './transport-error.js';

export interface NetOptions {
  /** Default per-request timeout, ms. */
  timeoutMs?: number;
  /** Retries after 429/503/504 (each waits Retry-After, capped by the budget). */
  maxRetries?: number;
  /** Longest total wait spent on Retry-After per request, ms. */
  retryBudgetMs?: number;
  /** Deadline of the whole run: nothing waits past it. */
  signal?: AbortSignal;
  /** Largest response body read, bytes (default 32 MB; tests lower it). */
  maxBodyBytes?: number;
}

const RETRY_STATUSES = new Set([429, 503, 504]);

export function createNet(config: Pick<RunConfig, 'extraCaPems'>, opts: NetOptions = {}): Net {
  const tlsCa = trustedCas(config.extraCaPems);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const connectTimeoutMs = Math.min(timeoutMs, 10_000);
  // node:https with keep-alive Agents; trust is the one shared SecureContext of tls-trust.ts,
  // proxies the CONNECT tunnel of connect-tunnel.ts (https-transport.ts).
  const transport = createTransport({
    tlsCa,
    connectTimeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
  });
  const maxRetries = opts.maxRetries ?? 3;
  const retryBudgetMs = opts.retryBudgetMs ?? 30_000;

  async function once<T>(req: HttpRequest, perRequestMs: number): Promise<HttpResponse<T>> {
    const signals = [req.signal, opts.signal].filter((s): s is AbortSignal => !!s);
    const { body, contentType } = encodeBody(req.body);
    let res: WireResponse;
    try {
      // Redirects are answers (the authorize probe reads the 302 itself): node:http never follows
      // them. No accept-encoding is sent: bodies come as they are (a compressed one is still read).
      res = await transport.exchange({
        method: req.method,
        url: req.url,
        headers: requestHeaders({ accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) }, req.headers),
        ...(body !== undefined ? { body } : {}),
        timeoutMs: perRequestMs,
        signals,
      });
    } catch (err) {
      throw transportError(err, req.url, perRequestMs, connectTimeoutMs, getProxyForUrl(req.url) || undefined);
    }
    const { headers, text } = res;
    const requestId = headers['request-id'] ?? headers['x-ms-request-id'] ?? headers['client-request-id'];
    recordRequestId(requestId);
    return { status: res.status, headers, body: parseBody<T>(text, headers, res.status, req), ...(requestId ? { requestId } : {}) };
  }

  async function send<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const perRequestMs = req.timeoutMs ?? timeoutMs;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const res = await once<T>(req, perRequestMs);
      if (req.retry === false || !RETRY_STATUSES.has(res.status)) return res;
      const wait = retryAfterMs(res.headers['retry-after']) ?? 1000 * 2 ** attempt;
      if (attempt >= maxRetries || waited + wait > retryBudgetMs) {
        throw new FactError('THROTTLED', `${new URL(req.url).host} kept answering ${res.status} after ${attempt + 1} attempt(s).`, {
          details: `The service asked to wait ${Math.round(wait / 1000)} s more (Retry-After) than the retry budget allows. Run again later, or raise \`--timeout\`.`,
          evidence: { url: stripQuery(req.url), status: res.status, retryAfter: res.headers['retry-after'] ?? null, attempts: attempt + 1 },
          requestIds: res.requestId ? [res.requestId] : [],
        });
      }
      waited += wait;
      await sleep(wait, AbortSignal.any([req.signal, opts.signal].filter((s): s is AbortSignal => !!s)));
    }
  }

  return {
    request: send,
    close: () => transport.close(),
    tlsCa,
    proxyFor(host: string, port: number): URL | null {
      const proxy = getProxyForUrl(`https://${host}:${port}`);
      return proxy ? new URL(proxy) : null;
    },
  };
}

function encodeBody(body: HttpRequest['body']): { body?: string; contentType?: string } {
  if (body === undefined) return {};
  if (typeof body === 'string') return { body };
  if (body instanceof URLSearchParams) return { body: body.toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** Lower-case names; a caller's header replaces the default of the same name, whatever its case. */
function requestHeaders(defaults: Record<string, string>, given: Record<string, string> | undefined): Record<string, string> {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(given ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function parseBody<T>(text: string, headers: Record<string, string>, status: number, req: HttpRequest): T {
  if (req.expect === 'text') return text as T;
  if (text.trim() === '') return null as T;
  // A throttled answer is retried whatever its body (proxies answer 503 with HTML pages).
  const lenient = RETRY_STATUSES.has(status);
  const contentType = headers['content-type'] ?? '(none)';
  try {
    return JSON.parse(text) as T;
  } catch {
    if (lenient) return null as T;
    throw new FactError('UNEXPECTED_RESPONSE', `${new URL(req.url).host} answered ${status} with ${contentType.split(';')[0]} where JSON was expected.`, {
      details: 'A proxy, captive portal or firewall in the path may have answered instead of Microsoft.',
      evidence: { url: stripQuery(req.url), status, contentType, bodyStart: text.slice(0, 120) },
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new FactError('TIMEOUT', 'The run deadline passed while waiting to retry.'));
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new FactError('TIMEOUT', 'The run deadline passed while waiting to retry.'));
    }, { once: true });
  });
}
