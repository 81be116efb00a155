import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication, PublicClientApplication, type AuthError } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Scenario, ScenarioApp } from '../../../src/simulator/scenario/schema.js';
import { msalNetworkClient, simAgent } from '../../helpers/sim.js';

const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';

function app(name: string, over: Partial<ScenarioApp> = {}): ScenarioApp {
  const base = structuredClone(loadScenario('healthy').apps.webex!);
  return { ...base, displayName: name, appId: randomUUID(), objectId: randomUUID(), servicePrincipalId: randomUUID(), ...over };
}

function scenario(): Scenario {
  const s = structuredClone(loadScenario('healthy'));
  s.tenant.clockSkewSeconds = 120;
  const secret = (value: string, end = '+365d') => ({ main: { keyId: randomUUID(), displayName: 'wx', value, start: '-30d', end } });
  s.apps.expired = app('Expired', { passwordCredentials: secret('Exp8Q~expiredSecretValue000000000000000', '-1d') });
  s.apps.disabled = app('Disabled', { accountEnabled: false, passwordCredentials: secret('Dis8Q~disabledSecretValue00000000000000') });
  s.apps.cert = app('Cert', {
    passwordCredentials: {},
    keyCredentials: {
      main: { keyId: randomUUID(), displayName: 'CN=wxmail', start: '-30d', end: '+365d' },
      old: { keyId: randomUUID(), displayName: 'CN=wxmail-old', start: '-400d', end: '-1d' },
    },
    appRoleAssignments: [{ resource: 'exchange', role: 'SMTP.SendAsApp' }],
  });
  s.apps.lagging = app('Lagging', {
    passwordCredentials: secret('Lag8Q~laggingSecretValue000000000000000'),
    appRoleAssignments: [
      { resource: 'graph', role: 'Application.Read.All' },
      { resource: 'graph', role: 'Policy.Read.All' },
    ],
    rolesMissingFromToken: ['Policy.Read.All'],
  });
  s.apps.noroles = app('NoRoles', { passwordCredentials: secret('Nor8Q~noRolesSecretValue0000000000000000'), appRoleAssignments: [] });
  s.apps.device = app('Device', {
    passwordCredentials: {},
    isFallbackPublicClient: true,
    deviceCodeUser: 'john',
    requiredResourceAccess: [{ resource: 'graph', name: 'Directory.Read.All', type: 'Scope' }],
  });
  return s;
}

let sim: RunningSimulator;
let agent: Agent;
let ca: string;
const s = scenario();

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  ca = readFileSync(sim.caFile, 'utf8');
  agent = simAgent(ca);
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

/** A generated certificate credential as msal wants it: key PEM and thumbprints. */
function certOf(appKey: string, credKey: string) {
  const c = sim.ctx.certificates.get(appKey)!.get(credKey)!;
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(c.pem)![0];
  return { keyPem, thumbprintSha1: c.thumbprintSha1, thumbprintSha256: new X509Certificate(c.certPem).fingerprint256.replace(/:/g, '') };
}

function cca(clientId: string, cred: { clientSecret?: string; clientCertificate?: { thumbprintSha256?: string; thumbprint?: string; privateKey: string } }, tenant = 'contoso.onmicrosoft.com') {
  return new ConfidentialClientApplication({
    auth: { clientId, authority: `${sim.urls.login}/${tenant}`, knownAuthorities: [sim.urls.login.replace('https://', '')], ...cred },
    system: { networkClient: msalNetworkClient(agent) },
  });
}

/** msal's ServerError; errorNo is typed string but is the number from error_codes at runtime. */
async function tokenError(p: Promise<unknown>): Promise<AuthError & { errorNo?: string | number; status?: number }> {
  try {
    await p;
  } catch (e) {
    return e as AuthError & { errorNo?: string | number; status?: number };
  }
  throw new Error('expected the token request to fail');
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return request(`${sim.urls.login}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

describe('client credentials with msal-node', () => {
  it('issues an Exchange token for the right secret: v1 claims, roles, skewed times', async () => {
    const r = await cca(s.apps.webex!.appId, { clientSecret: s.apps.webex!.passwordCredentials.main!.value }).acquireTokenByClientCredential({
      scopes: ['https://outlook.office365.com/.default'],
    });
    const claims = decodeJwt(r!.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://outlook.office365.com',
      iss: `https://sts.windows.net/${TENANT}/`,
      tid: TENANT,
      appid: s.apps.webex!.appId,
      oid: s.apps.webex!.servicePrincipalId,
      idtyp: 'app',
      roles: ['Mail.Send'],
    });
    // clockSkewSeconds: 120 → the token's iat is ahead of the real clock.
    expect((claims.iat as number) - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(110);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it('leaves the roles claim out when nothing is consented, and drops roles not yet replicated', async () => {
    const none = await cca(s.apps.noroles!.appId, { clientSecret: s.apps.noroles!.passwordCredentials.main!.value }).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(decodeJwt(none!.accessToken)).not.toHaveProperty('roles');
    const lag = await cca(s.apps.lagging!.appId, { clientSecret: s.apps.lagging!.passwordCredentials.main!.value }).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(decodeJwt(lag!.accessToken).roles).toEqual(['Application.Read.All']);
  });

  it('accepts a certificate assertion (x5t#S256 and x5t) and rejects the expired certificate', async () => {
    const main = certOf('cert', 'main');
    const r = await cca(s.apps.cert!.appId, { clientCertificate: { thumbprintSha256: main.thumbprintSha256, privateKey: main.keyPem } }).acquireTokenByClientCredential({
      scopes: ['https://outlook.office365.com/.default'],
    });
    expect(decodeJwt(r!.accessToken).roles).toEqual(['SMTP.SendAsApp']);
    const sha1 = await cca(s.apps.cert!.appId, { clientCertificate: { thumbprint: main.thumbprintSha1, privateKey: main.keyPem } }).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(decodeJwt(sha1!.accessToken).aud).toBe('https://graph.microsoft.com');

    const old = certOf('cert', 'old');
    const e = await tokenError(
      cca(s.apps.cert!.appId, { clientCertificate: { thumbprintSha256: old.thumbprintSha256, privateKey: old.keyPem } }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    );
    expect(Number(e.errorNo)).toBe(700027);
    expect(e.errorMessage).toContain('The key used is expired');
  });

  it('a certificate the app does not have → 700027 key not found', async () => {
    const other = certOf('cert', 'main');
    const e = await tokenError(
      cca(s.apps.webex!.appId, { clientCertificate: { thumbprintSha256: other.thumbprintSha256, privateKey: other.keyPem } }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    );
    expect(Number(e.errorNo)).toBe(700027);
    expect(e.errorMessage).toContain('The key was not found');
  });

  it('wrong secret → invalid_client 7000215, status 401, with the live "secret ID" wording', async () => {
    const e = await tokenError(cca(s.apps.webex!.appId, { clientSecret: 'wrong-secret-value' }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(e.errorCode).toBe('invalid_client');
    expect(Number(e.errorNo)).toBe(7000215);
    expect(e.status).toBe(401);
    expect(e.errorMessage).toContain('not the client secret ID');
  });

  it('the secret ID pasted as the secret is also 7000215', async () => {
    const e = await tokenError(cca(s.apps.webex!.appId, { clientSecret: s.apps.webex!.passwordCredentials.main!.keyId }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(Number(e.errorNo)).toBe(7000215);
  });

  it('expired secret → 7000222 (401)', async () => {
    const e = await tokenError(cca(s.apps.expired!.appId, { clientSecret: s.apps.expired!.passwordCredentials.main!.value }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(Number(e.errorNo)).toBe(7000222);
    expect(e.status).toBe(401);
  });

  it('unknown client id → unauthorized_client 700016 (400)', async () => {
    const e = await tokenError(cca(randomUUID(), { clientSecret: 'whatever-secret' }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(e.errorCode).toBe('unauthorized_client');
    expect(Number(e.errorNo)).toBe(700016);
    expect(e.status).toBe(400);
  });

  it('disabled service principal → 7000112', async () => {
    const e = await tokenError(cca(s.apps.disabled!.appId, { clientSecret: s.apps.disabled!.passwordCredentials.main!.value }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(Number(e.errorNo)).toBe(7000112);
  });
});

describe('token endpoint errors in Microsoft\'s JSON shape', () => {
  const good = () => ({ grant_type: 'client_credentials', client_id: s.apps.webex!.appId, client_secret: s.apps.webex!.passwordCredentials.main!.value });

  it('error body fields, trace/correlation ids, error_uri, Date header from the skewed clock', async () => {
    const cid = randomUUID();
    const r = await post(`/${TENANT}/oauth2/v2.0/token`, { ...good(), client_secret: 'bad' }, { 'client-request-id': cid });
    const body = (await r.body.json()) as Record<string, unknown>;
    expect(r.statusCode).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215], correlation_id: cid, error_uri: 'https://login.microsoftonline.com/error?code=7000215' });
    expect(body.error_description).toMatch(/^AADSTS7000215: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    const date = Date.parse(String(r.headers.date));
    expect(date - Date.now()).toBeGreaterThan(100_000);
  });

  it('HTTP Basic client authentication works', async () => {
    const basic = Buffer.from(`${encodeURIComponent(s.apps.webex!.appId)}:${encodeURIComponent(s.apps.webex!.passwordCredentials.main!.value)}`).toString('base64');
    const r = await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }, { authorization: `Basic ${basic}` });
    const body = (await r.body.json()) as Record<string, unknown>;
    expect(r.statusCode).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
  });

  it.each([
    ['https://graph.microsoft.com/Mail.Send', 1002012, 'invalid_scope'],
    ['Mail.Send', 70011, 'invalid_scope'],
    ['https://graph.microsoft.com/.default https://outlook.office365.com/.default', 700022, 'invalid_scope'],
    ['https://contoso.example/.default', 500011, 'invalid_resource'],
  ])('scope %s → AADSTS%i', async (scope, code, error) => {
    const r = await post(`/${TENANT}/oauth2/v2.0/token`, { ...good(), scope });
    const body = (await r.body.json()) as Record<string, unknown>;
    expect(r.statusCode).toBe(400);
    expect(body).toMatchObject({ error, error_codes: [code] });
  });

  it('no credential → 7000218 (401)', async () => {
    const r = await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: s.apps.webex!.appId, scope: 'https://graph.microsoft.com/.default' });
    expect(r.statusCode).toBe(401);
    expect(((await r.body.json()) as { error_codes: number[] }).error_codes).toEqual([7000218]);
  });

  it('unknown tenant → 90002 and malformed tenant → 900023 at the token endpoint', async () => {
    const a = await post(`/fabrikam.onmicrosoft.com/oauth2/v2.0/token`, { ...good(), scope: 'https://graph.microsoft.com/.default' });
    expect(a.statusCode).toBe(400);
    expect(await a.body.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    const b = await post(`/asdf/oauth2/v2.0/token`, { ...good(), scope: 'https://graph.microsoft.com/.default' });
    expect(b.statusCode).toBe(400);
    expect(await b.body.json()).toMatchObject({ error: 'invalid_request', error_codes: [900023] });
  });
});

describe('OpenID metadata', () => {
  it('serves metadata for the tenant id and any domain (case-insensitive), pointing at this listener', async () => {
    for (const t of [TENANT, 'Contoso.COM']) {
      const r = await request(`${sim.urls.login}/${t}/v2.0/.well-known/openid-configuration`, { dispatcher: agent });
      expect(r.statusCode).toBe(200);
      const md = (await r.body.json()) as Record<string, string>;
      expect(md.token_endpoint).toBe(`${sim.urls.login}/${TENANT}/oauth2/v2.0/token`);
      expect(md.issuer).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
      expect(md.device_authorization_endpoint).toBe(`${sim.urls.login}/${TENANT}/oauth2/v2.0/devicecode`);
    }
  });

  it('unknown tenant → 400 invalid_tenant AADSTS90002 (A3b shape)', async () => {
    const r = await request(`${sim.urls.login}/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration`, { dispatcher: agent });
    expect(r.statusCode).toBe(400);
    const body = (await r.body.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002], error_uri: 'https://login.microsoftonline.com/error?code=90002' });
    expect(body.error_description).toMatch(/^AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found\./);
  });

  it('malformed tenant → 400 AADSTS900023', async () => {
    const r = await request(`${sim.urls.login}/not_a_tenant/v2.0/.well-known/openid-configuration`, { dispatcher: agent });
    expect(r.statusCode).toBe(400);
    expect(await r.body.json()).toMatchObject({ error: 'invalid_request', error_codes: [900023] });
  });

  it('msal sees only endpoints_resolution_error for an unknown tenant (why the doctor reads metadata itself)', async () => {
    const e = await tokenError(cca(s.apps.webex!.appId, { clientSecret: 'x' }, 'fabrikam.onmicrosoft.com').acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(e.errorCode).toBe('endpoints_resolution_error');
  });
});

describe('device code for a reader admin', () => {
  it('msal acquireTokenByDeviceCode: one pending poll, then a delegated token for the admin', async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: s.apps.device!.appId, authority: `${sim.urls.login}/${TENANT}`, knownAuthorities: [sim.urls.login.replace('https://', '')] },
      system: { networkClient: msalNetworkClient(agent) },
    });
    let message = '';
    const r = await pca.acquireTokenByDeviceCode({ scopes: ['https://graph.microsoft.com/.default'], deviceCodeCallback: (d) => (message = d.message) });
    expect(message).toContain('https://microsoft.com/devicelogin');
    const claims = decodeJwt(r!.accessToken);
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', idtyp: 'user', upn: 'john@contoso.com', oid: s.users.john!.id, appid: s.apps.device!.appId });
    expect(String(claims.scp).split(' ')).toContain('Directory.Read.All');
    expect(claims).not.toHaveProperty('roles');
    expect(r!.account?.username).toBe('john@contoso.com');
    const polls = sim.ctx.traffic.entries().filter((e) => e.service === 'login' && e.what.includes('/oauth2/v2.0/token'));
    expect(polls.length).toBeGreaterThanOrEqual(2);
  });

  it('an Exchange device-code token with a first-party client carries Exchange.Manage', async () => {
    const dc = await post(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', scope: 'https://outlook.office365.com/.default openid profile offline_access' });
    expect(dc.statusCode).toBe(200);
    const d = (await dc.body.json()) as { device_code: string; user_code: string; verification_uri: string; interval: number };
    expect(d).toMatchObject({ verification_uri: 'https://microsoft.com/devicelogin', interval: 1 });
    const form = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', device_code: d.device_code };
    const first = await post(`/${TENANT}/oauth2/v2.0/token`, form);
    expect(first.statusCode).toBe(400);
    expect(await first.body.json()).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
    const second = await post(`/${TENANT}/oauth2/v2.0/token`, form);
    const body = (await second.body.json()) as Record<string, string>;
    expect(second.statusCode).toBe(200);
    expect(body.refresh_token).toBeTruthy();
    expect(body.id_token).toBeTruthy();
    expect(decodeJwt(body.access_token!)).toMatchObject({ aud: 'https://outlook.office365.com', scp: 'Exchange.Manage' });
  });
});
