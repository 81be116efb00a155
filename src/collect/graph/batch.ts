/**
 * Microsoft Graph JSON batching (reference C7 [V], GDC `concepts/json-batching.md`): the GETs of
 * one tick leave in `POST /v1.0/$batch` requests of at most 20, `{"requests":[{id,method,url}]}`
 * with URLs relative to `/v1.0`; the answers come back out of order, each with its own status
 * and headers (a 429 item carries its own Retry-After). The batching itself is json-batch.ts.
 */
import type { CollectContext } from '../../core/fact.js';
import { JsonBatcher } from '../json-batch.js';

/** At most 20 requests per Graph `$batch` (C7 [V]). */
export const GRAPH_BATCH_MAX = 20;
const KEY = 'graph.batcher';
/** Graph documents no per-tenant cap on requests in flight (it throttles with 429 instead). */
const NO_LIMIT = { acquire: async () => undefined, release: () => undefined };

export function graphBatcher(ctx: CollectContext): JsonBatcher {
  let b = ctx.services.get(KEY) as JsonBatcher | undefined;
  if (!b) {
    const base = `${ctx.config.endpoints.graph.replace(/\/+$/, '')}/v1.0`;
    b = new JsonBatcher(ctx, {
      batchUrl: `${base}/$batch`,
      max: GRAPH_BATCH_MAX,
      slots: NO_LIMIT,
      item: (call, id) => {
        const { authorization: _auth, ...headers } = call.headers;
        return { id, method: call.method, url: call.url.startsWith(base) ? call.url.slice(base.length) : call.url, ...(Object.keys(headers).length ? { headers } : {}) };
      },
      headers: ([first]): Record<string, string> => (first?.headers.authorization ? { authorization: first.headers.authorization } : {}),
    });
    ctx.services.set(KEY, b);
  }
  return b;
}

/**
 * A fleet's per-user paths: for `/users/{one asset's mailbox}/…` the same path of every other
 * asset's mailbox, so the runner's few-at-a-time progress through a fleet does not spread the
 * reads over many small batches (the Exchange side does the same, exchange/read-ahead.ts).
 */
export function fleetPaths(ctx: CollectContext, path: string): string[] {
  const mailboxes = [...new Set(ctx.config.assets.map((a) => a.mailbox?.trim()).filter((m): m is string => !!m))];
  if (mailboxes.length < 2) return [];
  const m = /^\/users\/([^/?]+)(.*)$/.exec(path);
  if (!m) return [];
  let segment: string;
  try {
    segment = decodeURIComponent(m[1]!).toLowerCase();
  } catch {
    return [];
  }
  if (!mailboxes.some((x) => x.toLowerCase() === segment)) return [];
  return mailboxes.filter((x) => x.toLowerCase() !== segment).map((x) => `/users/${encodeURIComponent(x)}${m[2]}`);
}
