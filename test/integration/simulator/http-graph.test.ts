import { readFileSync } from 'node:fs';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceSpId } from '../../../src/simulator/graph/resources.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { simAgent, clientCredentialsToken } from '../../helpers/sim.js';

const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
const EXO = '00000002-0000-0ff1-ce00-000000000000';

const s = structuredClone(loadScenario('healthy'));
s.tenant.securityDefaultsEnabled = true;
s.tenant.exchangePermissionClassifications = { 'SMTP.Send': 'low' };
s.apps.webex!.oauth2PermissionGrants = [{ resource: 'exchange', consentType: 'AllPrincipals', scopes: ['SMTP.Send', 'IMAP.AccessAsUser.All'] }];
s.groups.sales = { id: '1b6a5f4e-3d2c-4b1a-9f0e-8d7c6b5a4f31', displayName: 'Sales' };
s.groups.all = { id: '2b6a5f4e-3d2c-4b1a-9f0e-8d7c6b5a4f32', displayName: 'All staff', mail: 'all@contoso.com' };
s.users.john!.memberOf = ['contactCenter', 'sales', 'all'];
s.users.john!.mailbox!.inboxRules = {
  fwd: { displayName: 'To Webex', sequence: 1, isEnabled: true, hasError: false, forwardTo: ['x@mail-us.imiconnect.io'], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: false },
  keep: { displayName: 'Keep', sequence: 2, isEnabled: false, hasError: false, forwardTo: [], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: true },
  redir: { displayName: 'Redirect', sequence: 3, isEnabled: true, hasError: true, forwardTo: [], forwardAsAttachmentTo: [], redirectTo: ['y@example.com'], stopProcessingRules: false },
};
s.users.nomail = { id: '5d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0b', userPrincipalName: 'nomail@contoso.com', displayName: 'No Mailbox', accountEnabled: false, memberOf: [] };
s.apps.device = { ...structuredClone(s.apps.webex!), displayName: 'Device', appId: '3c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5e', objectId: '7a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9e', servicePrincipalId: 'ae8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6c', isFallbackPublicClient: true, deviceCodeUser: 'john', passwordCredentials: {}, requiredResourceAccess: [{ resource: 'graph', name: 'Directory.Read.All', type: 'Scope' }], appRoleAssignments: [], oauth2PermissionGrants: [] };

let sim: RunningSimulator;
let agent: Agent;
const tokens = {} as { reader: string; webex: string; readerExo: string; delegated: string };

const appToken = (appKey: string, scope: string): Promise<string> => clientCredentialsToken(sim.urls.login, TENANT, agent, s, appKey, scope);

async function deviceToken(): Promise<string> {
  const post = (path: string, form: Record<string, string>) =>
    request(`${sim.urls.login}/${TENANT}/oauth2/v2.0/${path}`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const dc = (await (await post('devicecode', { client_id: s.apps.device!.appId, scope: 'https://graph.microsoft.com/.default' })).body.json()) as { device_code: string };
  const form = { grant_type: 'device_code', client_id: s.apps.device!.appId, device_code: dc.device_code };
  await (await post('token', form)).body.dump();
  return ((await (await post('token', form)).body.json()) as { access_token: string }).access_token;
}

async function get(path: string, token: string | undefined, headers: Record<string, string> = {}) {
  const url = path.startsWith('https://') ? path : `${sim.urls.graph}${path}`;
  const r = await request(url, { dispatcher: agent, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: r.statusCode, headers: r.headers, body: (await r.body.json()) as Record<string, any> };
}

/** Follows @odata.nextLink to the end; returns all items and the number of pages. */
async function all(path: string, token: string): Promise<{ items: Record<string, any>[]; pages: number }> {
  const items: Record<string, any>[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const r = await get(next, token);
    expect(r.status).toBe(200);
    items.push(...r.body.value);
    next = r.body['@odata.nextLink'];
    pages++;
  }
  return { items, pages };
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  agent = simAgent(readFileSync(sim.caFile, 'utf8'));
  tokens.reader = await appToken('reader', 'https://graph.microsoft.com/.default');
  tokens.webex = await appToken('webex', 'https://graph.microsoft.com/.default');
  tokens.readerExo = await appToken('reader', 'https://outlook.office365.com/.default');
  tokens.delegated = await deviceToken();
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

describe('applications and service principals', () => {
  it('an app reads its own application and service principal with no permission (C1)', async () => {
    const a = await get(`/v1.0/applications(appId='${s.apps.webex!.appId}')`, tokens.webex);
    expect(a.status).toBe(200);
    expect(a.body['@odata.context']).toBe(`${sim.urls.graph}/v1.0/$metadata#applications/$entity`);
    expect(a.body).toMatchObject({
      id: s.apps.webex!.objectId,
      appId: s.apps.webex!.appId,
      web: { redirectUris: ['https://contoso.us.webexconnect.io/callback'], implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } },
      spa: { redirectUris: [] },
      publicClient: { redirectUris: [] },
    });
    expect(a.body.passwordCredentials).toEqual([expect.objectContaining({ keyId: '5f7981e4-9b3e-43ff-b2cf-297606955fff', hint: 'L1e', secretText: null, displayName: 'wxconnect' })]);
    expect(a.body.requiredResourceAccess).toContainEqual({ resourceAppId: EXO, resourceAccess: [{ id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', type: 'Role' }] });
    const sp = await get(`/v1.0/servicePrincipals(appId='${s.apps.webex!.appId}')`, tokens.webex);
    expect(sp.status).toBe(200);
    expect(sp.body).toMatchObject({ id: s.apps.webex!.servicePrincipalId, accountEnabled: true, appRoleAssignmentRequired: false });
  });

  it('…but not another app, nor its own appRoleAssignments: 403 in Graph\'s exact shape, with request ids', async () => {
    const r = await get(`/v1.0/applications(appId='${s.apps.reader!.appId}')`, tokens.webex, { 'client-request-id': 'probe-123' });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    expect(r.body.error.innerError).toMatchObject({ 'request-id': r.headers['request-id'], 'client-request-id': 'probe-123' });
    expect(r.body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(r.headers['client-request-id']).toBe('probe-123');
    const ara = await get(`/v1.0/servicePrincipals/${s.apps.webex!.servicePrincipalId}/appRoleAssignments`, tokens.webex);
    expect(ara.status).toBe(403);
  });

  it('$select returns only the listed properties and says so in @odata.context', async () => {
    const r = await get(`/v1.0/applications/${s.apps.webex!.objectId}?$select=appId,web`, tokens.reader);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['@odata.context', 'appId', 'web']);
    expect(r.body['@odata.context']).toBe(`${sim.urls.graph}/v1.0/$metadata#applications(appId,web)/$entity`);
  });

  it('appRoleAssignments page through @odata.nextLink (page size 2, $top overrides)', async () => {
    const path = `/v1.0/servicePrincipals/${s.apps.reader!.servicePrincipalId}/appRoleAssignments`;
    const first = await get(path, tokens.reader);
    expect(first.body.value).toHaveLength(2);
    expect(first.body['@odata.nextLink']).toMatch(new RegExp(`^${sim.urls.graph}/v1\\.0/servicePrincipals/.+/appRoleAssignments\\?\\$skiptoken=`));
    const paged = await all(path, tokens.reader);
    const consented = s.apps.reader!.appRoleAssignments.length;
    expect(paged.pages).toBe(Math.ceil(consented / 2));
    expect(paged.items.map((i) => i.appRoleId)).toContain('dc50a0fb-09a3-484d-be87-e023b12c6440');
    expect(new Set(paged.items.map((i) => i.id)).size).toBe(consented);
    expect(paged.items[0]).toMatchObject({ principalId: s.apps.reader!.servicePrincipalId, principalType: 'ServicePrincipal' });
    const top = await all(`${path}?$top=5`, tokens.reader);
    expect(top.pages).toBe(2);
  });

  it('the Exchange resource SP lists appRoles by value with the reference GUIDs, and who holds them', async () => {
    const r = await get(`/v1.0/servicePrincipals(appId='${EXO}')?$select=id,appRoles,oauth2PermissionScopes`, tokens.reader);
    expect(r.status).toBe(200);
    const role = (v: string) => r.body.appRoles.find((x: { value: string }) => x.value === v);
    expect(role('Exchange.ManageAsApp')).toMatchObject({ id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', allowedMemberTypes: ['Application'], isEnabled: true });
    expect(role('SMTP.SendAsApp').id).toBe('7146a1f0-8703-45b3-9eae-527a64c00995');
    expect(r.body.oauth2PermissionScopes.find((x: { value: string }) => x.value === 'SMTP.Send').id).toBe('76faac2a-0f20-42f1-928a-50de5b9dbe52');
    const exoSp = resourceSpId(s, 'exchange');
    expect(r.body.id).toBe(exoSp);
    const holders = await all(`/v1.0/servicePrincipals/${exoSp}/appRoleAssignedTo`, tokens.reader);
    expect(holders.items).toContainEqual(expect.objectContaining({ principalId: s.apps.webex!.servicePrincipalId, appRoleId: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', resourceId: exoSp }));
    const cls = await get(`/v1.0/servicePrincipals/${exoSp}/delegatedPermissionClassifications`, tokens.reader);
    expect(cls.body.value).toEqual([expect.objectContaining({ classification: 'low', permissionName: 'SMTP.Send', permissionId: '76faac2a-0f20-42f1-928a-50de5b9dbe52' })]);
  });

  it('oauth2PermissionGrants filtered by clientId', async () => {
    const r = await get(`/v1.0/oauth2PermissionGrants?$filter=clientId eq '${s.apps.webex!.servicePrincipalId}'`, tokens.reader);
    expect(r.status).toBe(200);
    expect(r.body.value).toEqual([expect.objectContaining({ clientId: s.apps.webex!.servicePrincipalId, consentType: 'AllPrincipals', principalId: null, resourceId: resourceSpId(s, 'exchange'), scope: 'SMTP.Send IMAP.AccessAsUser.All' })]);
  });

  it('unknown object → 404 Request_ResourceNotFound; unknown segment → 400', async () => {
    const r = await get(`/v1.0/applications(appId='00000000-1111-4222-8333-444444444444')`, tokens.reader);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('Request_ResourceNotFound');
    const seg = await get('/v1.0/nonsense', tokens.reader);
    expect(seg.status).toBe(400);
    expect(seg.body.error.message).toBe("Resource not found for the segment 'nonsense'.");
  });
});

describe('policies and users', () => {
  it('authorizationPolicy is a single object with defaultUserRolePermissions.permissionGrantPoliciesAssigned', async () => {
    const r = await get('/v1.0/policies/authorizationPolicy', tokens.reader);
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('value');
    expect(r.body.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toEqual(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']);
    const sd = await get('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy', tokens.reader);
    expect(sd.body.isEnabled).toBe(true);
    const denied = await get('/v1.0/policies/authorizationPolicy', tokens.webex);
    expect(denied.status).toBe(403);
  });

  it('users by UPN (case-insensitive) with the default property set; $select for the rest', async () => {
    const r = await get('/v1.0/users/JOHN@contoso.com', tokens.reader);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: s.users.john!.id, userPrincipalName: 'john@contoso.com', mail: 'john@contoso.com' });
    expect(r.body).not.toHaveProperty('accountEnabled');
    const sel = await get(`/v1.0/users/${s.users.nomail!.id}?$select=accountEnabled,id`, tokens.reader);
    expect(sel.body).toMatchObject({ accountEnabled: false, id: s.users.nomail!.id });
    const missing = await get('/v1.0/users/ghost@contoso.com', tokens.reader);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('transitiveMemberOf pages groups', async () => {
    const r = await all('/v1.0/users/john@contoso.com/transitiveMemberOf', tokens.reader);
    expect(r.pages).toBe(2);
    expect(r.items.map((g) => g.displayName)).toEqual(['Contact Center Mailboxes', 'Sales', 'All staff']);
    expect(r.items[0]!['@odata.type']).toBe('#microsoft.graph.group');
  });

  it('inbox messageRules in the C6 shape, paged; a user without a mailbox → 404 MailboxNotEnabledForRESTAPI', async () => {
    const r = await all('/v1.0/users/john@contoso.com/mailFolders/inbox/messageRules', tokens.reader);
    expect(r.pages).toBe(2);
    expect(r.items[0]).toMatchObject({
      displayName: 'To Webex',
      sequence: 1,
      isEnabled: true,
      hasError: false,
      actions: { forwardTo: [{ emailAddress: { name: 'x@mail-us.imiconnect.io', address: 'x@mail-us.imiconnect.io' } }], stopProcessingRules: false },
    });
    expect(r.items[1]!.actions).toEqual({ stopProcessingRules: true });
    expect(r.items[2]!.actions.redirectTo[0].emailAddress.address).toBe('y@example.com');
    const none = await get('/v1.0/users/nomail@contoso.com/mailFolders/inbox/messageRules', tokens.reader);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('MailboxNotEnabledForRESTAPI');
  });

  it('a delegated token is judged by scp: Directory.Read.All reads apps but not policies', async () => {
    expect((await get(`/v1.0/applications(appId='${s.apps.reader!.appId}')`, tokens.delegated)).status).toBe(200);
    expect((await get('/v1.0/policies/authorizationPolicy', tokens.delegated)).status).toBe(403);
  });
});

describe('authentication', () => {
  it('no token → 401 InvalidAuthenticationToken with WWW-Authenticate', async () => {
    const r = await get('/v1.0/policies/authorizationPolicy', undefined);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('InvalidAuthenticationToken');
    expect(r.headers['www-authenticate']).toContain('Bearer');
    expect(r.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an Exchange token at Graph → 401 invalid audience; garbage → 401', async () => {
    const r = await get('/v1.0/policies/authorizationPolicy', tokens.readerExo);
    expect(r.status).toBe(401);
    expect(r.body.error.message).toContain('Invalid audience');
    expect((await get('/v1.0/policies/authorizationPolicy', 'not-a-token')).status).toBe(401);
  });
});

describe('$batch', () => {
  async function batch(body: unknown, token = tokens.reader) {
    const r = await request(`${sim.urls.graph}/v1.0/$batch`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.statusCode, body: (await r.body.json()) as Record<string, any> };
  }

  it('answers each request with its own status, not in request order', async () => {
    const r = await batch({
      requests: [
        { id: '1', method: 'GET', url: '/policies/authorizationPolicy' },
        { id: '2', method: 'GET', url: '/users/ghost@contoso.com' },
        { id: '3', method: 'GET', url: `/applications(appId='${s.apps.webex!.appId}')?$select=appId` },
      ],
    });
    expect(r.status).toBe(200);
    const ids = r.body.responses.map((x: { id: string }) => x.id);
    expect(ids).not.toEqual(['1', '2', '3']);
    const byId = Object.fromEntries(r.body.responses.map((x: { id: string }) => [x.id, x]));
    expect(byId['1']).toMatchObject({ status: 200, body: { id: 'authorizationPolicy' } });
    expect(byId['2']).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect(byId['3'].body).toMatchObject({ appId: s.apps.webex!.appId });
    expect(byId['3'].headers['Content-Type']).toContain('application/json');
  });

  it('per-request permission: 403 inside a 200 batch', async () => {
    const r = await batch({ requests: [{ id: 'a', method: 'GET', url: '/policies/authorizationPolicy' }, { id: 'b', method: 'GET', url: `/applications(appId='${s.apps.webex!.appId}')` }] }, tokens.webex);
    const byId = Object.fromEntries(r.body.responses.map((x: { id: string }) => [x.id, x]));
    expect(byId.a.status).toBe(403);
    expect(byId.b.status).toBe(200);
  });

  it('more than 20 requests or duplicate ids → 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/policies/authorizationPolicy' }));
    expect((await batch({ requests: many })).status).toBe(400);
    const dup = await batch({ requests: [{ id: 'x', method: 'GET', url: '/users/john@contoso.com' }, { id: 'x', method: 'GET', url: '/users/john@contoso.com' }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('BadRequest');
  });
});
