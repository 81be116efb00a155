import type { SimRequest } from './types.js';

export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** The items of a `$batch` payload, or what is wrong with it (wordings [I], Graph's). */
export function batchItems(payload: unknown, max: number): { ok: true; items: BatchItem[] } | { ok: false; message: string } {
  const requests = (payload as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return { ok: false, message: 'Invalid batch payload format.' };
  if (requests.length > max) return { ok: false, message: `The number of requests in the batch exceeds the limit of ${max}.` };
  const items = requests as BatchItem[];
  const seen = new Set<string>();
  for (const it of items) {
    if (!it || typeof it.id !== 'string' || !it.id || typeof it.method !== 'string' || typeof it.url !== 'string') return { ok: false, message: 'Invalid batch payload format.' };
    if (seen.has(it.id)) return { ok: false, message: `Batch request contains duplicate request Id: ${it.id}` };
    seen.add(it.id);
  }
  return { ok: true, items };
}

/**
 * A request inside a `$batch` (Graph's or the Exchange admin API's) as the request it stands
 * for: its URL's decoded path and query, the batch's headers overlaid with the item's own.
 */
export function batchItemRequest(outer: SimRequest, item: { method: string; headers?: Record<string, string> }, url: URL, rawUrl: string, body: Buffer): SimRequest {
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep it raw
  }
  const headers = { ...outer.headers };
  for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = v;
  return { method: item.method.toUpperCase(), path, rawUrl, query: url.searchParams, headers, body, base: outer.base };
}
