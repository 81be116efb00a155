import { describe, expect, it } from 'vitest';
import { graphGet, graphGetWithIds } from '../../../../src/collect/graph/client.js';
import { appRegistrationFact } from '../../../../src/collect/graph/entra/app-registration.js';
import { consentPolicyFact } from '../../../../src/collect/graph/entra/consent.js';
import { CLIENT, GRAPH, JSON_HEADERS, caught, mockOrigins, refuseBatch, testConfig, testCtx, withToken } from '../identity/ctx.js';
import type { MockOrigins } from '../../mock-origins.js';

describe('graphGet', () => {
  it('sends the bearer token and $select, and memoises identical reads', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    let auth = '';
    agent
      .get(GRAPH)
      .intercept({ path: "/v1.0/applications(appId='abc')?$select=id,web", method: 'GET' })
      .reply((o) => {
        auth = String((o.headers as Record<string, string>).authorization);
        return { statusCode: 200, data: { id: 'x', web: {} }, responseOptions: { headers: { ...JSON_HEADERS, 'request-id': 'g-1' } } };
      });
    const ctx = testCtx(testConfig());
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
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/things', method: 'GET' }).reply(200, { value: [1, 2], '@odata.nextLink': `${GRAPH}/v1.0/things?$skiptoken=2` }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/things?$skiptoken=2', method: 'GET' }).reply(200, { value: [3] }, { headers: JSON_HEADERS });
    const r = await graphGet<{ value: number[] }>(testCtx(testConfig()), '/things', { permission: 'X', allPages: true });
    expect(r.value).toEqual([1, 2, 3]);
    expect(r).not.toHaveProperty('@odata.nextLink');
  });

  it('maps 403 to MISSING_PERMISSION naming the permission and the identity', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: '/v1.0/policies/authorizationPolicy', method: 'GET' }).reply(
      403,
      { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
      { headers: { ...JSON_HEADERS, 'request-id': 'g-403' } },
    );
    const e = await caught(graphGet(testCtx(testConfig()), '/policies/authorizationPolicy', { permission: 'Policy.Read.All' }));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission).toEqual({ name: 'Policy.Read.All', identity: `the Webex app ${CLIENT}`, api: 'Microsoft Graph' });
    expect(e.details).toContain('--reader-client-id');
    expect(e.requestIds).toEqual(['g-403']);
  });

  it('G8: a 403 ErrorAccessDenied [RAOP] on a mailbox read is MAILBOX_ACCESS_SCOPED naming Test-ApplicationAccessPolicy, not a missing permission', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: '/v1.0/users/u1/mailFolders/inbox/messageRules', method: 'GET' }).reply(
      403,
      // [O] the body real tenants answer (reference G8).
      { error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.' } },
      { headers: JSON_HEADERS },
    );
    const e = await caught(graphGet(testCtx(testConfig()), '/users/u1/mailFolders/inbox/messageRules', { permission: 'MailboxSettings.Read', mailbox: 'sales@fabrikam.test' }));
    expect(e.code).toBe('MAILBOX_ACCESS_SCOPED');
    expect(e.permission).toBeUndefined();
    expect(e.details).toContain(`Test-ApplicationAccessPolicy -Identity sales@fabrikam.test -AppId ${CLIENT}`);
    expect(e.details).toContain('Get-ApplicationAccessPolicy');
    expect(e.details).toContain('[O]');
    // A plain ErrorAccessDenied without the policy marker stays a missing permission.
    const agent2 = mockOrigins();
    await withToken(agent2);
    agent2.get(GRAPH).intercept({ path: '/v1.0/users/u1/mailFolders/inbox/messageRules', method: 'GET' }).reply(403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } }, { headers: JSON_HEADERS });
    expect((await caught(graphGet(testCtx(testConfig()), '/users/u1/mailFolders/inbox/messageRules', { permission: 'MailboxSettings.Read' }))).code).toBe('MISSING_PERMISSION');
  });

  it('returns null on 404 when asked, else UNEXPECTED_RESPONSE with the Graph code', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/users/nobody', method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'gone' } }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/users/other', method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'gone' } }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/boom', method: 'GET' }).reply(500, { error: { code: 'UnknownError', message: 'x' } }, { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig());
    expect(await graphGet(ctx, '/users/nobody', { permission: 'User.Read.All', notFound: 'null' })).toBeNull();
    expect((await caught(graphGet(ctx, '/users/other', { permission: 'User.Read.All' }))).code).toBe('UNEXPECTED_RESPONSE');
    const e = await caught(graphGet(ctx, '/boom', { permission: 'X' }));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.evidence).toMatchObject({ status: 500, graphCode: 'UnknownError' });
  });

  it('401 with a reader is READER_SIGN_IN_FAILED', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: '/v1.0/x', method: 'GET' }).reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'bad' } }, { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig({ reader: { kind: 'app', clientId: '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d', clientSecret: 'Rdr8Q~kP2vXw9LmN4bQ7tY1cZ6sH3jF5gD0aE8uI' } }));
    expect((await caught(graphGet(ctx, '/x', { permission: 'X' }))).code).toBe('READER_SIGN_IN_FAILED');
  });
});

describe('entra facts', () => {
  it('normalises the app registration (absent lists become empty) and says APP_NOT_FOUND on 404', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: (p) => p.startsWith(`/v1.0/applications(appId='${CLIENT}')`), method: 'GET' }).reply(200, { id: 'o', appId: CLIENT, displayName: 'W', web: { redirectUris: ['https://a/callback'] } }, { headers: JSON_HEADERS });
    const app = await appRegistrationFact.collect(testCtx(testConfig()), null);
    expect(app.web.redirectUris).toEqual(['https://a/callback']);
    expect(app.web.implicitGrantSettings.enableAccessTokenIssuance).toBe(false);
    expect(app.spa.redirectUris).toEqual([]);
    expect(app.passwordCredentials).toEqual([]);

    const agent2 = mockOrigins();
    await withToken(agent2);
    agent2.get(GRAPH).intercept({ path: (p) => p.startsWith('/v1.0/applications('), method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    expect((await caught(appRegistrationFact.collect(testCtx(testConfig()), null))).code).toBe('APP_NOT_FOUND');
  });

  it('reads permission classifications only under the low-impact policy', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    refuseBatch(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/policies/authorizationPolicy', method: 'GET' }).reply(
      200,
      { id: 'authorizationPolicy', defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.Microsoft-User-Default-Low'] } },
      { headers: JSON_HEADERS },
    );
    // G4: the policy list (first page) does not hold the assigned policy, so it is read by id; a 404
    // leaves it to the name-based fallback, which needs the classifications.
    pool.intercept({ path: '/v1.0/policies/permissionGrantPolicies', method: 'GET' }).reply(200, { value: [{ id: 'microsoft-company-admin', includes: [], excludes: [] }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/policies/permissionGrantPolicies/Microsoft-User-Default-Low', method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    pool.intercept({ path: "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id", method: 'GET' }).reply(200, { id: 'graph-sp' }, { headers: JSON_HEADERS });
    pool
      .intercept({ path: "/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')/delegatedPermissionClassifications", method: 'GET' })
      .reply(200, { value: [{ id: '1', classification: 'low', permissionId: 'p', permissionName: 'SMTP.Send' }] }, { headers: JSON_HEADERS });
    pool
      .intercept({ path: "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications", method: 'GET' })
      .reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    const p = await consentPolicyFact.collect(testCtx(testConfig()), null);
    expect(p.classifications?.exchange.map((c) => c.permissionName)).toEqual(['SMTP.Send']);
    expect(p.classifications?.graph).toEqual([]);
    expect(p.policies).toEqual([{ id: 'Microsoft-User-Default-Low', policy: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) }]);
    expect(p.graphSpId).toBe('graph-sp');

    const agent2 = mockOrigins();
    await withToken(agent2);
    refuseBatch(agent2);
    // No self-consent policy: the list and Graph's service principal, read alongside, are not consulted.
    agent2.get(GRAPH).intercept({ path: '/v1.0/policies/authorizationPolicy', method: 'GET' }).reply(200, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [] } }, { headers: JSON_HEADERS });
    const q = await consentPolicyFact.collect(testCtx(testConfig()), null);
    expect(q).toEqual({ permissionGrantPoliciesAssigned: [], policies: [], classifications: null, graphSpId: null });
    agent2.assertNoPendingInterceptors();
  });
});

describe('consent and assignment facts', () => {
  it('no service principal (404) means no consent, not an error', async () => {
    const { appRoleAssignmentsFact } = await import('../../../../src/collect/graph/entra/consent.js');
    const agent = mockOrigins();
    await withToken(agent);
    agent.get(GRAPH).intercept({ path: `/v1.0/servicePrincipals(appId='${CLIENT}')/appRoleAssignments`, method: 'GET' }).reply(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }, { headers: JSON_HEADERS });
    expect(await appRoleAssignmentsFact.collect(testCtx(testConfig()), null)).toEqual([]);
  });

  const usersQuery = (p: string, needle: string) => p.startsWith('/v1.0/users?') && (new URLSearchParams(p.slice(p.indexOf('?') + 1)).get('$filter') ?? '').includes(needle);
  const spReply = (agent: MockOrigins) =>
    agent.get(GRAPH).intercept({ path: (p) => p.startsWith(`/v1.0/servicePrincipals(appId='${CLIENT}')?`), method: 'GET' }).reply(200, { id: 'sp1', appId: CLIENT, accountEnabled: true, appRoleAssignmentRequired: true }, { headers: JSON_HEADERS });

  it('G1/G2: resolves each mailbox with $filter, then decides from /users/{id}/appRoleAssignments (direct groups only)', async () => {
    const { userAssignmentFact } = await import('../../../../src/collect/graph/entra/user-assignment.js');
    const agent = mockOrigins();
    await withToken(agent);
    spReply(agent);
    refuseBatch(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: '/v1.0/servicePrincipals/sp1/appRoleAssignedTo', method: 'GET' }).reply(
      200,
      { value: [{ principalId: 'u-direct', principalType: 'User' }, { principalId: 'g-1', principalType: 'Group', principalDisplayName: 'CC' }] },
      { headers: JSON_HEADERS },
    );
    // a: mail = UPN; b: mail differs from the UPN (found by mail); c: found only by proxy address; d: nobody.
    pool.intercept({ path: (p) => usersQuery(p, "mail eq 'a@contoso.com'"), method: 'GET' }).reply(200, { value: [{ id: 'u-direct', userPrincipalName: 'a@contoso.com' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => usersQuery(p, "mail eq 'b.b@contoso.com'"), method: 'GET' }).reply(200, { value: [{ id: 'u-group', userPrincipalName: 'bb@contoso.onmicrosoft.com' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => usersQuery(p, "mail eq 'c@contoso.com'"), method: 'GET' }).reply(200, { value: [] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => usersQuery(p, "proxyAddresses/any(p:p eq 'smtp:c@contoso.com')"), method: 'GET' }).reply(200, { value: [{ id: 'u-nested', userPrincipalName: 'cc@contoso.com' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => usersQuery(p, "mail eq 'd@contoso.com'"), method: 'GET' }).reply(200, { value: [] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => usersQuery(p, "'smtp:d@contoso.com'"), method: 'GET' }).reply(200, { value: [] }, { headers: JSON_HEADERS });
    let consistency = '';
    pool.intercept({ path: '/v1.0/users/u-direct/appRoleAssignments?$count=true', method: 'GET' }).reply((o) => {
      consistency = String((o.headers as Record<string, string>).ConsistencyLevel ?? (o.headers as Record<string, string>).consistencylevel);
      return { statusCode: 200, data: { value: [{ principalId: 'u-direct', principalType: 'User', resourceId: 'sp1' }] }, responseOptions: { headers: JSON_HEADERS } };
    });
    pool.intercept({ path: '/v1.0/users/u-group/appRoleAssignments?$count=true', method: 'GET' }).reply(
      200,
      { value: [{ principalId: 'other', principalType: 'Group', resourceId: 'another-sp' }, { principalId: 'g-1', principalType: 'Group', principalDisplayName: 'CC', resourceId: 'sp1' }] },
      { headers: JSON_HEADERS },
    );
    // u-nested is in g-1 only through g-2: Graph lists no assignment for it (no cascade).
    pool.intercept({ path: '/v1.0/users/u-nested/appRoleAssignments?$count=true', method: 'GET' }).reply(200, { value: [] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => p.startsWith('/v1.0/users/u-nested/transitiveMemberOf'), method: 'GET' }).reply(200, { value: [{ id: 'g-2', displayName: 'Inner' }, { id: 'g-1', displayName: 'CC' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => p.startsWith('/v1.0/users/u-nested/memberOf'), method: 'GET' }).reply(200, { value: [{ id: 'g-2', displayName: 'Inner' }] }, { headers: JSON_HEADERS });
    const config = testConfig({ assets: [{ mailbox: 'a@contoso.com' }, { mailbox: 'b.b@contoso.com' }, { mailbox: 'c@contoso.com' }, { mailbox: 'd@contoso.com' }] });
    const r = await userAssignmentFact.collect(testCtx(config), null);
    expect(r.required).toBe(true);
    expect(r.mailboxes.map((m) => [m.mailbox, m.userId, m.assigned, m.via])).toEqual([
      ['a@contoso.com', 'u-direct', true, 'direct'],
      ['b.b@contoso.com', 'u-group', true, 'group'],
      ['c@contoso.com', 'u-nested', false, null],
      ['d@contoso.com', null, false, null],
    ]);
    expect(r.mailboxes[1]!.viaGroups).toEqual(['CC']);
    expect(r.mailboxes[2]!.nestedOnly).toEqual([{ group: 'CC', through: ['Inner'] }]);
    expect(r.mailboxes[3]!.filtersTried).toEqual(["mail eq 'd@contoso.com' or userPrincipalName eq 'd@contoso.com'", "proxyAddresses/any(p:p eq 'smtp:d@contoso.com')"]);
    expect(consistency).toBe('eventual');
  });

  it('G2 fallback without Directory.Read.All: appRoleAssignedTo + the user\'s DIRECT memberOf; both failing is MISSING_PERMISSION naming Directory.Read.All', async () => {
    const { userAssignmentFact } = await import('../../../../src/collect/graph/entra/user-assignment.js');
    const denied = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } };
    const setup = async (memberOf: 'ok' | 'denied') => {
      const agent = mockOrigins();
      await withToken(agent);
      spReply(agent);
      refuseBatch(agent);
      const pool = agent.get(GRAPH);
      pool.intercept({ path: '/v1.0/servicePrincipals/sp1/appRoleAssignedTo', method: 'GET' }).reply(200, { value: [{ principalId: 'g-1', principalType: 'Group', principalDisplayName: 'CC' }] }, { headers: JSON_HEADERS });
      pool.intercept({ path: (p) => usersQuery(p, "mail eq 'o''brien@contoso.com'"), method: 'GET' }).reply(200, { value: [{ id: 'u1', userPrincipalName: 'ob@contoso.com' }] }, { headers: JSON_HEADERS });
      pool.intercept({ path: '/v1.0/users/u1/appRoleAssignments?$count=true', method: 'GET' }).reply(403, denied, { headers: JSON_HEADERS });
      const m = pool.intercept({ path: (p) => p.startsWith('/v1.0/users/u1/memberOf'), method: 'GET' });
      if (memberOf === 'ok') m.reply(200, { value: [{ id: 'g-1', displayName: 'CC' }] }, { headers: JSON_HEADERS });
      else m.reply(403, denied, { headers: JSON_HEADERS });
      return testCtx(testConfig({ assets: [{ mailbox: "o'brien@contoso.com" }] }));
    };
    const r = await userAssignmentFact.collect(await setup('ok'), null);
    expect(r.mailboxes[0]).toMatchObject({ assigned: true, via: 'group', source: 'appRoleAssignedTo+memberOf' });
    const e = await caught(userAssignmentFact.collect(await setup('denied'), null));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission?.name).toBe('Directory.Read.All');
    expect(e.details).toContain('GroupMember.Read.All');
  });
});
