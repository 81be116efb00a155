import type { SimContext } from '../context.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { batchItemRequest, batchItems, type BatchItem } from '../http/batch-item.js';
import { graphError, graphFaultResponse, requestIds } from './errors.js';

const MAX_REQUESTS = 20;

/**
 * JSON batching (reference C7 [V]): at most 20 requests with unique ids; each answered with its
 * own status, and the responses come back in a different order than sent (reversed here), so a
 * client that pairs them by position breaks. Injected `status`/`latency` faults with a `path` that
 * matches an item's URL apply to that item (each request is throttled separately); faults without
 * a path (network latency) apply to the `$batch` request only, and other kinds not inside a batch.
 * Each item is in the traffic log too, marked `(in $batch)`.
 */
export async function runBatch(ctx: SimContext, outer: SimRequest, payload: unknown, get: (req: SimRequest) => SimResponse): Promise<SimResponse> {
  const bad = (message: string) => graphError(outer, 400, 'BadRequest', message, ctx.now());
  const parsed = batchItems(payload, MAX_REQUESTS);
  if (!parsed.ok) return bad(parsed.message);
  const items = parsed.items;

  const statusOf = new Map<string, number>();
  const responses: Record<string, unknown>[] = [];
  for (const it of items) {
    const failedDep = (it.dependsOn ?? []).find((d) => (statusOf.get(d) ?? 0) >= 400 || !statusOf.has(d));
    let res: SimResponse;
    if (failedDep !== undefined) {
      res = { status: 424, body: { error: { code: 'FailedDependency', message: `Dependent request ${failedDep} failed.` } } };
    } else {
      const inner = innerRequest(outer, it);
      ctx.traffic.record('graph', `${inner.method} ${inner.rawUrl} (in $batch)`);
      // Only faults aimed at a path: an item is not a network round trip of its own.
      const fault = ctx.faults.take('graph', inner.rawUrl, { pathOnly: true });
      if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms ?? 0));
      if (fault?.kind === 'status') {
        res = graphFaultResponse(ctx)(fault.status ?? 503, inner);
        if (fault.retryAfterSeconds !== undefined) res.headers = { ...res.headers, 'retry-after': String(fault.retryAfterSeconds) };
      } else if (it.method.toUpperCase() !== 'GET') {
        res = graphError(inner, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', ctx.now());
      } else {
        res = get(inner);
      }
      const ids = requestIds(inner);
      res.headers = { ...res.headers, 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId };
    }
    statusOf.set(it.id, res.status);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers ?? {})) headers[k.toLowerCase() === 'content-type' ? 'Content-Type' : k] = v;
    if (res.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
    responses.push({ id: it.id, status: res.status, headers, body: res.body });
  }
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'odata-version': '4.0' }, body: { responses: responses.reverse() } };
}

function innerRequest(outer: SimRequest, it: BatchItem): SimRequest {
  const rel = it.url.startsWith('/') ? it.url : `/${it.url}`;
  return batchItemRequest(outer, it, new URL(`/v1.0${rel}`, 'https://sim.invalid'), `/v1.0${rel}`, Buffer.alloc(0));
}
