/** `$select`: the listed properties only (case-insensitive names), plus OData annotations. */
export function project(obj: Record<string, unknown>, select: string[] | undefined, defaults?: string[]): Record<string, unknown> {
  const keep = select ?? defaults;
  if (!keep) return obj;
  const wanted = new Set(keep.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k.startsWith('@odata.') || wanted.has(k.toLowerCase())) out[k] = v;
  return out;
}

export function parseSelect(q: URLSearchParams): string[] | undefined {
  const s = q.get('$select');
  if (!s) return undefined;
  return s.split(',').map((p) => p.trim()).filter(Boolean);
}

/** `@odata.context` with the `$select` list, as Graph writes it: `…#users(id,mail)/$entity`. */
export function contextWithSelect(context: string, select: string[] | undefined): string {
  if (!select) return context;
  const list = `(${select.join(',')})`;
  return context.endsWith('/$entity') ? `${context.slice(0, -'/$entity'.length)}${list}/$entity` : `${context}${list}`;
}

/** A minimal `$filter`: `prop eq 'value'` (what the doctor uses); anything else is unsupported. */
export function parseFilter(q: URLSearchParams): { ok: true; filter?: { prop: string; value: string } } | { ok: false } {
  const f = q.get('$filter');
  if (!f) return { ok: true };
  const m = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(f);
  if (!m) return { ok: false };
  return { ok: true, filter: { prop: m[1]!, value: m[2]!.replace(/''/g, "'") } };
}

export function matchesFilter(item: Record<string, unknown>, filter: { prop: string; value: string } | undefined): boolean {
  if (!filter) return true;
  const key = Object.keys(item).find((k) => k.toLowerCase() === filter.prop.toLowerCase());
  const v = key ? item[key] : undefined;
  return typeof v === 'string' && v.toLowerCase() === filter.value.toLowerCase();
}

/** A page of a collection; `$skiptoken` is the opaque offset of the next page. */
export function page<T>(items: T[], q: URLSearchParams, defaultSize: number): { items: T[]; next?: URLSearchParams } {
  const top = Number(q.get('$top'));
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, 999) : defaultSize;
  const token = q.get('$skiptoken');
  let offset = 0;
  if (token) {
    const n = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^sim-offset:/, ''));
    if (Number.isInteger(n) && n >= 0) offset = n;
  }
  const slice = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { items: slice };
  const next = new URLSearchParams(q);
  next.set('$skiptoken', Buffer.from(`sim-offset:${offset + size}`).toString('base64url'));
  return { items: slice, next };
}

/** A query string as Graph writes it in links: `$skiptoken`, not `%24skiptoken`. */
export function odataQuery(q: URLSearchParams): string {
  return q.toString().replace(/%24/g, '$');
}
