import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { batchItemRequest, batchItems, type BatchItem } from '../http/batch-item.js';
import { json, readJson, type SimRequest, type SimResponse } from '../http/types.js';
import { exchangeFaultResponse, exoError } from './errors.js';

/** At most 10 InvokeCommand requests per `$batch` (G20 [O], CIPP-API New-ExoBulkRequest.ps1). */
const MAX_REQUESTS = 10;

/**
 * The admin API's `$batch` (reference G20, [O] — observed in CIPP-API, not documented):
 * `{"requests":[{"id","method":"POST","url":"<absolute …/InvokeCommand URL>","body":{"CmdletInput":…},"headers":{…}}]}`,
 * answered `{"responses":[{"id","status","body"}]}` with each body shaped like a single
 * InvokeCommand answer. Each item runs as a single call would (its own authentication, errors
 * and paging); the answers come back in another order than sent (reversed here), so a client must
 * pair them by id. Only faults aimed at a path apply to an item: an item is not a network round
 * trip of its own. Wordings of the 400s are [I].
 */
export async function runBatch(ctx: SimContext, outer: SimRequest, invoke: (req: SimRequest) => Promise<SimResponse>): Promise<SimResponse> {
  const bad = (message: string) => exoError(400, 'BadRequest', message);
  const parsed = batchItems(readJson(outer), MAX_REQUESTS);
  if (!parsed.ok) return bad(parsed.message);
  const items = parsed.items;
  const answers = await Promise.all(
    items.map(async (it) => {
      const inner = innerRequest(outer, it);
      if (!inner) return { id: it.id, status: 400, body: (bad(`Invalid request URL: ${it.url}`).body as unknown) };
      const cmdlet = (it.body as { CmdletInput?: { CmdletName?: unknown } } | undefined)?.CmdletInput?.CmdletName;
      const digest = inner.body.length ? ` #${createHash('sha256').update(inner.body).digest('hex').slice(0, 12)}` : '';
      ctx.traffic.record('exchange', `${inner.method} ${inner.rawUrl.split('?')[0]}${digest} (in $batch)${typeof cmdlet === 'string' ? ` ${cmdlet}` : ''}`);
      const fault = ctx.faults.take('exchange', inner.rawUrl, { pathOnly: true });
      if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms ?? 0));
      let res: SimResponse;
      if (fault?.kind === 'status') res = exchangeFaultResponse(ctx)(fault.status ?? 503, inner);
      else if (it.method.toUpperCase() !== 'POST') res = exoError(405, 'MethodNotAllowed', 'The requested HTTP method is not allowed.');
      else res = await invoke(inner);
      return { id: it.id, status: res.status, body: res.body ?? null };
    }),
  );
  return json(200, { responses: answers.reverse() });
}

/** An item as the request it stands for (its URL is absolute, as CIPP sends it). */
function innerRequest(outer: SimRequest, it: BatchItem): SimRequest | null {
  let u: URL;
  try {
    u = new URL(it.url, outer.base);
  } catch {
    return null;
  }
  return batchItemRequest(outer, it, u, `${u.pathname}${u.search}`, Buffer.from(it.body === undefined ? '' : JSON.stringify(it.body)));
}
