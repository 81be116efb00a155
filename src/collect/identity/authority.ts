import type { RunConfig } from '../../config/types.js';
import { FactError } from '../../core/fact-error.js';
import type { CollectContext } from '../../core/fact.js';
import { aadEvidence, mapAadError, parseAadError } from '../errors/aadsts.js';

/** The authority part of an msal configuration, ready to spread into `auth`. */
export interface AuthorityConfig {
  authority: string;
  knownAuthorities: string[];
  authorityMetadata: string;
  cloudDiscoveryMetadata: string;
  /** Where the metadata came from (evidence): built in, or fetched from the overridden login host. */
  source: 'built-in' | 'fetched';
  requestIds: string[];
}

const SERVICE_KEY = 'identity.authority';

/**
 * The authority metadata for the run's tenant, resolved once per run and shared by every msal
 * application (Webex identity, reader app, device-code reader).
 *
 * msal would otherwise fetch the OpenID metadata itself and, for an unknown tenant, fail with a
 * bare `endpoints_resolution_error` that hides AADSTS90002 (reference A3b). So: for the built-in
 * clouds the metadata is given up front (no discovery round trip; an unknown tenant is then
 * answered by the token endpoint with AADSTS90002), and for an overridden login host (the
 * simulator, a private endpoint) it is fetched here, once, where the error body can be read.
 */
export function resolveAuthority(ctx: CollectContext): Promise<AuthorityConfig> {
  let p = ctx.services.get(SERVICE_KEY) as Promise<AuthorityConfig> | undefined;
  if (!p) {
    p = computeAuthority(ctx);
    ctx.services.set(SERVICE_KEY, p);
  }
  return p;
}

async function computeAuthority(ctx: CollectContext): Promise<AuthorityConfig> {
  const { config } = ctx;
  const tenant = config.tenantId?.trim();
  if (!tenant) throw new FactError('INPUT_MISSING', 'No tenant configured (--tenant-id / WXMAIL_TENANT_ID).');
  const login = config.endpoints.login.replace(/\/+$/, '');
  if (!config.endpointOverrides.login) return builtInAuthority(login, tenant);
  const host = new URL(login).host;
  const authority = `${login}/${encodeURIComponent(tenant)}`;
  const discovery = cloudDiscovery(login, tenant, host);
  const url = `${authority}/v2.0/.well-known/openid-configuration`;
  const res = await ctx.net.request<unknown>({ method: 'GET', url, signal: ctx.signal });
  const requestIds = res.requestId ? [res.requestId] : [];
  if (res.status !== 200 || !isOpenIdConfig(res.body)) {
    const aad = parseAadError(res.body, res.status);
    if (aad) {
      const m = mapAadError(aad, { tenantId: tenant, clientId: config.clientId, credential: 'none' });
      throw new FactError(m.code, m.summary, { details: m.details, evidence: { ...aadEvidence(aad), metadataUrl: stripQuery(url) }, requestIds });
    }
    throw new FactError('UNEXPECTED_RESPONSE', `The OpenID metadata of tenant '${tenant}' could not be read (HTTP ${res.status}).`, {
      details: `\`GET ${stripQuery(url)}\` did not return an OpenID configuration (authorization_endpoint, token_endpoint, issuer, jwks_uri).`,
      evidence: { metadataUrl: stripQuery(url), status: res.status },
      requestIds,
    });
  }
  return {
    authority,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(res.body),
    cloudDiscoveryMetadata: discovery,
    source: 'fetched',
    requestIds,
  };
}

/**
 * For an overridden login host (the simulator, a private endpoint): Entra's conventional endpoints
 * under that host, the same built-in metadata a Microsoft cloud gets, so a client-credentials
 * request can leave before the host's own metadata arrives. Null for the built-in clouds, whose
 * authority never waits for a request.
 */
export function conventionalAuthority(ctx: CollectContext): AuthorityConfig | null {
  const { config } = ctx;
  const tenant = config.tenantId?.trim();
  if (!tenant || !config.endpointOverrides.login) return null;
  return builtInAuthority(config.endpoints.login.replace(/\/+$/, ''), tenant);
}

/** Entra's published v2 endpoints under `login` for `tenant`, with no request made. */
function builtInAuthority(login: string, tenant: string): AuthorityConfig {
  const host = new URL(login).host;
  return {
    authority: `${login}/${encodeURIComponent(tenant)}`,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(builtInMetadata(login, tenant)),
    cloudDiscoveryMetadata: cloudDiscovery(login, tenant, host),
    source: 'built-in',
    requestIds: [],
  };
}

/**
 * Would a token request sent with `guess` reach the endpoint `fetched` names? The same URL, or
 * Entra's v2 form on the same host with the tenant written another way (the metadata of
 * `contoso.onmicrosoft.com` names its endpoints by the tenant's GUID; both paths serve it, A1).
 */
export function sameTokenEndpoint(guess: AuthorityConfig, fetched: AuthorityConfig): boolean {
  const endpoint = (c: AuthorityConfig): URL | null => {
    const e = (JSON.parse(c.authorityMetadata) as { token_endpoint?: unknown }).token_endpoint;
    if (typeof e !== 'string') return null;
    try {
      return new URL(e);
    } catch {
      return null;
    }
  };
  const a = endpoint(guess);
  const b = endpoint(fetched);
  if (!a || !b || a.origin !== b.origin) return false;
  const entraForm = /^\/[^/]+\/oauth2\/v2\.0\/token$/;
  return a.pathname === b.pathname || (entraForm.test(a.pathname) && entraForm.test(b.pathname));
}

/** The v2 endpoints Entra publishes for a tenant (reference A1; the same shape as openid-configuration). */
export function builtInMetadata(login: string, tenant: string): Record<string, unknown> {
  const base = `${login}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    issuer: `${base}/v2.0`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  };
}

/** Instance discovery answered locally: the login host is its own (only) alias. */
function cloudDiscovery(login: string, tenant: string, host: string): string {
  return JSON.stringify({
    tenant_discovery_endpoint: `${login}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function isOpenIdConfig(body: unknown): body is Record<string, unknown> {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return ['authorization_endpoint', 'token_endpoint', 'issuer', 'jwks_uri'].every((k) => typeof b[k] === 'string');
}

/** For `entra.redirect-uri`'s probe: the tenant's authorize endpoint. */
export async function authorizeEndpoint(ctx: CollectContext): Promise<string> {
  const a = await resolveAuthority(ctx);
  const meta = JSON.parse(a.authorityMetadata) as { authorization_endpoint: string };
  return meta.authorization_endpoint;
}

export function tenantOf(config: RunConfig): string | undefined {
  return config.tenantId?.trim() || undefined;
}

function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}
