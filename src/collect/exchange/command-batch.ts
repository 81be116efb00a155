/**
 * Coalesces the admin API calls issued within one tick into `$batch` requests, so that the
 * Exchange reads of a run cost one round trip instead of one per cmdlet (issue 9).
 *
 * The `$batch` endpoint is NOT documented by Microsoft: its shape is observed ([O], reference
 * G20, CIPP-API `Modules/CIPPCore/Public/GraphHelper/New-ExoBulkRequest.ps1`):
 *   POST /adminapi/beta/{tenantId}/$batch
 *   {"requests":[{"id","method":"POST","url":"<absolute …/InvokeCommand URL>","body":{"CmdletInput":{…}},"headers":{…}}]}
 * at most 10 requests per batch, answered `{"responses":[{"id","status","body"}]}`, each body
 * shaped like a single InvokeCommand answer. CIPP sends every item the same headers as a single
 * call (Authorization included) and `Prefer: odata.maxpagesize=1000;odata.continue-on-error`.
 *
 * Each item's answer is handed back as if it were the answer to a single call, so its errors map
 * exactly as a single call's would (admin-api.ts). When the service refuses the batch itself
 * (400/404/405/501, or an answer without `responses`), the batcher falls back to single calls for
 * the rest of the run. A `$batch` is one request against the per-tenant concurrency limit.
 */
import type { CollectContext } from '../../core/fact.js';
import { FactError } from '../../core/fact-error.js';
import { retryAfterMs } from '../../net/retry-after.js';
import type { Semaphore } from './semaphore.js';

/** At most this many InvokeCommand requests per `$batch` (G20 [O], CIPP). */
export const MAX_BATCH = 10;
/** Extra attempts for an answer that says "wait" (429/503/504 inside a batch, or the tenant's concurrency limit). */
const RETRIES = 3;
/** A batch answered with one of these was not understood as a batch: call singly from then on. */
const REFUSED = new Set([400, 404, 405, 501]);
/** Inside a batch nobody else retries these (Net retries them for a single call). */
const THROTTLED = new Set([429, 503, 504]);
const CONCURRENCY_MESSAGE = /maximum number of concurrent requests/i;

/** One InvokeCommand POST: the first page's URL or a nextLink, with the body and headers of a single call. */
export interface AdminCall {
  url: string;
  cmdlet: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface AdminResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  requestId?: string;
}

interface Pending {
  call: AdminCall;
  attempt: number;
  /** Send this one alone (its batch answer lacked it). */
  solo: boolean;
  resolve(r: AdminResponse): void;
  reject(e: unknown): void;
}

type Ctx = Pick<CollectContext, 'net' | 'signal'>;

export class CommandBatcher {
  readonly #queue: Pending[] = [];
  #scheduled = false;
  #draining = false;
  #refused = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly batchUrl: string,
    private readonly slots: Semaphore,
  ) {}

  /** Whether `$batch` was refused in this run (single calls are used since). */
  get refused(): boolean {
    return this.#refused;
  }

  /** Sends one call, in a `$batch` with the calls of the same tick when there are several. */
  post(call: AdminCall): Promise<AdminResponse> {
    return new Promise((resolve, reject) => this.#enqueue({ call, attempt: 0, solo: false, resolve, reject }));
  }

  #enqueue(p: Pending, front = false): void {
    if (front) this.#queue.unshift(p);
    else this.#queue.push(p);
    if (this.#scheduled || this.#draining) return;
    this.#scheduled = true;
    // setImmediate: every call started by the same resolved promise (the token) joins this batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        await this.slots.acquire();
        const items = this.#take();
        if (items.length === 0) {
          this.slots.release();
          break;
        }
        void this.#dispatch(items).finally(() => this.slots.release());
      }
    } finally {
      this.#draining = false;
    }
  }

  /** The next request's calls: up to MAX_BATCH, or one when batching is off or the first must go alone. */
  #take(): Pending[] {
    const first = this.#queue[0];
    if (!first) return [];
    if (this.#refused || first.solo) return this.#queue.splice(0, 1);
    let n = 0;
    while (n < this.#queue.length && n < MAX_BATCH && !this.#queue[n]!.solo) n++;
    return this.#queue.splice(0, n);
  }

  async #dispatch(items: Pending[]): Promise<void> {
    if (items.length === 1) {
      const p = items[0]!;
      let res: AdminResponse;
      try {
        res = await this.ctx.net.request<unknown>({ method: 'POST', url: p.call.url, headers: p.call.headers, body: p.call.body, signal: this.ctx.signal });
      } catch (err) {
        p.reject(err);
        return;
      }
      this.#settle(p, res);
      return;
    }

    const first = items[0]!.call.headers;
    const headers: Record<string, string> = {
      ...(first.authorization ? { authorization: first.authorization } : {}),
      ...(first['x-anchormailbox'] ? { 'x-anchormailbox': first['x-anchormailbox'] } : {}),
      prefer: 'odata.maxpagesize=1000;odata.continue-on-error',
    };
    const requests = items.map((p, i) => ({ id: String(i + 1), method: 'POST', url: p.call.url, body: p.call.body, headers: p.call.headers }));
    let res: AdminResponse;
    try {
      res = await this.ctx.net.request<unknown>({ method: 'POST', url: this.batchUrl, headers, body: { requests }, signal: this.ctx.signal });
    } catch (err) {
      for (const p of items) p.reject(err);
      return;
    }
    const responses = responsesOf(res.body);
    if (REFUSED.has(res.status) || (res.status >= 200 && res.status < 300 && !responses)) {
      // Not a batch this tenant (or a proxy) understands: every call goes alone from now on.
      this.#refused = true;
      for (const p of [...items].reverse()) this.#enqueue(p, true);
      return;
    }
    if (!responses) {
      // The whole batch failed (401/403, 5xx after retries): each call gets that answer as its own.
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

  /** Hands an answer back, or waits and queues the call again when the answer says to. */
  #settle(p: Pending, res: AdminResponse): void {
    const throttled = THROTTLED.has(res.status);
    const busy = res.status >= 400 && CONCURRENCY_MESSAGE.test(safeText(res.body));
    if (!throttled && !busy) return p.resolve(res);
    if (p.attempt >= RETRIES) {
      if (!throttled) return p.resolve(res);
      return p.reject(
        new FactError('THROTTLED', `${hostOf(p.call.url)} kept answering ${res.status} to ${p.call.cmdlet} after ${p.attempt + 1} attempt(s).`, {
          details: 'The Exchange admin API asked to wait longer than the retries allow. Run again later, or raise `--timeout`.',
          evidence: { cmdlet: p.call.cmdlet, status: res.status, retryAfter: res.headers['retry-after'] ?? null, attempts: p.attempt + 1 },
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

function safeText(body: unknown): string {
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the Exchange admin API';
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const late = () => new FactError('TIMEOUT', 'The run deadline passed while waiting to retry the Exchange admin API.');
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
