import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { clientCredentialsToken, simAgent } from '../../helpers/sim.js';

// The simulated Graph answers as reference G1, G2, G5, G8, G9 say real tenants do.

const s = structuredClone(loadScenario('entra-user-nested-group-only'));
s.users.john!.userPrincipalName = 'jdoe@contoso.onmicrosoft.com';
s.users.john!.mail = 'john.doe@contoso.com';
s.users.john!.aliases = ["o'neil@contoso.com"];
s.apps.reader!.applicationAccessPolicy = { accessRight: 'RestrictAccess', users: [] };
s.apps.webex!.servicePrincipalPasswordCredentials = {
  sp: { keyId: '7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f', displayName: 'sp secret', value: 'Zq9xT~spOnlyS3cretValue0123456789abcdEF', start: '-1d', end: '+100d' },
};
s.apps.webex!.keyCredentials = { cert: { keyId: '6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e', displayName: 'CN=wxmail', start: '-1d', end: '+100d', customKeyIdentifier: 'd3hjb25uZWN0LWNlcnQ=' } };
const TENANT = s.tenant.id;
const JOHN = s.users.john!.id;

let sim: RunningSimulator;
let agent: Agent;
let reader = '';

async function get(path: string, token = reader) {
  const r = await request(`${sim.urls.graph}${path}`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
  return { status: r.statusCode, body: (await r.body.json()) as Record<string, any> };
}
const filter = (f: string) => `/v1.0/users?$filter=${encodeURIComponent(f)}&$select=id,userPrincipalName`;

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  agent = simAgent(readFileSync(sim.caFile, 'utf8'));
  reader = await clientCredentialsToken(sim.urls.login, TENANT, agent, s, 'reader', 'https://graph.microsoft.com/.default');
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

describe('G1: users by id or UPN only; $filter finds a mailbox address', () => {
  it('/users/{mail address that is not the UPN} → 404 Request_ResourceNotFound; the UPN works', async () => {
    const byMail = await get('/v1.0/users/john.doe@contoso.com');
    expect(byMail.status).toBe(404);
    expect(byMail.body.error.code).toBe('Request_ResourceNotFound');
    expect((await get('/v1.0/users/jdoe@contoso.onmicrosoft.com')).body.id).toBe(JOHN);
  });
  it('mail eq … or userPrincipalName eq …, and proxyAddresses/any(…) with doubled quotes', async () => {
    expect((await get(filter("mail eq 'john.doe@contoso.com' or userPrincipalName eq 'john.doe@contoso.com'"))).body.value).toEqual([{ id: JOHN, userPrincipalName: 'jdoe@contoso.onmicrosoft.com' }]);
    expect((await get(filter("mail eq 'nobody@contoso.com' or userPrincipalName eq 'nobody@contoso.com'"))).body.value).toEqual([]);
    expect((await get(filter("proxyAddresses/any(p:p eq 'smtp:o''neil@contoso.com')"))).body.value.map((u: { id: string }) => u.id)).toEqual([JOHN]);
    expect((await get(filter('startswith(mail,\'j\')'))).status).toBe(400);
  });
});

describe('G2: assignment does not cascade to nested groups', () => {
  it('/users/{id}/appRoleAssignments lists no assignment for a user in the assigned group only through a nested group', async () => {
    const r = await get(`/v1.0/users/${JOHN}/appRoleAssignments`);
    expect(r.status).toBe(200);
    expect(r.body.value).toEqual([]);
  });
  it('memberOf is direct, transitiveMemberOf includes the nested path', async () => {
    const names = async (rel: string) => ((await get(`/v1.0/users/${JOHN}/${rel}?$top=10`)).body.value as { displayName: string }[]).map((g) => g.displayName).sort();
    expect(await names('memberOf')).toEqual(['Contact Center Mailboxes']);
    expect(await names('transitiveMemberOf')).toEqual(['Contact Center Mailboxes', 'Webex Connect Users']);
  });
  it('Directory.Read.All is needed: the Webex app alone gets 403', async () => {
    const webex = await clientCredentialsToken(sim.urls.login, TENANT, agent, s, 'webex', 'https://graph.microsoft.com/.default');
    expect((await get(`/v1.0/users/${JOHN}/appRoleAssignments`, webex)).status).toBe(403);
  });
});

describe('G8: an application access policy blocks app-only mailbox reads', () => {
  it('messageRules → 403 ErrorAccessDenied [RAOP]', async () => {
    const r = await get(`/v1.0/users/${JOHN}/mailFolders/inbox/messageRules`);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('ErrorAccessDenied');
    expect(r.body.error.message).toContain('[RAOP]');
  });
});

describe('G5 and G9: credentials', () => {
  it('keyCredentials carry the certificate key; customKeyIdentifier is what the script set', async () => {
    const r = await get(`/v1.0/applications(appId='${s.apps.webex!.appId}')?$select=keyCredentials`);
    const k = r.body.keyCredentials[0];
    expect(k.customKeyIdentifier).toBe('d3hjb25uZWN0LWNlcnQ=');
    const cert = new X509Certificate(Buffer.from(k.key, 'base64'));
    expect(cert.fingerprint.replace(/:/g, '')).toBe(sim.ctx.certificates.get('webex')!.get('cert')!.thumbprintSha1.toUpperCase());
  });
  it('the service principal lists its own passwordCredentials (hint, no secretText)', async () => {
    const r = await get(`/v1.0/servicePrincipals(appId='${s.apps.webex!.appId}')?$select=passwordCredentials`);
    expect(r.body.passwordCredentials).toMatchObject([{ hint: 'Zq9', secretText: null, displayName: 'sp secret' }]);
  });
});
