import type { SimContext } from '../context.js';
import { header, type SimRequest } from '../http/types.js';
import type { SimClaims } from '../tokens.js';

export type AuthResult = { ok: true; claims: SimClaims } | { ok: false; status: 401; message: string };

/** Checks the bearer token: signature, lifetime (simulator clock), audience, tenant. */
export async function authenticate(ctx: SimContext, req: SimRequest, audience: string): Promise<AuthResult> {
  const h = header(req, 'authorization') ?? '';
  const m = /^bearer\s+(.+)$/i.exec(h.trim());
  if (!m || !m[1]) return { ok: false, status: 401, message: 'Access token is empty.' };
  const verdict = await ctx.tokens.verify(m[1].trim(), Math.floor(ctx.now().getTime() / 1000));
  if (!verdict.ok) {
    if (verdict.reason === 'expired') return { ok: false, status: 401, message: 'Lifetime validation failed, the token is expired.' };
    if (verdict.reason === 'malformed') return { ok: false, status: 401, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    return { ok: false, status: 401, message: 'Access token validation failure.' };
  }
  if (verdict.claims.aud !== audience) return { ok: false, status: 401, message: 'Access token validation failure. Invalid audience.' };
  if (verdict.claims.tid !== ctx.scenario.tenant.id) return { ok: false, status: 401, message: 'Access token validation failure. Invalid issuer or tenant.' };
  return { ok: true, claims: verdict.claims };
}

/** Permissions the token carries: app roles (app-only) or delegated scopes. */
export function grantedPermissions(claims: SimClaims): Set<string> {
  if (claims.idtyp === 'user' || claims.scp) return new Set((claims.scp ?? '').split(' ').filter(Boolean));
  return new Set(claims.roles ?? []);
}

export function hasAny(claims: SimClaims, needed: readonly string[]): boolean {
  const granted = grantedPermissions(claims);
  return needed.some((p) => granted.has(p));
}

export const WWW_AUTHENTICATE_GRAPH = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

