import nock from 'nock';
import { SignJWT } from 'jose';
import { defaultRunConfig } from '../../../src/config/defaults.js';
import type { RunConfig } from '../../../src/config/types.js';
import type { CollectContext, FactDefinition } from '../../../src/core/fact.js';
import { silentLogger } from '../../../src/core/log.js';
import { createNet } from '../../../src/net/create-net.js';

/**
 * Contract tests: the collectors against Microsoft's real hosts (worldwide cloud defaults), with
 * every answer served by nock from Microsoft's documented examples. The Net is the production one
 * (node:https, src/net/https-transport.ts): nock intercepts node:http(s) and answers the request;
 * anything not mocked fails (test/unit/setup-no-network.ts), so no test reaches a network.
 */

export const LOGIN = 'https://login.microsoftonline.com';
export const GRAPH = 'https://graph.microsoft.com';
/** Tenant and client ids of this test (not from any example; the documented bodies carry their own). */
export const TENANT = 'b3f4c5d6-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
export const CLIENT = 'c1d2e3f4-5a6b-4c7d-8e9f-a0b1c2d3e4f5';
export const SECRET = 'Xq8~contract.test.secret.value.0123456789';
export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function contractConfig(over: Partial<RunConfig> = {}): RunConfig {
  return defaultRunConfig({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, timeoutMs: 20_000, checkTimeoutMs: 10_000, ...over });
}

/** A CollectContext on the production Net (retries off: a documented 429 is not the subject here). */
export function contractCtx(config: RunConfig = contractConfig()): CollectContext {
  const memo = new Map<string, Promise<unknown>>();
  const ctx: CollectContext = {
    config,
    net: createNet(config, { maxRetries: 0 }),
    log: silentLogger(),
    signal: new AbortController().signal,
    services: new Map(),
    get<U>(fact: FactDefinition<U>, asset = null): Promise<U> {
      const key = `${fact.id}|${JSON.stringify(asset)}`;
      let p = memo.get(key) as Promise<U> | undefined;
      if (!p) {
        p = fact.collect(ctx, asset);
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

/**
 * The token endpoint's success answer for client credentials, as documented in "Microsoft identity
 * platform and the OAuth 2.0 client credentials flow", section "Successful response example"
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
 * `{ "token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciO…" }`.
 * The access token is a JWT with the claims the collectors decode.
 */
export async function mockToken(times = 1): Promise<nock.Scope> {
  const accessToken = await fakeJwt({ aud: GRAPH, tid: TENANT, appid: CLIENT, roles: ['Application.Read.All'], idtyp: 'app' });
  return nock(LOGIN)
    .post(`/${TENANT}/oauth2/v2.0/token`)
    .query(true)
    .times(times)
    .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken }, JSON_HEADERS);
}

/**
 * Graph's error body, as documented in "Microsoft Graph error responses and resource types"
 * (https://learn.microsoft.com/graph/errors): `{ "error": { "code", "message", "innerError":
 * { "code", "request-id", "date" } } }`, plus the `request-id` response header.
 */
export function graphError(code: string, message: string): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: { 'request-id': '2f91ee0a-e013-425b-a5cf-b1c44af4cb5a', date: '2024-06-26T14:27:59', 'client-request-id': '2f91ee0a-e013-425b-a5cf-b1c44af4cb5a' },
    },
  };
}

export const GRAPH_HEADERS = { ...JSON_HEADERS, 'request-id': '2f91ee0a-e013-425b-a5cf-b1c44af4cb5a' };

export { caught } from '../../helpers/caught.js';

/**
 * Graph answers `$batch` with 501 here, so the collectors fall back to single requests (they do so
 * for the rest of the run) and every read below is pinned to its documented single-request shape.
 * The batched path has its own tests against the simulator (test/integration/entra/graph-batch.test.ts).
 */
export function refuseGraphBatch(): nock.Scope {
  return nock(GRAPH)
    .post('/v1.0/$batch')
    .optionally()
    .reply(501, { error: { code: 'NotImplemented', message: 'Batching is not available here.' } }, JSON_HEADERS);
}

/**
 * G1 [V]: a per-user read first resolves the mailbox to its user with
 * `GET /users?$filter=mail eq '{addr}' or userPrincipalName eq '{addr}'&$select=id,userPrincipalName,mail`
 * (src/collect/graph/entra/mailbox-user.ts). The answer is the user collection of "List users"
 * (https://learn.microsoft.com/graph/api/user-list, "Get a user account using a sign-in name" / `$filter`
 * examples), trimmed by `$select`. `user` null answers the empty collection (no such user).
 */
export function mockMailboxUser(mailbox: string, user: { id: string; userPrincipalName: string; mail?: string } | null): nock.Scope {
  return nock(GRAPH)
    .get('/v1.0/users')
    .query({ $filter: `mail eq '${mailbox}' or userPrincipalName eq '${mailbox}'`, $select: 'id,userPrincipalName,mail' })
    .reply(
      200,
      { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,mail)', value: user ? [{ id: user.id, userPrincipalName: user.userPrincipalName, mail: user.mail ?? mailbox }] : [] },
      GRAPH_HEADERS,
    );
}

/** The second G1 filter (aliases): `proxyAddresses/any(p:p eq 'smtp:{addr}')`, answered empty. */
export function mockNoProxyAddressUser(mailbox: string): nock.Scope {
  return nock(GRAPH)
    .get('/v1.0/users')
    .query({ $filter: `proxyAddresses/any(p:p eq 'smtp:${mailbox}')`, $select: 'id,userPrincipalName,mail' })
    .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,mail)', value: [] }, GRAPH_HEADERS);
}
