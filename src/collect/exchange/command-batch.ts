/**
 * The Exchange admin API's `$batch`: the InvokeCommand calls of one tick cost one round trip
 * instead of one per cmdlet (issue 9). The batching itself is json-batch.ts.
 *
 * The endpoint is NOT documented by Microsoft: its shape is observed ([O], reference G20,
 * CIPP-API `Modules/CIPPCore/Public/GraphHelper/New-ExoBulkRequest.ps1`):
 *   POST /adminapi/beta/{tenantId}/$batch
 *   {"requests":[{"id","method":"POST","url":"<absolute …/InvokeCommand URL>","body":{"CmdletInput":{…}},"headers":{…}}]}
 * at most 10 requests per batch, answered `{"responses":[{"id","status","body"}]}`, each body
 * shaped like a single InvokeCommand answer. CIPP sends every item the headers of a single call
 * (Authorization included) and the batch `Prefer: odata.maxpagesize=1000;odata.continue-on-error`.
 */
import type { CollectContext } from '../../core/fact.js';
import { JsonBatcher, type BatchAnswer } from '../json-batch.js';
import type { Semaphore } from '../../core/semaphore.js';

/** At most this many InvokeCommand requests per `$batch` (G20 [O], CIPP). */
export const MAX_BATCH = 10;
/** Reference D2 [O]: the admin API's "busy" answer, retried like a 429. */
const CONCURRENCY_MESSAGE = /maximum number of concurrent requests/i;

/** One InvokeCommand POST: the first page's URL or a nextLink, with the body and headers of a single call. */
export interface AdminCall {
  url: string;
  cmdlet: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export type AdminResponse = BatchAnswer;

export class CommandBatcher {
  readonly #batcher: JsonBatcher;

  constructor(ctx: Pick<CollectContext, 'net' | 'signal'>, batchUrl: string, slots: Semaphore) {
    this.#batcher = new JsonBatcher(ctx, {
      batchUrl,
      max: MAX_BATCH,
      slots,
      item: (call, id) => ({ id, method: 'POST', url: call.url, body: call.body, headers: call.headers }),
      headers: ([first]) => ({
        ...(first?.headers.authorization ? { authorization: first.headers.authorization } : {}),
        ...(first?.headers['x-anchormailbox'] ? { 'x-anchormailbox': first.headers['x-anchormailbox'] } : {}),
        prefer: 'odata.maxpagesize=1000;odata.continue-on-error',
      }),
      busy: (answer) => CONCURRENCY_MESSAGE.test(text(answer.body)),
    });
  }

  /** Whether `$batch` was refused in this run (single calls are used since). */
  get refused(): boolean {
    return this.#batcher.refused;
  }

  /** Sends one call, in a `$batch` with the calls of the same tick when there are several. */
  post(call: AdminCall): Promise<AdminResponse> {
    return this.#batcher.send({ method: 'POST', url: call.url, headers: call.headers, body: call.body, label: call.cmdlet });
  }
}

function text(body: unknown): string {
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '';
  }
}
