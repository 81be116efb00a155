/**
 * The one Microsoft Graph reader (TEAM.md "Graph client"): GET with the reader identity's token
 * through Net.request, `$select`, paging, and Graph's failures turned into FactErrors that name
 * what to do (403 → MISSING_PERMISSION naming the least-privileged permission and the identity).
 * Every distinct GET is sent at most once per run (memoised in ctx.services); independent reads
 * started together leave together in one Graph `$batch` (batch.ts).
 */
import { FactError } from '../../core/fact-error.js';
import type { CollectContext } from '../../core/fact.js';
import { getAccessToken } from '../identity/tokens.js';
import { identitySpec } from '../identity/provider.js';
import { fleetPaths, graphBatcher } from './batch.js';

export interface GraphGetOptions {
  select?: string[];
  /** Least-privileged permission for this read, named in MISSING_PERMISSION. */
  permission: string;
  /** Follow @odata.nextLink and concatenate `value`. */
  allPages?: boolean;
  /** 404: return null, or throw (default). */
  notFound?: 'null' | 'throw';
  /** Extra request headers (e.g. `ConsistencyLevel: eventual` for advanced directory queries). */
  headers?: Record<string, string>;
  /** The mailbox a read is about: a 403 from an application access policy names it (G8). */
  mailbox?: string;
}

export interface GraphResult<T> {
  body: T;
  requestIds: string[];
}

/** Graph's error body: `{ error: { code, message, innerError: { request-id, date } } }`. */
interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: Record<string, unknown> };
}

const CACHE_KEY = 'graph.cache';
/** A runaway nextLink chain must not eat the run's deadline. */
const MAX_PAGES = 50;

export async function graphGet<T>(ctx: CollectContext, path: string, opts: GraphGetOptions): Promise<T> {
  return (await graphGetWithIds<T>(ctx, path, opts)).body;
}

/** graphGet, plus the Graph request ids (for a fact's evidence). */
export function graphGetWithIds<T>(ctx: CollectContext, path: string, opts: GraphGetOptions): Promise<GraphResult<T>> {
  const url = graphUrl(ctx, path, opts.select);
  const key = `${url}|${opts.allPages ? 'all' : 'one'}|${opts.notFound ?? 'throw'}|${JSON.stringify(opts.headers ?? {})}`;
  let cache = ctx.services.get(CACHE_KEY) as Map<string, Promise<GraphResult<unknown>>> | undefined;
  if (!cache) {
    cache = new Map();
    ctx.services.set(CACHE_KEY, cache);
  }
  let p = cache.get(key) as Promise<GraphResult<T>> | undefined;
  if (!p) {
    p = fetchGraph<T>(ctx, url, path, opts);
    cache.set(key, p as Promise<GraphResult<unknown>>);
    // A fleet: the same read for every other asset now, in the same $batch; their facts find it here.
    for (const other of fleetPaths(ctx, path)) graphGetWithIds(ctx, other, opts).catch(() => undefined);
  }
  return p;
}

export function graphUrl(ctx: Pick<CollectContext, 'config'>, path: string, select?: string[]): string {
  const base = `${ctx.config.endpoints.graph.replace(/\/+$/, '')}/v1.0${path.startsWith('/') ? path : `/${path}`}`;
  if (!select || select.length === 0) return base;
  return `${base}${base.includes('?') ? '&' : '?'}$select=${select.join(',')}`;
}

async function fetchGraph<T>(ctx: CollectContext, url: string, path: string, opts: GraphGetOptions): Promise<GraphResult<T>> {
  const token = await getAccessToken(ctx, 'reader', 'graph');
  const requestIds: string[] = [];
  let next: string | undefined = url;
  let first: Record<string, unknown> | null = null;
  const items: unknown[] = [];
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const headers = { ...opts.headers, authorization: `Bearer ${token.token}` };
    // The first page travels in a $batch with the other reads of this tick; nextLinks go alone.
    const res: { status: number; body: unknown; requestId?: string } =
      page === 0
        ? await graphBatcher(ctx).send({ method: 'GET', url: next, headers, label: stripQuery(path) })
        : await ctx.net.request<unknown>({ method: 'GET', url: next, headers, signal: ctx.signal });
    if (res.requestId) requestIds.push(res.requestId);
    if (res.status === 404 && opts.notFound === 'null' && page === 0) return { body: null as T, requestIds };
    if (res.status < 200 || res.status >= 300) throw graphError(ctx, path, opts, res.status, res.body, requestIds);
    const body = (res.body ?? {}) as Record<string, unknown>;
    if (!opts.allPages) return { body: body as T, requestIds };
    first ??= body;
    if (Array.isArray(body.value)) items.push(...(body.value as unknown[]));
    next = typeof body['@odata.nextLink'] === 'string' ? (body['@odata.nextLink'] as string) : undefined;
  }
  const { '@odata.nextLink': _drop, ...rest } = first ?? {};
  return { body: { ...rest, value: items } as T, requestIds };
}

function graphError(ctx: CollectContext, path: string, opts: GraphGetOptions, status: number, body: unknown, requestIds: string[]): FactError {
  const err = (body as GraphErrorBody | null)?.error;
  const graphCode = err?.code ?? null;
  const message = err?.message ? err.message.split(/\r?\n/)[0] : null;
  const evidence = { path: stripQuery(path), status, graphCode, graphMessage: message };
  const spec = identitySpec(ctx, 'reader');
  if (status === 403 && isAccessPolicyDenial(graphCode, err?.message)) return accessPolicyError(ctx, opts, evidence, requestIds);
  if (status === 403) {
    return new FactError('MISSING_PERMISSION', `${capitalise(spec.label)} lacks ${opts.permission} (Microsoft Graph) to read ${stripQuery(path)}.`, {
      permission: { name: opts.permission, identity: spec.label, api: 'Microsoft Graph' },
      details: howToGrant(spec.kind, opts.permission),
      evidence,
      requestIds,
    });
  }
  if (status === 401) {
    const code = spec.kind === 'webex' ? 'UNEXPECTED_RESPONSE' : 'READER_SIGN_IN_FAILED';
    return new FactError(code, `Microsoft Graph did not accept the token of ${spec.label} (HTTP 401${graphCode ? `, ${graphCode}` : ''}).`, {
      details: 'The token was issued for another cloud or tenant, or has expired. Check `--cloud` and the Graph endpoint.',
      evidence,
      requestIds,
    });
  }
  if (status === 404) {
    return new FactError('UNEXPECTED_RESPONSE', `Microsoft Graph found no ${stripQuery(path)} (HTTP 404${graphCode ? `, ${graphCode}` : ''}).`, { evidence, requestIds });
  }
  return new FactError('UNEXPECTED_RESPONSE', `Microsoft Graph answered HTTP ${status}${graphCode ? ` (${graphCode})` : ''} for ${stripQuery(path)}.`, {
    ...(message ? { details: `Graph said: "${message}"` } : {}),
    evidence,
    requestIds,
  });
}

/**
 * [O] An Exchange application access policy (or RBAC for Applications) scoping app-only mailbox
 * access answers a Graph mailbox read with `403 ErrorAccessDenied` "Access to OData is disabled:
 * [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings." (reference G8). The
 * permission is there; the mailbox is outside the app's scope.
 */
export function isAccessPolicyDenial(code: string | null, message: string | undefined | null): boolean {
  return code === 'ErrorAccessDenied' && /\[RAOP\]|AccessPolicy/i.test(message ?? '');
}

function accessPolicyError(ctx: CollectContext, opts: GraphGetOptions, evidence: Record<string, unknown>, requestIds: string[]): FactError {
  const spec = identitySpec(ctx, 'reader');
  const mailbox = opts.mailbox ?? ctx.config.assets[0]?.mailbox ?? '<mailbox>';
  const appId = spec.clientId ?? '<client-id>';
  return new FactError(
    'MAILBOX_ACCESS_SCOPED',
    `An Exchange application access policy keeps ${spec.label} out of ${mailbox} (Graph: 403 ErrorAccessDenied, [RAOP]); ${opts.permission} is granted but does not reach this mailbox.`,
    {
      details:
        `Exchange Online scopes the app's app-only mailbox access (New-ApplicationAccessPolicy, or RBAC for Applications), and ${mailbox} is outside that scope. ` +
        `Confirm: \`Test-ApplicationAccessPolicy -Identity ${mailbox} -AppId ${appId}\` (AccessCheckResult: Denied), and list the policies with \`Get-ApplicationAccessPolicy\`. ` +
        'This rests on an answer observed from real tenants [O], not on Microsoft\'s documentation.',
      evidence: { ...evidence, mailbox, appId },
      requestIds,
    },
  );
}

/** How to give the reading identity a Graph permission, or read with another identity. */
export function howToGrant(kind: 'webex' | 'app' | 'device-code', permission: string): string {
  const app =
    `Grant it: Microsoft Entra admin center → App registrations → the app → API permissions → Add a permission → Microsoft Graph → ` +
    `Application permissions → ${permission} → Add permissions → Grant admin consent.`;
  if (kind === 'webex') {
    return (
      `No reader identity is configured, so the Webex app reads the tenant itself; granting it ${permission} would widen what Webex Connect's credential can do. ` +
      `Run with a reader instead: a second app that has ${permission} (application, admin-consented) via \`--reader-client-id\` and \`--reader-client-secret-file\`, ` +
      `or sign in as an admin with \`--sign-in\` (device code).`
    );
  }
  if (kind === 'app') return `${app} Or sign in as an admin instead (\`--sign-in\`).`;
  return (
    `The signed-in admin's token lacks the delegated permission ${permission}, or the admin's directory role does not allow the read. ` +
    `Sign in as an admin who can consent to ${permission} (for example a Global Reader with consent granted by a Global Administrator), or use a reader app (\`--reader-client-id\`).`
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function stripQuery(p: string): string {
  const i = p.indexOf('?');
  return i < 0 ? p : p.slice(0, i);
}
