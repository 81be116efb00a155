/**
 * The identity API every collector uses (TEAM.md "Identity API"): one access token per resource
 * per identity, acquired once per run and memoised in ctx.services.
 *
 * - `who: 'webex'`: the Webex Connect app registration (client credentials) — the identity whose
 *   credentials the doctor tests (`entra.token`, SMTP probes).
 * - `who: 'reader'`: the configured reader (a second app, or an admin's device-code sign-in);
 *   without one, the Webex identity reads what it can.
 *
 * Failures throw FactError. For the Webex identity the code says what is wrong with its
 * credentials (SECRET_INVALID, TENANT_NOT_FOUND, …). For the reader, a refused sign-in is
 * READER_SIGN_IN_FAILED (status error: the tenant could not be read), while transport faults
 * keep their own codes (NETWORK, TIMEOUT, THROTTLED, UNEXPECTED_RESPONSE).
 */
import type { CollectContext } from '../../core/fact.js';
import { identityProvider } from './provider.js';
import type { Resource } from './resources.js';

export type { Resource } from './resources.js';
export type Who = 'webex' | 'reader';

export interface TokenClaims {
  aud?: string;
  iss?: string;
  tid?: string;
  appid?: string;
  oid?: string;
  roles?: string[];
  scp?: string;
  upn?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  idtyp?: string;
}

export interface AccessToken {
  /** The bearer token. Never log, print or store it (it is registered with the redactor). */
  token: string;
  claims: TokenClaims;
  identity: 'webex' | 'app' | 'device-code';
  clientId: string;
  requestId?: string;
}

/** A token for `resource` as `who`; memoised per run. Throws FactError. */
export function getAccessToken(ctx: CollectContext, who: Who, resource: Resource): Promise<AccessToken> {
  return identityProvider(ctx).token(who, resource);
}

/** Which identity reads Graph/Exchange in this run (for messages and the report's environment). */
export function readerKind(ctx: Pick<CollectContext, 'config'>): 'webex' | 'app' | 'device-code' {
  const r = ctx.config.reader;
  if (!r) return 'webex';
  return r.kind === 'device-code' ? 'device-code' : 'app';
}
