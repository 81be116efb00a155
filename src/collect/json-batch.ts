/**
 * JSON batching, the one way the collectors coalesce reads: the requests issued within one tick
 * leave together in `$batch` requests, and each item's answer is handed back as if it were the
 * answer to a single request, so its errors map exactly as a single request's would. Used by
 * the Exchange admin API (exchange/command-batch.ts, G20 [O]) and Microsoft Graph
 * (graph/batch.ts, C7 [V]); each says how its batch is shaped.
 *
 * When the service refuses the batch itself (400/404/405/501, or an answer without
 * `responses`), the batcher falls back to single requests for the rest of the run. A `$batch`
 * is one request against the concurrency limit, when there is one.
 */
import type { CollectContext } from '../core/fact.js';
import { FactError } from '../core/fact-error.js';
import { retryAfterMs } from '../net/retry-after.js';

/** Extra attempts for an answer that says "wait" (429/503/504 inside a batch, or the service's own "busy"). */
const RETRIES = 3;
/** A batch answered with one of these was not understood as a batch: send singly from then on. */
const REFUSED = new Set([400, 404, 405, 501]);
/** Inside a batch nobody else retries these (Net retries them for a single request). */
const THROTTLED = new Set([429, 503, 504]);

/** One request as it would go out alone. */
export interface BatchCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
  /** What it reads, for messages (a cmdlet, a path). */
  label: string;
}

export interface BatchAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  requestId?: string;
}

/** How one service shapes its `$batch`. */
export interface BatchProtocol {
  batchUrl: string;
  /** Most items in one batch. */
  max: number;
  /** The service's per-tenant limit on requests in flight; a `$batch` is one. */
  slots: { acquire(): Promise<void>; release(): void };
  /** The batch item standing for a call (`id` is unique in its batch). */
  item(call: BatchCall, id: string): Record<string, unknown>;
  /** Headers of the `$batch` request itself. */
  headers(calls: BatchCall[]): Record<string, string>;
  /** An answer that asks to wait and try again, beyond 429/503/504. */
  busy?(answer: BatchAnswer): boolean;
}

interface Pending {
  call: BatchCall;
  attempt: number;
  /** Send this one alone (its batch answer lacked it). */
  solo: boolean;
  resolve(r: BatchAnswer): void;
  reject(e: unknown): void;
}

type Ctx = Pick<CollectContext, 'net' | 'signal'>;

export class JsonBatcher {
  readonly #queue: Pending[] = [];
  #scheduled = false;
  #draining = false;
  #refused = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly protocol: BatchProtocol,
  ) {}

  /** Whether `$batch` was refused in this run (single requests are used since). */
  get refused(): boolean {
    return this.#refused;
  }

  /** Sends one request, in a `$batch` with the requests of the same tick when there are several. */
  send(call: BatchCall): Promise<BatchAnswer> {
    return new Promise((resolve, reject) => this.#enqueue({ call, attempt: 0, solo: false, resolve, reject }));
  }

  #enqueue(p: Pending, front = false): void {
    if (front) this.#queue.unshift(p);
    else this.#queue.push(p);
    if (this.#scheduled || this.#draining) return;
    this.#scheduled = true;
    // setImmediate: every request started by the same resolved promise (a token) joins this batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        await this.protocol.slots.acquire();
        const items = this.#take();
        if (items.length === 0) {
          this.protocol.slots.release();
          break;
        }
        void this.#dispatch(items).finally(() => this.protocol.slots.release());
      }
    } finally {
      this.#draining = false;
    }
  }

  /** The next request's calls: up to `max`, or one when batching is off or the first must go alone. */
  #take(): Pending[] {
    const first = this.#queue[0];
    if (!first) return [];
    if (this.#refused || first.solo) return this.#queue.splice(0, 1);
    let n = 0;
    while (n < this.#queue.length && n < this.protocol.max && !this.#queue[n]!.solo) n++;
    return this.#queue.splice(0, n);
  }

  async #dispatch(items: Pending[]): Promise<void> {
    if (items.length === 1) {
      const p = items[0]!;
      let res: BatchAnswer;
      try {
        // A call this batcher already retried is not retried again by Net: one retry budget per call.
        res = await this.ctx.net.request<unknown>({ method: p.call.method, url: p.call.url, headers: p.call.headers, ...(p.call.body ? { body: p.call.body } : {}), signal: this.ctx.signal, ...(p.attempt > 0 ? { retry: false } : {}) });
      } catch (err) {
        p.reject(err);
        return;
      }
      this.#settle(p, res);
      return;
    }

    const calls = items.map((p) => p.call);
    const requests = calls.map((c, i) => this.protocol.item(c, String(i + 1)));
    let res: BatchAnswer;
    try {
      res = await this.ctx.net.request<unknown>({ method: 'POST', url: this.protocol.batchUrl, headers: this.protocol.headers(calls), body: { requests }, signal: this.ctx.signal });
    } catch (err) {
      for (const p of items) p.reject(err);
      return;
    }
    const responses = responsesOf(res.body);
    if (REFUSED.has(res.status) || (res.status >= 200 && res.status < 300 && !responses)) {
      // Not a batch this service (or a proxy) understands: every request goes alone from now on.
      this.#refused = true;
      for (const p of [...items].reverse()) this.#enqueue(p, true);
      return;
    }
    if (!responses) {
      // The whole batch failed (401/403, 5xx after retries): each request gets that answer as its own.
      for (const p of items) this.#settle(p, res);
      return;
    }
    items.forEach((p, i) => {
      const r = responses.get(String(i + 1));
      if (!r) {
        p.solo = true;
        this.#enqueue(p);
        return;
      }
      const h = lowerCaseHeaders(r.headers);
      const requestId = h['request-id'] ?? h['x-ms-request-id'] ?? res.requestId;
      this.#settle(p, { status: r.status, headers: h, body: r.body, ...(requestId ? { requestId } : {}) });
    });
  }

  /** Hands an answer back, or waits and queues the request again when the answer says to. */
  #settle(p: Pending, res: BatchAnswer): void {
    const throttled = THROTTLED.has(res.status);
    const busy = res.status >= 400 && !!this.protocol.busy?.(res);
    if (!throttled && !busy) return p.resolve(res);
    if (p.attempt >= RETRIES) {
      if (!throttled) return p.resolve(res);
      return p.reject(
        new FactError('THROTTLED', `${hostOf(p.call.url)} kept answering ${res.status} to ${p.call.label} after ${p.attempt + 1} attempt(s).`, {
          details: 'The service asked to wait longer than the retries allow. Run again later, or raise `--timeout`.',
          evidence: { request: p.call.label, status: res.status, retryAfter: res.headers['retry-after'] ?? null, attempts: p.attempt + 1 },
          requestIds: res.requestId ? [res.requestId] : [],
        }),
      );
    }
    const wait = retryAfterMs(res.headers['retry-after']) ?? 500 * 2 ** p.attempt;
    p.attempt++;
    sleep(wait, this.ctx.signal).then(
      () => this.#enqueue(p),
      (err: unknown) => p.reject(err),
    );
  }
}

interface ItemAnswer {
  status: number;
  headers: unknown;
  body: unknown;
}

function responsesOf(body: unknown): Map<string, ItemAnswer> | null {
  const list = body && typeof body === 'object' ? (body as { responses?: unknown }).responses : undefined;
  if (!Array.isArray(list)) return null;
  const out = new Map<string, ItemAnswer>();
  for (const r of list) {
    if (!r || typeof r !== 'object') continue;
    const { id, status, headers, body: b } = r as Record<string, unknown>;
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof status !== 'number') continue;
    out.set(String(id), { status, headers, body: b });
  }
  return out;
}

function lowerCaseHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h || typeof h !== 'object') return out;
  for (const [k, v] of Object.entries(h)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the service';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const late = () => new FactError('TIMEOUT', 'The run deadline passed while waiting to retry.');
    if (signal.aborted) return reject(late());
    const onAbort = () => {
      clearTimeout(t);
      reject(late());
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
