import { readFileSync } from 'node:fs';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { simAgent, clientCredentialsToken } from '../../helpers/sim.js';

const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';

const s = structuredClone(loadScenario('healthy'));
s.apps.webex!.exchangeServicePrincipal = true;
s.users.john!.mailbox!.fullAccessApps = ['webex'];
s.users.mary = {
  id: '6d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0c',
  userPrincipalName: 'mary@contoso.com',
  displayName: 'Mary Major',
  accountEnabled: true,
  memberOf: [],
  mailbox: { smtpClientAuthenticationDisabled: null, forwardingSmtpAddress: null, forwardingAddress: 'john', deliverToMailboxAndForward: false, inboxRules: {}, fullAccessApps: [] },
};
s.exchange.outboundSpamRules['Sales'] = { policy: 'Webex Connect forwarding', priority: 1, state: 'Disabled', from: [], fromMemberOf: ['sales@contoso.com'], senderDomainIs: [], exceptIfFrom: [], exceptIfFromMemberOf: [], exceptIfSenderDomainIs: ['contoso.com'] };
s.exchange.remoteDomains['Webex'] = { domainName: 'mail-us.imiconnect.io', autoForwardEnabled: false };
s.exchange.transportRules = {
  'Block auto-forward': {
    priority: 0, state: 'Enabled', mode: 'Enforce', from: [], fromScope: 'InOrganization', sentToScope: 'NotInOrganization', messageTypeMatches: 'AutoForward',
    rejectMessageReasonText: 'External forwarding is not allowed', rejectMessageEnhancedStatusCode: '5.7.1', deleteMessage: false, redirectMessageTo: [],
  },
};
s.apps.norbac = { ...structuredClone(s.apps.reader!), displayName: 'No RBAC', appId: '4c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5f', objectId: '8a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c90', servicePrincipalId: 'be8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6d', directoryRoles: [] };

let sim: RunningSimulator;
let agent: Agent;
const tokens = {} as { reader: string; webex: string; norbac: string; graph: string; admin: string };

const appToken = (appKey: string, scope = 'https://outlook.office365.com/.default'): Promise<string> => clientCredentialsToken(sim.urls.login, TENANT, agent, s, appKey, scope);

async function adminToken(): Promise<string> {
  const post = (path: string, form: Record<string, string>) =>
    request(`${sim.urls.login}/${TENANT}/oauth2/v2.0/${path}`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const client = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';
  const dc = (await (await post('devicecode', { client_id: client, scope: 'https://outlook.office365.com/.default' })).body.json()) as { device_code: string };
  const form = { grant_type: 'device_code', client_id: client, device_code: dc.device_code };
  await (await post('token', form)).body.dump();
  return ((await (await post('token', form)).body.json()) as { access_token: string }).access_token;
}

async function invoke(cmdlet: string, parameters: Record<string, unknown> = {}, opts: { token?: string; url?: string; pageSize?: number; version?: string } = {}) {
  const url = opts.url ?? `${sim.urls.exchange}/adminapi/${opts.version ?? 'beta'}/${TENANT}/InvokeCommand`;
  const r = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${opts.token ?? tokens.reader}`,
      'content-type': 'application/json',
      'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${TENANT}`,
      ...(opts.pageSize ? { prefer: `odata.maxpagesize=${opts.pageSize}` } : {}),
    },
    body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
  });
  return { status: r.statusCode, headers: r.headers, body: (await r.body.json()) as Record<string, any> };
}

async function invokeAll(cmdlet: string, parameters: Record<string, unknown>, pageSize: number) {
  const rows: Record<string, any>[] = [];
  let url: string | undefined;
  let pages = 0;
  do {
    const r = await invoke(cmdlet, parameters, { pageSize, url });
    expect(r.status).toBe(200);
    rows.push(...r.body.value);
    url = r.body['@odata.nextLink'];
    pages++;
  } while (url);
  return { rows, pages };
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  agent = simAgent(readFileSync(sim.caFile, 'utf8'));
  tokens.reader = await appToken('reader');
  tokens.webex = await appToken('webex');
  tokens.norbac = await appToken('norbac');
  tokens.graph = await appToken('reader', 'https://graph.microsoft.com/.default');
  tokens.admin = await adminToken();
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

describe('cmdlets', () => {
  it('Get-Mailbox -Identity: forwarding as ProxyAddress with smtp: prefix', async () => {
    const r = await invoke('Get-Mailbox', { Identity: 'John@Contoso.com' });
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toContain('$metadata#Collection(Exchange.GenericHashTable)');
    expect(r.body.value).toEqual([
      expect.objectContaining({
        Identity: 'john',
        Name: 'john',
        DisplayName: 'John',
        UserPrincipalName: 'john@contoso.com',
        PrimarySmtpAddress: 'john@contoso.com',
        ExternalDirectoryObjectId: s.users.john!.id,
        RecipientTypeDetails: 'UserMailbox',
        ForwardingSmtpAddress: 'smtp:a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io',
        ForwardingAddress: null,
        DeliverToMailboxAndForward: true,
      }),
    ]);
  });

  it('Get-Mailbox without -Identity lists every mailbox; ForwardingAddress passes through', async () => {
    const r = await invoke('Get-Mailbox');
    expect(r.body.value.map((m: { Identity: string }) => m.Identity)).toEqual(['john', 'mary']);
    expect(r.body.value[1]).toMatchObject({ ForwardingSmtpAddress: null, ForwardingAddress: 'john' });
  });

  it('Get-CASMailbox: true/false/null (null = inherit)', async () => {
    const r = await invoke('Get-CASMailbox');
    expect(r.body.value).toEqual([
      { Identity: 'john', Name: 'john', PrimarySmtpAddress: 'john@contoso.com', EmailAddresses: ['SMTP:john@contoso.com'], SmtpClientAuthenticationDisabled: false, ImapEnabled: true },
      { Identity: 'mary', Name: 'mary', PrimarySmtpAddress: 'mary@contoso.com', EmailAddresses: ['SMTP:mary@contoso.com'], SmtpClientAuthenticationDisabled: null, ImapEnabled: true },
    ]);
  });

  it('Get-Mailbox / Get-CASMailbox -Filter: EmailAddresses -eq, with or without smtp:, any case, doubled quotes; no match is an empty answer', async () => {
    const ids = (r: { body: Record<string, any> }) => r.body.value.map((m: { Identity: string }) => m.Identity);
    const both = "EmailAddresses -eq 'JOHN@contoso.com' -or (EmailAddresses -eq 'smtp:mary@CONTOSO.com') -OR EmailAddresses -eq 'o''brien@contoso.com'";
    expect(ids(await invoke('Get-Mailbox', { Filter: both }))).toEqual(['john', 'mary']);
    expect(ids(await invoke('Get-CASMailbox', { Filter: "EmailAddresses -eq 'SMTP:mary@contoso.com'" }))).toEqual(['mary']);
    const none = await invoke('Get-Mailbox', { Filter: "EmailAddresses -eq 'ghost@contoso.com'" });
    expect(none.status).toBe(200);
    expect(none.body.value).toEqual([]);
    // A quote that is not doubled ends the value: the rest is no comparison, so the filter is refused, never widened.
    expect((await invoke('Get-Mailbox', { Filter: "EmailAddresses -eq 'x' -or Name -like '*'" })).status).toBe(400);
  });

  it('Get-TransportConfig', async () => {
    const r = await invoke('Get-TransportConfig');
    expect(r.body.value).toEqual([expect.objectContaining({ SmtpClientAuthenticationDisabled: true })]);
  });

  it('Get-HostedOutboundSpamFilterPolicy pages with Prefer: odata.maxpagesize (POST the same body to nextLink)', async () => {
    const first = await invoke('Get-HostedOutboundSpamFilterPolicy', {}, { pageSize: 1 });
    expect(first.headers['preference-applied']).toBe('odata.maxpagesize=1');
    expect(first.body['@odata.nextLink']).toMatch(/\/InvokeCommand\?\$skiptoken=/);
    const all = await invokeAll('Get-HostedOutboundSpamFilterPolicy', {}, 1);
    expect(all.pages).toBe(2);
    expect(all.rows).toEqual([
      { Identity: 'Default', Name: 'Default', IsDefault: true, Enabled: true, AutoForwardingMode: 'Automatic' },
      { Identity: 'Webex Connect forwarding', Name: 'Webex Connect forwarding', IsDefault: false, Enabled: true, AutoForwardingMode: 'On' },
    ]);
  });

  it('Get-HostedOutboundSpamFilterRule: by priority, empty lists as null', async () => {
    const r = await invoke('Get-HostedOutboundSpamFilterRule');
    expect(r.body.value).toEqual([
      {
        Identity: 'Webex Connect forwarding', Name: 'Webex Connect forwarding', HostedOutboundSpamFilterPolicy: 'Webex Connect forwarding', Priority: 0, State: 'Enabled',
        From: ['john@contoso.com'], FromMemberOf: null, SenderDomainIs: null, ExceptIfFrom: null, ExceptIfFromMemberOf: null, ExceptIfSenderDomainIs: null,
      },
      expect.objectContaining({ Identity: 'Sales', Priority: 1, State: 'Disabled', From: null, FromMemberOf: ['sales@contoso.com'], ExceptIfSenderDomainIs: ['contoso.com'] }),
    ]);
  });

  it('Get-RemoteDomain and Get-TransportRule', async () => {
    const rd = await invoke('Get-RemoteDomain', { Identity: 'mail-us.imiconnect.io' });
    expect(rd.body.value).toEqual([{ Identity: 'Webex', Name: 'Webex', DomainName: 'mail-us.imiconnect.io', AutoForwardEnabled: false }]);
    const tr = await invoke('Get-TransportRule');
    expect(tr.body.value).toEqual([
      {
        Identity: 'Block auto-forward', Name: 'Block auto-forward', State: 'Enabled', Mode: 'Enforce', Priority: 0, From: null, FromScope: 'InOrganization', SentToScope: 'NotInOrganization',
        MessageTypeMatches: 'AutoForward', RejectMessageReasonText: 'External forwarding is not allowed', RejectMessageEnhancedStatusCode: '5.7.1', DeleteMessage: false, RedirectMessageTo: null,
        // Issue 11: the further conditions, exceptions and switches, empty lists as null.
        Quarantine: false, ExceptIfFrom: null, FromMemberOf: null, ExceptIfFromMemberOf: null, SenderDomainIs: null, ExceptIfSenderDomainIs: null, ExceptIfFromScope: null,
        SentTo: null, ExceptIfSentTo: null, RecipientDomainIs: null, ExceptIfRecipientDomainIs: null, SentToMemberOf: null, ExceptIfMessageTypeMatches: null,
        SenderAddressLocation: 'Header', StopRuleProcessing: false,
      },
    ]);
  });

  it('Get-ServicePrincipal and Get-MailboxPermission (NT AUTHORITY\\SELF + the app\'s SP)', async () => {
    const sp = await invoke('Get-ServicePrincipal');
    expect(sp.body.value).toEqual([{ Identity: s.apps.webex!.servicePrincipalId, DisplayName: 'WebexConnect', AppId: s.apps.webex!.appId, ObjectId: s.apps.webex!.servicePrincipalId }]);
    const mp = await invoke('Get-MailboxPermission', { Identity: 'john@contoso.com' });
    expect(mp.body.value).toEqual([
      expect.objectContaining({ User: 'NT AUTHORITY\\SELF', IsInherited: false, Deny: false }),
      expect.objectContaining({ Identity: 'john', User: s.apps.webex!.servicePrincipalId, AccessRights: ['FullAccess'], IsInherited: false, Deny: false }),
    ]);
    const none = await invoke('Get-MailboxPermission', { Identity: 'mary@contoso.com', User: s.apps.webex!.servicePrincipalId });
    expect(none.body.value).toEqual([]);
  });

  it('$select and the v1.0 path', async () => {
    const r = await invoke('Get-Mailbox', { Identity: 'john' }, { url: `${sim.urls.exchange}/adminapi/v1.0/${TENANT}/InvokeCommand?$select=Identity,ForwardingSmtpAddress` });
    expect(r.body.value).toEqual([{ Identity: 'john', ForwardingSmtpAddress: 'smtp:a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' }]);
  });
});

describe('errors', () => {
  it('unknown -Identity → 404 ManagementObjectNotFoundException in error.details (observed envelope)', async () => {
    const r = await invoke('Get-Mailbox', { Identity: 'ghost@contoso.com' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NotFound');
    const parts = String(r.body.error.details[0].message).split('|');
    expect(parts).toHaveLength(3);
    expect(parts[1]).toBe('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
    expect(parts[2]).toMatch(/^The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on/);
    expect(r.body.error.innererror.type).toBe('Microsoft.Exchange.Admin.OData.Core.ODataServiceException');
  });

  it('a -Filter Exchange cannot parse → 400 ParameterBindingException naming the filter ([I] wording)', async () => {
    const r = await invoke('Get-CASMailbox', { Filter: "EmailAddresses -eq 'a@contoso.com' -or" });
    expect(r.status).toBe(400);
    const parts = String(r.body.error.details[0].message).split('|');
    expect(parts[1]).toBe('System.Management.Automation.ParameterBindingException');
    expect(parts[2]).toMatch(/^Cannot bind parameter 'Filter' to the target\. Exception setting "Filter": "Invalid filter syntax/);
  });

  it('Get-MailboxPermission without -Identity → 400; unknown cmdlet → 400', async () => {
    expect((await invoke('Get-MailboxPermission')).status).toBe(400);
    const r = await invoke('Get-Nothing');
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].message).toContain("The term 'Get-Nothing' is not recognized");
  });

  it('token without Exchange.ManageAsApp → 401', async () => {
    const r = await invoke('Get-Mailbox', {}, { token: tokens.webex });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('Unauthorized');
    expect(r.body.error.message).toContain('Exchange.ManageAsApp');
  });

  it('Exchange.ManageAsApp but no Entra role → 401 "role assigned to application … isn\'t supported"', async () => {
    const r = await invoke('Get-Mailbox', {}, { token: tokens.norbac });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toContain(`The role assigned to application ${s.apps.norbac!.appId} isn't supported in this scenario`);
  });

  it('a Graph token or none → 401 with WWW-Authenticate', async () => {
    const g = await invoke('Get-Mailbox', {}, { token: tokens.graph });
    expect(g.status).toBe(401);
    expect(g.headers['www-authenticate']).toContain('Bearer');
    expect((await invoke('Get-Mailbox', {}, { token: '' })).status).toBe(401);
  });

  it('a delegated admin token (Exchange.Manage) is accepted', async () => {
    const r = await invoke('Get-TransportConfig', {}, { token: tokens.admin });
    expect(r.status).toBe(200);
  });
});
