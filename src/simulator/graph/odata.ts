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

/**
 * One clause of a `$filter`: `prop eq 'value'`, `prop eq <guid>` (key properties such as
 * resourceId are compared unquoted, as Graph's examples write them), or
 * `prop/any(p:p eq 'value')` on a string collection (proxyAddresses). Clauses joined by `or`.
 */
export interface FilterClause {
  prop: string;
  value: string;
  any: boolean;
}

const CLAUSE = /^\s*(?:(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))|(\w+)\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\))\s*$/i;

/** A minimal `$filter` (the forms the doctor sends, reference G1); anything else is unsupported. */
export function parseFilter(q: URLSearchParams): { ok: true; filter?: FilterClause[] } | { ok: false } {
  const f = q.get('$filter');
  if (!f) return { ok: true };
  const clauses: FilterClause[] = [];
  // Split on ` or ` outside quotes.
  for (const part of f.split(/\s+or\s+(?=(?:[^']*'[^']*')*[^']*$)/i)) {
    const m = CLAUSE.exec(part);
    if (!m) return { ok: false };
    if (m[1]) clauses.push({ prop: m[1], value: (m[2] ?? m[3]!).replace(/''/g, "'"), any: false });
    else if (m[5] !== m[6]) return { ok: false };
    else clauses.push({ prop: m[4]!, value: m[7]!.replace(/''/g, "'"), any: true });
  }
  return { ok: true, filter: clauses };
}

export function matchesFilter(item: Record<string, unknown>, filter: FilterClause[] | undefined): boolean {
  if (!filter) return true;
  return filter.some((c) => {
    const key = Object.keys(item).find((k) => k.toLowerCase() === c.prop.toLowerCase());
    const v = key ? item[key] : undefined;
    const want = c.value.toLowerCase();
    if (c.any) return Array.isArray(v) && v.some((x) => typeof x === 'string' && x.toLowerCase() === want);
    return typeof v === 'string' && v.toLowerCase() === want;
  });
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
