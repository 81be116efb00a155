import { decodeJwt } from 'jose';
import type { TokenClaims } from './tokens.js';

const KEEP = ['aud', 'iss', 'tid', 'appid', 'oid', 'roles', 'scp', 'upn', 'iat', 'nbf', 'exp', 'idtyp'] as const;

/**
 * The claims of an access token, for diagnosis only: Microsoft warns not to depend on the
 * contents of tokens for its APIs (reference A2), so a token that cannot be decoded (an opaque
 * or encrypted one) yields no claims rather than an error. The token itself is never kept here.
 */
export function decodeClaims(token: string): TokenClaims {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(token) as Record<string, unknown>;
  } catch {
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const k of KEEP) {
    const v = payload[k];
    if (v === undefined) continue;
    if (k === 'roles') {
      if (Array.isArray(v)) out.roles = v.filter((r): r is string => typeof r === 'string');
    } else if (k === 'iat' || k === 'nbf' || k === 'exp') {
      if (typeof v === 'number') out[k] = v;
    } else if (typeof v === 'string') {
      out[k] = v;
    }
  }
  // v2 tokens carry azp instead of appid.
  if (out.appid === undefined && typeof payload.azp === 'string') out.appid = payload.azp;
  return out as TokenClaims;
}

/** The delegated scopes of a user token, split. */
export function scopesOf(claims: TokenClaims): string[] {
  return claims.scp ? claims.scp.split(' ').filter(Boolean) : [];
}
