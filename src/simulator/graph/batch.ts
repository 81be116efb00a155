import type { SimContext } from '../context.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { graphError, graphFaultResponse, requestIds } from './errors.js';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const MAX_REQUESTS = 20;

/**
 * JSON batching (reference C7 [V]): at most 20 requests with unique ids; each answered with its
 * own status, and the responses come back in a different order than sent (reversed here), so a
 * client that pairs them by position breaks. Injected `status`/`latency` faults whose path matches
 * an item's URL apply to that item (each request is throttled separately); other fault kinds do
 * not apply inside a batch.
 */
export async function runBatch(ctx: SimContext, outer: SimRequest, payload: unknown, get: (req: SimRequest) => SimResponse): Promise<SimResponse> {
  const bad = (message: string) => graphError(outer, 400, 'BadRequest', message, ctx.now());
  const requests = (payload as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests)) return bad('Invalid batch payload format.');
  if (requests.length === 0) return bad('Invalid batch payload format.');
  // [I] wording: Graph rejects more than 20 requests with 400 BadRequest.
  if (requests.length > MAX_REQUESTS) return bad(`The number of requests in the batch exceeds the limit of ${MAX_REQUESTS}.`);
  const items = requests as BatchItem[];
  const seen = new Set<string>();
  for (const it of items) {
    if (!it || typeof it.id !== 'string' || !it.id || typeof it.method !== 'string' || typeof it.url !== 'string') return bad('Invalid batch payload format.');
    if (seen.has(it.id)) return bad(`Batch request contains duplicate request Id: ${it.id}`);
    seen.add(it.id);
  }

  const statusOf = new Map<string, number>();
  const responses: Record<string, unknown>[] = [];
  for (const it of items) {
    const failedDep = (it.dependsOn ?? []).find((d) => (statusOf.get(d) ?? 0) >= 400 || !statusOf.has(d));
    let res: SimResponse;
    if (failedDep !== undefined) {
      res = { status: 424, body: { error: { code: 'FailedDependency', message: `Dependent request ${failedDep} failed.` } } };
    } else {
      const inner = innerRequest(outer, it);
      const fault = ctx.faults.take('graph', inner.rawUrl);
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
  const u = new URL(`/v1.0${rel}`, 'https://sim.invalid');
  let path = u.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep raw
  }
  const headers = { ...outer.headers };
  for (const [k, v] of Object.entries(it.headers ?? {})) headers[k.toLowerCase()] = v;
  return { method: it.method.toUpperCase(), path, rawUrl: `/v1.0${rel}`, query: u.searchParams, headers, body: Buffer.alloc(0), base: outer.base };
}
