import { describe, expect, it } from 'vitest';
import { graphGet, graphGetWithIds } from '../../../../src/collect/graph/client.js';
import { appRegistrationFact } from '../../../../src/collect/graph/entra/app-registration.js';
import { consentPolicyFact } from '../../../../src/collect/graph/entra/consent.js';
import { CLIENT, GRAPH, JSON_HEADERS, LOGIN, TENANT, caught, fakeJwt, mockAgent, openIdConfig, testConfig, testCtx } from '../identity/ctx.js';
import type { MockAgent } from 'undici';

async function withToken(agent: MockAgent) {
  const pool = agent.get(LOGIN);
  pool.intercept({ path: `/${TENANT}/v2.0/.well-known/openid-configuration`, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
  pool
    .intercept({ path: (p) => p.startsWith(`/${TENANT}/oauth2/v2.0/token`), method: 'POST' })
    .reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: await fakeJwt({ roles: [] }) }, { headers: JSON_HEADERS });
}

/** Graph refuses `$batch` here (501): reads started together fall back to the single GETs these tests intercept. */
function refuseBatch(agent: MockAgent) {
  agent.get(GRAPH).intercept({ path: '/v1.0/$batch', method: 'POST' }).reply(501, { error: { code: 'NotImplemented', message: 'no batch here' } }, { headers: JSON_HEADERS });
}

describe('graphGet', () => {
  it('sends the bearer token and $select, and memoises identical reads', async () => {
    const agent = mockAgent();
    await withToken(agent);
    let auth = '';
    agent
      .get(GRAPH)
      .intercept({ path: "/v1.0/applications(appId='abc')?$select=id,web", method: 'GET' })
      .reply((o) => {
        auth = String((o.headers as Record<string, string>).authorization);
        return { statusCode: 200, data: { id: 'x', web: {} }, responseOptions: { headers: { ...JSON_HEADERS, 'request-id': 'g-1' } } };
      });
    const ctx = testCtx(testConfig(), agent);
    const [a, b] = await Promise.all([
      graphGetWithIds<{ id: string }>(ctx, "/applications(appId='abc')", { select: ['id', 'web'], permission: 'Application.Read.All' }),
      graphGet<{ id: string }>(ctx, "/applications(appId='abc')", { select: ['id', 'web'], permission: 'Application.Read.All' }),
    ]);
    expect(a.body.id).toBe('x');
    expect(b.id).toBe('x');
    expect(a.requestIds).toEqual(['g-1']);
    expect(auth).toMatch(/^Bearer ey/);
    agent.assertNoPendingInterceptors();
  });

  it('follows @odata.nextLink and concatenates value', async () => {
    const agent = mockAgent();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/things', method: 'GET' }).reply(200, { value: [1, 2], '@odata.nextLink': `${GRAPH}/v1.0/things?$skiptoken=2` }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/things?$skiptoken=2', method: 'GET' }).reply(200, { value: [3] }, { headers: JSON_HEADERS });
    const r = await graphGet<{ value: number[] }>(testCtx(testConfig(), agent), '/things', { permission: 'X', allPages: true });
    expect(r.value).toEqual([1, 2, 3]);
    expect(r).not.toHaveProperty('@odata.nextLink');
  });

  it('maps 403 to MISSING_PERMISSION naming the permission and the identity', async () => {
    const agent = mockAgent();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: '/v1.0/policies/authorizationPolicy', method: 'GET' }).reply(
      403,
      { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
      { headers: { ...JSON_HEADERS, 'request-id': 'g-403' } },
    );
    const e = await caught(graphGet(testCtx(testConfig(), agent), '/policies/authorizationPolicy', { permission: 'Policy.Read.All' }));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission).toEqual({ name: 'Policy.Read.All', identity: `the Webex app ${CLIENT}`, api: 'Microsoft Graph' });
    expect(e.details).toContain('--reader-client-id');
    expect(e.requestIds).toEqual(['g-403']);
  });

  it('returns null on 404 when asked, else UNEXPECTED_RESPONSE with the Graph code', async () => {
    const agent = mockAgent();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/users/nobody', method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'gone' } }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/users/other', method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'gone' } }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/boom', method: 'GET' }).reply(500, { error: { code: 'UnknownError', message: 'x' } }, { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig(), agent);
    expect(await graphGet(ctx, '/users/nobody', { permission: 'User.Read.All', notFound: 'null' })).toBeNull();
    expect((await caught(graphGet(ctx, '/users/other', { permission: 'User.Read.All' }))).code).toBe('UNEXPECTED_RESPONSE');
    const e = await caught(graphGet(ctx, '/boom', { permission: 'X' }));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.evidence).toMatchObject({ status: 500, graphCode: 'UnknownError' });
  });

  it('401 with a reader is READER_SIGN_IN_FAILED', async () => {
    const agent = mockAgent();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: '/v1.0/x', method: 'GET' }).reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'bad' } }, { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig({ reader: { kind: 'app', clientId: '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d', clientSecret: 'Rdr8Q~kP2vXw9LmN4bQ7tY1cZ6sH3jF5gD0aE8uI' } }), agent);
    expect((await caught(graphGet(ctx, '/x', { permission: 'X' }))).code).toBe('READER_SIGN_IN_FAILED');
  });
});

describe('entra facts', () => {
  it('normalises the app registration (absent lists become empty) and says APP_NOT_FOUND on 404', async () => {
    const agent = mockAgent();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: (p) => p.startsWith(`/v1.0/applications(appId='${CLIENT}')`), method: 'GET' }).reply(200, { id: 'o', appId: CLIENT, displayName: 'W', web: { redirectUris: ['https://a/callback'] } }, { headers: JSON_HEADERS });
    const app = await appRegistrationFact.collect(testCtx(testConfig(), agent), null);
    expect(app.web.redirectUris).toEqual(['https://a/callback']);
    expect(app.web.implicitGrantSettings.enableAccessTokenIssuance).toBe(false);
    expect(app.spa.redirectUris).toEqual([]);
    expect(app.passwordCredentials).toEqual([]);

    const agent2 = mockAgent();
    await withToken(agent2);
    agent2.get(GRAPH).intercept({ path: (p) => p.startsWith('/v1.0/applications('), method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    expect((await caught(appRegistrationFact.collect(testCtx(testConfig(), agent2), null))).code).toBe('APP_NOT_FOUND');
  });

  it('reads permission classifications only under the low-impact policy', async () => {
    const agent = mockAgent();
    await withToken(agent);
    refuseBatch(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/policies/authorizationPolicy', method: 'GET' }).reply(
      200,
      { id: 'authorizationPolicy', defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.Microsoft-User-Default-Low'] } },
      { headers: JSON_HEADERS },
    );
    pool
      .intercept({ path: "/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')/delegatedPermissionClassifications", method: 'GET' })
      .reply(200, { value: [{ id: '1', classification: 'low', permissionId: 'p', permissionName: 'SMTP.Send' }] }, { headers: JSON_HEADERS });
    pool
      .intercept({ path: "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications", method: 'GET' })
      .reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    const p = await consentPolicyFact.collect(testCtx(testConfig(), agent), null);
    expect(p.classifications?.exchange.map((c) => c.permissionName)).toEqual(['SMTP.Send']);
    expect(p.classifications?.graph).toEqual([]);

    const agent2 = mockAgent();
    await withToken(agent2);
    agent2.get(GRAPH).intercept({ path: '/v1.0/policies/authorizationPolicy', method: 'GET' }).reply(200, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [] } }, { headers: JSON_HEADERS });
    const q = await consentPolicyFact.collect(testCtx(testConfig(), agent2), null);
    expect(q).toEqual({ permissionGrantPoliciesAssigned: [], classifications: null });
    agent2.assertNoPendingInterceptors();
  });
});

describe('consent and assignment facts', () => {
  it('no service principal (404) means no consent, not an error', async () => {
    const { appRoleAssignmentsFact } = await import('../../../../src/collect/graph/entra/consent.js');
    const agent = mockAgent();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: `/v1.0/servicePrincipals(appId='${CLIENT}')/appRoleAssignments`, method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    expect(await appRoleAssignmentsFact.collect(testCtx(testConfig(), agent), null)).toEqual([]);
  });

  it('with "Assignment required", finds mailbox users assigned directly or through a group', async () => {
    const { userAssignmentFact } = await import('../../../../src/collect/graph/entra/user-assignment.js');
    const agent = mockAgent();
    await withToken(agent);
    refuseBatch(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: (p) => p.startsWith(`/v1.0/servicePrincipals(appId='${CLIENT}')?`), method: 'GET' }).reply(200, { id: 'sp1', appId: CLIENT, accountEnabled: true, appRoleAssignmentRequired: true }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/servicePrincipals/sp1/appRoleAssignedTo', method: 'GET' }).reply(
      200,
      { value: [{ principalId: 'u-direct', principalType: 'User' }, { principalId: 'g-1', principalType: 'Group', principalDisplayName: 'CC' }] },
      { headers: JSON_HEADERS },
    );
    for (const [upn, id] of [['a@contoso.com', 'u-direct'], ['b@contoso.com', 'u-group'], ['c@contoso.com', 'u-none']] as const) {
      pool.intercept({ path: (p) => p.startsWith(`/v1.0/users/${encodeURIComponent(upn)}?`), method: 'GET' }).reply(200, { id, userPrincipalName: upn }, { headers: JSON_HEADERS });
    }
    pool.intercept({ path: (p) => p.startsWith('/v1.0/users/u-group/transitiveMemberOf'), method: 'GET' }).reply(200, { value: [{ id: 'g-1' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => p.startsWith('/v1.0/users/u-none/transitiveMemberOf'), method: 'GET' }).reply(200, { value: [{ id: 'g-2' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => p.startsWith(`/v1.0/users/${encodeURIComponent('d@contoso.com')}?`), method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    const config = testConfig({ assets: [{ mailbox: 'a@contoso.com' }, { mailbox: 'b@contoso.com' }, { mailbox: 'c@contoso.com' }, { mailbox: 'd@contoso.com' }] });
    const r = await userAssignmentFact.collect(testCtx(config, agent), null);
    expect(r.required).toBe(true);
    expect(r.mailboxes.map((m) => [m.mailbox, m.assigned, m.via])).toEqual([
      ['a@contoso.com', true, 'direct'],
      ['b@contoso.com', true, 'group'],
      ['c@contoso.com', false, null],
      ['d@contoso.com', false, null],
    ]);
  });
});
