import { SignJWT } from 'jose';
import type { MockOrigins } from '../../mock-origins.js';
import type { Asset, RunConfig } from '../../../../src/config/types.js';
import { factKey, type CollectContext, type FactDefinition } from '../../../../src/core/fact.js';
import { silentLogger } from '../../../../src/core/log.js';
import { createNet } from '../../../../src/net/create-net.js';
import { defaultRunConfig } from '../../../../src/config/defaults.js';

export const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
export const CLIENT = '56ba9bac-67be-4bd2-b551-47258e7ead62';
export const SECRET = 'L1e8Q~B5rzySjA6wI3PqgNqZkdVd1zpTJm4Xw7Rk';
export const LOGIN = 'https://login.example.test';
export const GRAPH = 'https://graph.example.test';

/** A resolved RunConfig for collector tests: endpoints overridden to the mock origins. */
export function testConfig(over: Partial<RunConfig> = {}): RunConfig {
  return defaultRunConfig({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    endpoints: {
      login: LOGIN,
      graph: GRAPH,
      exchange: 'https://exchange.example.test',
      smtpHost: 'smtp.example.test',
      smtpPort: 587,
      imapHost: 'imap.example.test',
      imapPort: 993,
    },
    endpointOverrides: { login: true, graph: true, exchange: true },
    timeoutMs: 30_000,
    checkTimeoutMs: 20_000,
    roundtripTimeoutMs: 60_000,
    ...over,
  });
}

export { mockOrigins } from '../../mock-origins.js';

/** A CollectContext on the production Net (nock answers: mockOrigins), with facts memoised as the runner does. */
export function testCtx(config: RunConfig): CollectContext {
  const memo = new Map<string, Promise<unknown>>();
  const ctx: CollectContext = {
    config,
    net: createNet(config, { maxRetries: 0 }),
    log: silentLogger(),
    signal: new AbortController().signal,
    services: new Map(),
    get<U>(fact: FactDefinition<U>, asset: Asset | null = null): Promise<U> {
      // Asset-scoped facts are memoised per asset, as the fact store does (factKey).
      const key = factKey(fact, fact.scope === 'asset' ? asset : null);
      let p = memo.get(key) as Promise<U> | undefined;
      if (!p) {
        p = fact.collect(ctx, fact.scope === 'asset' ? asset : null);
        memo.set(key, p);
      }
      return p;
    },
  };
  return ctx;
}

export async function fakeJwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)));
}

export function openIdConfig(tenant = TENANT): Record<string, unknown> {
  const base = `${LOGIN}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    issuer: `${base}/v2.0`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export { caught } from '../../../helpers/caught.js';

/** Sign-in answered: the metadata and a token without roles. */
export async function withToken(agent: MockOrigins) {
  const pool = agent.get(LOGIN);
  pool.intercept({ path: `/${TENANT}/v2.0/.well-known/openid-configuration`, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
  pool
    .intercept({ path: (p) => p.startsWith(`/${TENANT}/oauth2/v2.0/token`), method: 'POST' })
    .reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: await fakeJwt({ roles: [] }) }, { headers: JSON_HEADERS });
}

/** Graph refuses `$batch` here (501): reads started together fall back to the single GETs these tests intercept. */
export function refuseBatch(agent: MockOrigins) {
  agent.get(GRAPH).intercept({ path: '/v1.0/$batch', method: 'POST' }).reply(501, { error: { code: 'NotImplemented', message: 'no batch here' } }, { headers: JSON_HEADERS });
}
