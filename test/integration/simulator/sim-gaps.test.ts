import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import nodemailer from 'nodemailer';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceSpId } from '../../../src/simulator/graph/resources.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Scenario } from '../../../src/simulator/scenario/schema.js';
import { msalNetworkClient, simAgent } from '../../helpers/sim.js';

// The simulator gaps the doctor's check authors found (appRoleAssignedTo on a client app, the
// permission for delegated grants, refresh_token redemption, SMTP policy/send-as/restricted-sender
// replies), driven at the simulator's wire, without the doctor.

const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
const GRAPH_CLI = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
/** G10 [O]: the ExchangeOnlineManagement module's public client. */
const EXO_PS_CLIENT = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';
const HOST = 'SN2PR00CA0018.namprd00.prod.outlook.com';
const JOHN = 'john@contoso.com';

/**
 * healthy-app-smtp plus: john and the contact-center group assigned to the Webex app, an app that
 * holds Application.Read.All only, a registered public client, and mailboxes (copies of john's,
 * FullAccess for the Webex app included) with the SMTP knobs.
 */
function scenario(): Scenario {
  const s = structuredClone(loadScenario('healthy-app-smtp'));
  s.apps.webex!.appRoleAssignmentRequired = true;
  s.apps.webex!.assignedUsers = ['john'];
  s.apps.webex!.assignedGroups = ['contactCenter'];
  s.apps.appOnly = {
    ...structuredClone(s.apps.reader!),
    displayName: 'app reader',
    appId: randomUUID(),
    objectId: randomUUID(),
    servicePrincipalId: randomUUID(),
    passwordCredentials: { main: { keyId: randomUUID(), displayName: 'x', value: 'App8Q~onlyApplicationReadAll000000000000', start: '-1d', end: '+30d' } },
    requiredResourceAccess: [{ resource: 'graph', name: 'Application.Read.All', type: 'Role' }],
    appRoleAssignments: [{ resource: 'graph', role: 'Application.Read.All' }],
  };
  // A registered public client an admin signs in with (device code); it asks for one Exchange delegated permission.
  s.apps.publicReader = {
    ...structuredClone(s.apps.reader!),
    displayName: 'public reader',
    appId: randomUUID(),
    objectId: randomUUID(),
    servicePrincipalId: randomUUID(),
    passwordCredentials: {},
    isFallbackPublicClient: true,
    deviceCodeUser: 'john',
    requiredResourceAccess: [
      { resource: 'graph', name: 'Directory.Read.All', type: 'Scope' },
      { resource: 'exchange', name: 'EWS.AccessAsUser.All', type: 'Scope' },
    ],
    appRoleAssignments: [],
    directoryRoles: [],
  };
  const mailboxUser = (key: string, mailbox: Partial<NonNullable<Scenario['users'][string]['mailbox']>>) => {
    const john = structuredClone(s.users.john!);
    s.users[key] = {
      ...john,
      id: randomUUID(),
      userPrincipalName: `${key}@contoso.com`,
      displayName: key,
      mail: `${key}@contoso.com`,
      mailbox: { ...john.mailbox!, ...mailbox },
    };
  };
  mailboxUser('ca', { smtpAuthBlock: 'conditional-access' });
  mailboxUser('secdef', { smtpAuthBlock: 'security-defaults' });
  mailboxUser('sendas', { sendAsDenied: true });
  mailboxUser('restricted', { restrictedSender: true });
  mailboxUser('both', { restrictedSender: true, sendAsDenied: true });
  mailboxUser('offandblocked', { smtpClientAuthenticationDisabled: true, smtpAuthBlock: 'conditional-access' });
  return s;
}

const s = scenario();
let sim: RunningSimulator;
let agent: Agent;
let ca: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  ca = readFileSync(sim.caFile, 'utf8');
  agent = simAgent(ca);
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

function post(path: string, form: Record<string, string>) {
  return request(`${sim.urls.login}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function appToken(appKey: string, scope: string): Promise<string> {
  const app = s.apps[appKey]!;
  const r = await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: app.appId, client_secret: app.passwordCredentials.main!.value, scope });
  const body = (await r.body.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${appKey}: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function graph(path: string, token: string): Promise<{ status: number; body: Record<string, any> }> {
  const r = await request(`${sim.urls.graph}${path}`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
  return { status: r.statusCode, body: (await r.body.json()) as Record<string, any> };
}

/** Every item of a collection, following @odata.nextLink (the simulator pages by 2). */
async function all(path: string, token: string): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let next: string | undefined = `${sim.urls.graph}${path}`;
  while (next) {
    const r = await request(next, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
    const body = (await r.body.json()) as { value?: Record<string, any>[]; '@odata.nextLink'?: string };
    expect(r.statusCode, JSON.stringify(body)).toBe(200);
    out.push(...(body.value ?? []));
    next = body['@odata.nextLink'];
  }
  return out;
}

describe('Graph: users and groups assigned to a client app (appRoleAssignedTo)', () => {
  it('lists assigned users and groups as appRoleAssignment objects with the default access role', async () => {
    const reader = await appToken('reader', 'https://graph.microsoft.com/.default');
    const webex = s.apps.webex!;
    const items = await all(`/v1.0/servicePrincipals/${webex.servicePrincipalId}/appRoleAssignedTo`, reader);
    const common = { appRoleId: '00000000-0000-0000-0000-000000000000', resourceId: webex.servicePrincipalId, resourceDisplayName: webex.displayName, deletedDateTime: null };
    expect(items).toHaveLength(2);
    expect(items).toContainEqual(expect.objectContaining({ ...common, principalType: 'User', principalId: s.users.john!.id, principalDisplayName: 'John' }));
    expect(items).toContainEqual(expect.objectContaining({ ...common, principalType: 'Group', principalId: s.groups.contactCenter!.id, principalDisplayName: 'Contact Center Mailboxes' }));
    for (const a of items) expect(a).toEqual(expect.objectContaining({ id: expect.any(String), createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }));
  });

  it('by appId too; an app with no assignments lists none; the resource SP still lists the apps holding its roles', async () => {
    const reader = await appToken('reader', 'https://graph.microsoft.com/.default');
    const byAppId = await all(`/v1.0/servicePrincipals(appId='${s.apps.webex!.appId}')/appRoleAssignedTo`, reader);
    expect(byAppId.map((a) => a.principalType).sort()).toEqual(['Group', 'User']);
    expect(await all(`/v1.0/servicePrincipals/${s.apps.reader!.servicePrincipalId}/appRoleAssignedTo`, reader)).toEqual([]);
    const exo = await all(`/v1.0/servicePrincipals/${resourceSpId(s, 'exchange')}/appRoleAssignedTo`, reader);
    expect(exo.every((a) => a.principalType === 'ServicePrincipal')).toBe(true);
    expect(exo).toContainEqual(expect.objectContaining({ principalId: s.apps.webex!.servicePrincipalId }));
  });
});

describe('Graph: delegated permission grants need Directory.Read.All', () => {
  it('Application.Read.All alone is refused (403 Authorization_RequestDenied) on both list URLs; Directory.Read.All reads them', async () => {
    const appOnly = await appToken('appOnly', 'https://graph.microsoft.com/.default');
    const reader = await appToken('reader', 'https://graph.microsoft.com/.default');
    const urls = ['/v1.0/oauth2PermissionGrants', `/v1.0/servicePrincipals(appId='${s.apps.webex!.appId}')/oauth2PermissionGrants`];
    for (const url of urls) {
      const denied = await graph(url, appOnly);
      expect({ url, status: denied.status, code: denied.body.error?.code }).toEqual({ url, status: 403, code: 'Authorization_RequestDenied' });
      const ok = await graph(url, reader);
      expect({ url, status: ok.status }).toEqual({ url, status: 200 });
    }
    // Application.Read.All still reads the service principal itself.
    expect((await graph(`/v1.0/servicePrincipals(appId='${s.apps.webex!.appId}')`, appOnly)).status).toBe(200);
  });
});

describe('identity: grant_type=refresh_token', () => {
  const graphScopes = ['Application.Read.All', 'Directory.Read.All', 'Policy.Read.All'].map((p) => `https://graph.microsoft.com/${p}`);

  function pca(clientId = GRAPH_CLI) {
    return new PublicClientApplication({
      auth: { clientId, authority: `${sim.urls.login}/${TENANT}`, knownAuthorities: [sim.urls.login.replace('https://', '')] },
      system: { networkClient: msalNetworkClient(agent) },
    });
  }

  it('msal-node (G10): Graph Command Line Tools gets no Exchange token (AADSTS65002); the Exchange Online PowerShell client gets Exchange.Manage', async () => {
    const before = sim.ctx.traffic.entries().length;
    const app = pca();
    let prompts = 0;
    const first = await app.acquireTokenByDeviceCode({ scopes: graphScopes, deviceCodeCallback: () => (prompts += 1) });
    expect(decodeJwt(first!.accessToken)).toMatchObject({ aud: 'https://graph.microsoft.com', idtyp: 'user', upn: JOHN });
    const account = first!.account as AccountInfo;
    // [I] a first-party client without preauthorisation for Exchange Online (NOT VERIFIED for this client).
    const refused = await app.acquireTokenSilent({ account, scopes: ['https://outlook.office365.com/.default'] }).then(
      () => 'issued',
      (e: Error) => e.message,
    );
    expect(refused).toContain('AADSTS65002');

    const exo = pca(EXO_PS_CLIENT);
    const second = await exo.acquireTokenByDeviceCode({ scopes: ['https://outlook.office365.com/.default'], deviceCodeCallback: () => (prompts += 1) });
    // The new resource's scopes, not Graph's carried over.
    expect(decodeJwt(second!.accessToken)).toMatchObject({ aud: 'https://outlook.office365.com', idtyp: 'user', upn: JOHN, oid: s.users.john!.id, appid: EXO_PS_CLIENT, scp: 'Exchange.Manage' });
    expect(prompts).toBe(2);
    const mine = sim.ctx.traffic.entries().slice(before).filter((e) => e.service === 'login');
    expect(mine.filter((e) => e.what.includes('/oauth2/v2.0/devicecode'))).toHaveLength(2);
  });

  it('a registered public client: the Exchange scopes come from its own delegated permissions', async () => {
    const app = pca(s.apps.publicReader!.appId);
    const first = await app.acquireTokenByDeviceCode({ scopes: ['https://graph.microsoft.com/.default'], deviceCodeCallback: () => undefined });
    expect(decodeJwt(first!.accessToken)).toMatchObject({ aud: 'https://graph.microsoft.com', scp: 'Directory.Read.All' });
    const silent = await app.acquireTokenSilent({ account: first!.account!, scopes: ['https://outlook.office365.com/.default'] });
    expect(decodeJwt(silent.accessToken)).toMatchObject({ aud: 'https://outlook.office365.com', appid: s.apps.publicReader!.appId, scp: 'EWS.AccessAsUser.All' });
  });

  it('refuses a refresh token it did not issue (9002313), one redeemed by another client (70000), and no scope (900144)', async () => {
    const dc = (await (await post(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: GRAPH_CLI, scope: 'https://graph.microsoft.com/.default openid profile offline_access' })).body.json()) as { device_code: string };
    const poll = { grant_type: 'device_code', client_id: GRAPH_CLI, device_code: dc.device_code };
    await (await post(`/${TENANT}/oauth2/v2.0/token`, poll)).body.dump();
    const signedIn = (await (await post(`/${TENANT}/oauth2/v2.0/token`, poll)).body.json()) as { refresh_token: string };
    expect(signedIn.refresh_token).toMatch(/^sim-rt\./);

    const redeem = async (form: Record<string, string>) => {
      const r = await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'refresh_token', ...form });
      return { status: r.statusCode, body: (await r.body.json()) as Record<string, any> };
    };
    const exo = 'https://outlook.office365.com/.default offline_access';
    const forged = await redeem({ client_id: GRAPH_CLI, refresh_token: 'sim-rt.forged', scope: exo });
    expect({ status: forged.status, error: forged.body.error, codes: forged.body.error_codes }).toEqual({ status: 400, error: 'invalid_grant', codes: [9002313] });
    const other = await redeem({ client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', refresh_token: signedIn.refresh_token, scope: exo });
    expect({ status: other.status, error: other.body.error, codes: other.body.error_codes }).toEqual({ status: 400, error: 'invalid_grant', codes: [70000] });
    const noScope = await redeem({ client_id: GRAPH_CLI, refresh_token: signedIn.refresh_token });
    expect(noScope.body.error_codes).toEqual([900144]);

    // G10 [I]: Graph Command Line Tools is not preauthorised for Exchange Online.
    const notPreauthorised = await redeem({ client_id: GRAPH_CLI, refresh_token: signedIn.refresh_token, scope: exo });
    expect({ status: notPreauthorised.status, codes: notPreauthorised.body.error_codes }).toEqual({ status: 400, codes: [65002] });

    const graph = 'https://graph.microsoft.com/.default offline_access';
    const ok = await redeem({ client_id: GRAPH_CLI, refresh_token: signedIn.refresh_token, scope: graph });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', refresh_token: expect.stringMatching(/^sim-rt\./) });
    expect(ok.body.refresh_token).not.toBe(signedIn.refresh_token);
    // The rotated token redeems too, and so does the old one (Entra does not revoke on rotation).
    expect((await redeem({ client_id: GRAPH_CLI, refresh_token: ok.body.refresh_token as string, scope: 'https://graph.microsoft.com/.default' })).status).toBe(200);
    expect((await redeem({ client_id: GRAPH_CLI, refresh_token: signedIn.refresh_token, scope: graph })).status).toBe(200);
  });
});

describe('SMTP: policy block, send-as denied, restricted sender', () => {
  async function send(user: string): Promise<{ ok: true; response: string } | { ok: false; command?: string; response?: string; responseCode?: number }> {
    const token = await appToken('webex', 'https://outlook.office365.com/.default');
    const t = nodemailer.createTransport({
      host: sim.smtp.host,
      port: sim.smtp.port,
      secure: false,
      requireTLS: true,
      tls: { ca: [ca], servername: 'localhost' },
      auth: { type: 'OAuth2', user, accessToken: token },
    });
    try {
      const info = await t.sendMail({ from: user, to: user, subject: 'wxmail probe', text: 'probe', envelope: { from: user, to: [user] } });
      return { ok: true, response: info.response };
    } catch (e) {
      const err = e as { command?: string; response?: string; responseCode?: number };
      return { ok: false, command: err.command, response: err.response, responseCode: err.responseCode };
    } finally {
      t.close();
    }
  }

  it('Conditional Access and security defaults refuse AUTH XOAUTH2 with their exact 535 5.7.139 lines', async () => {
    expect(await send('ca@contoso.com')).toEqual({
      ok: false,
      command: 'AUTH XOAUTH2',
      responseCode: 535,
      response: '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.',
    });
    expect(await send('secdef@contoso.com')).toEqual({
      ok: false,
      command: 'AUTH XOAUTH2',
      responseCode: 535,
      response: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
    });
  });

  it('a mailbox whose SMTP AUTH switch is off says so even when a policy would also block', async () => {
    const r = await send('offandblocked@contoso.com');
    expect(r).toMatchObject({ ok: false, responseCode: 535 });
    expect((r as { response: string }).response).toContain('SmtpClientAuthentication is disabled for the Mailbox');
  });

  it('sendAsDenied refuses the self-addressed message after DATA with 554 5.2.252 SendAsDenied, and nothing is delivered', async () => {
    const r = await send('sendas@contoso.com');
    expect(r).toMatchObject({ ok: false, command: 'DATA', responseCode: 554 });
    expect((r as { response: string }).response).toBe(
      `554 5.2.252 SendAsDenied; sendas@contoso.com not allowed to send as sendas@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. [Hostname=${HOST}]`,
    );
    expect(sim.ctx.mail.inbox('sendas@contoso.com')).toHaveLength(0);
  });

  it('restrictedSender refuses after DATA (MAIL FROM is accepted) with 550 5.1.8, before any send-as verdict', async () => {
    for (const user of ['restricted@contoso.com', 'both@contoso.com']) {
      const r = await send(user);
      expect(r).toEqual({ ok: false, command: 'DATA', responseCode: 550, response: '550 5.1.8 Access denied, bad outbound sender' });
      expect(sim.ctx.mail.inbox(user)).toHaveLength(0);
    }
  });

  it('john (no knobs) still sends', async () => {
    const r = await send(JOHN);
    expect(r).toMatchObject({ ok: true });
  });
});
