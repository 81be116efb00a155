import type { SimContext } from '../context.js';
import { json, readJson, type SimHandler, type SimRequest, type SimResponse } from '../http/types.js';
import type { SimClaims } from '../tokens.js';
import { authenticate, hasAny, WWW_AUTHENTICATE_GRAPH } from './auth.js';
import { runBatch } from './batch.js';
import { GRAPH_ERRORS, graphError, graphFaultResponse, graphHeaders } from './errors.js';
import { contextWithSelect, matchesFilter, odataQuery, page, parseFilter, parseSelect, project } from './odata.js';
import { resolveGet } from './routes.js';
import { ACCESS_POLICY_DENIED, blockedByAccessPolicy } from './users.js';

export interface GraphOptions {
  /** Page size of collections without `$top` (small, so that tests and the doctor see paging). */
  pageSize?: number;
}

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** Microsoft Graph v1.0: the directory, policy and mailbox-settings reads the doctor makes. */
export function createGraphHandler(ctx: SimContext, opts: GraphOptions = {}): SimHandler {
  const pageSize = opts.pageSize ?? 2;

  const dispatch = async (req: SimRequest): Promise<SimResponse> => {
    const m = /^\/v1\.0(\/.*)?$/i.exec(req.path);
    if (!m) return graphError(req, 400, 'BadRequest', `Invalid version: ${req.path.split('/')[1] ?? ''}`, ctx.now());
    const auth = await authenticate(ctx, req, GRAPH_AUDIENCE);
    if (!auth.ok) return graphError(req, 401, 'InvalidAuthenticationToken', auth.message, ctx.now(), { 'www-authenticate': WWW_AUTHENTICATE_GRAPH });
    const path = m[1] ?? '/';
    if (/^\/\$batch\/?$/i.test(path)) {
      if (req.method !== 'POST') return graphError(req, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', ctx.now());
      return runBatch(ctx, req, readJson(req), (inner) => get(inner, auth.claims));
    }
    if (req.method !== 'GET') return graphError(req, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', ctx.now());
    return get(req, auth.claims);
  };

  /** A GET after authentication (also what each `$batch` item runs). */
  function get(req: SimRequest, claims: SimClaims): SimResponse {
    const path = req.path.replace(/^\/v1\.0/i, '') || '/';
    const r = resolveGet(ctx, req.base, path);
    if (r.kind === 'no-route') return err(req, GRAPH_ERRORS.badSegment(r.segment));
    // "A service principal can retrieve its own application and service principal details without
    // being granted any application permissions." (reference C1 [V]) — the objects only.
    const own = r.kind !== 'collection' && r.ownerAppId !== undefined && claims.idtyp !== 'user' && claims.appid.toLowerCase() === r.ownerAppId.toLowerCase();
    if (!own && !hasAny(claims, r.perms)) return err(req, GRAPH_ERRORS.denied);
    if (r.kind === 'missing') return err(req, r);
    if (r.kind === 'collection' && r.mailboxOf && claims.idtyp !== 'user' && blockedByAccessPolicy(ctx, claims.appid, r.mailboxOf)) return err(req, ACCESS_POLICY_DENIED);

    const select = parseSelect(req.query);
    if (r.kind === 'entity') {
      return ok(req, { '@odata.context': contextWithSelect(r.context, select), ...project(r.value, select, r.defaults) });
    }
    const filter = parseFilter(req.query);
    if (!filter.ok || (filter.filter && !r.filterable)) return err(req, { status: 400, code: 'Request_UnsupportedQuery', message: 'Unsupported Query.' });
    // G3: objects the caller may list but not read come back with only `@odata.type` and `id`.
    const readable = !r.fullInfo || hasAny(claims, r.fullInfo);
    const items = r.items.filter((i) => matchesFilter(i, filter.filter)).map((i) => (readable ? i : { '@odata.type': i['@odata.type'], id: i.id }));
    const p = page(items, req.query, pageSize);
    const body: Record<string, unknown> = { '@odata.context': contextWithSelect(r.context, select) };
    if (p.next) body['@odata.nextLink'] = `${req.base}${req.path}?${odataQuery(p.next)}`;
    body.value = p.items.map((i) => project(i, select));
    return ok(req, body);
  }

  function ok(req: SimRequest, body: unknown): SimResponse {
    return json(200, body, { 'odata-version': '4.0' });
  }

  function err(req: SimRequest, e: { status: number; code: string; message: string }): SimResponse {
    return graphError(req, e.status, e.code, e.message, ctx.now());
  }

  return dispatch;
}

export { graphFaultResponse, graphHeaders };
