import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeCommand } from '../../../../src/collect/exchange/admin-api.js';
import { exchangeMailboxFact, outboundSpamFact } from '../../../../src/collect/exchange/facts.js';
import { ruleGroupMembershipFact } from '../../../../src/collect/graph/mailbox/group-membership.js';
import type { CollectContext } from '../../../../src/core/fact.js';
import { caught } from '../../../helpers/caught.js';
import { mockOrigins, type MockOrigins } from '../../mock-origins.js';
import { EXCHANGE, GRAPH, store, TENANT } from './context.js';

const token = vi.hoisted(() => ({
  current: {
    token: 'fake-exchange-access-token-value',
    claims: { tid: '0f47778c-61c2-4b0a-8e94-3f05e737a1dd', roles: ['Exchange.ManageAsApp'] as string[], upn: undefined as string | undefined },
    identity: 'app' as 'app' | 'webex' | 'device-code',
    clientId: '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d',
  },
}));
vi.mock('../../../../src/collect/identity/tokens.js', () => ({ getAccessToken: vi.fn(async () => token.current) }));

const PATH = `/adminapi/beta/${TENANT}/InvokeCommand`;
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Seen {
  path: string;
  headers: Record<string, string>;
  body: any;
}

function mock() {
  const agent = mockOrigins();
  const pool = agent.get(EXCHANGE);
  const seen: Seen[] = [];
  const reply = (status: number, data: unknown, headers: Record<string, string> = {}) =>
    pool.intercept({ path: (p) => p.startsWith('/adminapi/'), method: 'POST' }).reply((opts) => {
      seen.push({ path: opts.path, headers: opts.headers as Record<string, string>, body: JSON.parse(String(opts.body)) });
      return { statusCode: status, data: JSON.stringify(data), responseOptions: { headers: { ...JSON_HEADERS, ...headers } } };
    });
  return { agent, reply, seen };
}

/**
 * Answers one `$batch` (G20 [O]): each item by the first of `rows` whose key its body names,
 * `{"responses":[{"id","status","body"}]}`, in reverse order as the simulator does.
 */
function replyBatch(agent: MockOrigins, rows: Record<string, unknown[]>) {
  agent
    .get(EXCHANGE)
    .intercept({ path: `/adminapi/beta/${TENANT}/$batch`, method: 'POST' })
    .reply((opts) => {
      const items = (JSON.parse(String(opts.body)) as { requests: { id: string; body: unknown }[] }).requests;
      const responses = items.map((i) => {
        const key = Object.keys(rows).find((k) => JSON.stringify(i.body).includes(k));
        return key ? { id: i.id, status: 200, body: { value: rows[key] } } : { id: i.id, status: 404, body: { error: { code: 'NotFound', message: 'not in this test' } } };
      });
      return { statusCode: 200, data: JSON.stringify({ responses: responses.reverse() }), responseOptions: { headers: JSON_HEADERS } };
    });
}

/** A CollectContext from the runner's FactStore (the collector runs as it does in a run). */
function collectCtx(s: ReturnType<typeof store>): Promise<CollectContext> {
  return new Promise((resolve) => {
    void s.outcome({ id: 'ctx-probe', scope: 'tenant', collect: async (ctx) => resolve(ctx) }, null);
  });
}


beforeEach(() => {
  token.current.identity = 'app';
  token.current.claims.roles = ['Exchange.ManageAsApp'];
  token.current.claims.upn = undefined;
});

describe('Exchange admin API collector', () => {
  it('POSTs the observed request shape (reference D1) and follows @odata.nextLink with the same body', async () => {
    const m = mock();
    m.reply(200, { value: [{ Name: 'Default' }], '@odata.nextLink': `${EXCHANGE}${PATH}?$skiptoken=2` });
    m.reply(200, { value: [{ Name: 'Webex' }] });
    const ctx = await collectCtx(store());
    const rows = await invokeCommand(ctx, 'Get-HostedOutboundSpamFilterPolicy');
    expect(rows.map((r) => r.Name)).toEqual(['Default', 'Webex']);
    expect(m.seen[0]!.path).toBe(PATH);
    expect(m.seen[1]!.path).toBe(`${PATH}?$skiptoken=2`);
    expect(m.seen[0]!.body).toEqual({ CmdletInput: { CmdletName: 'Get-HostedOutboundSpamFilterPolicy', Parameters: {} } });
    expect(m.seen[1]!.body).toEqual(m.seen[0]!.body);
    const h = m.seen[0]!.headers;
    expect(h.authorization).toBe('Bearer fake-exchange-access-token-value');
    expect(h['x-anchormailbox']).toBe(`APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${TENANT}`);
    expect(h.prefer).toBe('odata.maxpagesize=1000');
  });

  it('anchors delegated (device-code) calls on the admin\'s UPN', async () => {
    token.current.identity = 'device-code';
    token.current.claims.upn = 'admin@contoso.com';
    const m = mock();
    m.reply(200, { value: [] });
    await invokeCommand(await collectCtx(store()), 'Get-RemoteDomain');
    expect(m.seen[0]!.headers['x-anchormailbox']).toBe('UPN:admin@contoso.com');
  });

  it('passes cmdlet parameters', async () => {
    const m = mock();
    m.reply(200, { value: [{ Identity: 'John' }] });
    await invokeCommand(await collectCtx(store()), 'Get-Mailbox', { parameters: { Identity: 'john@contoso.com' } });
    expect(m.seen[0]!.body.CmdletInput.Parameters).toEqual({ Identity: 'john@contoso.com' });
  });

  it('retries when the body says the tenant hit its concurrent-request limit', async () => {
    const m = mock();
    m.reply(400, { error: { code: 'BadRequest', message: 'You have reached the maximum number of concurrent requests per tenant. Please wait and try again.' } });
    m.reply(200, { value: [{ DomainName: '*' }] });
    const rows = await invokeCommand(await collectCtx(store()), 'Get-RemoteDomain');
    expect(rows).toHaveLength(1);
    expect(m.seen).toHaveLength(2);
  });

  it('403 without Exchange.ManageAsApp → MISSING_PERMISSION naming the permission and both ways out', async () => {
    token.current.claims.roles = [];
    const m = mock();
    m.reply(403, { error: { code: 'Forbidden', message: 'Access denied' } }, { 'request-id': 'req-403' });
    const e = await caught(invokeCommand(await collectCtx(store()), 'Get-TransportConfig'));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission).toMatchObject({ name: 'Exchange.ManageAsApp', api: 'Office 365 Exchange Online' });
    expect(e.permission?.identity).toContain('reader app 2c1d0e7a');
    expect(e.details).toContain('--reader-client-id');
    expect(e.details).toContain('wxmail evidence-script');
    expect(e.details).toContain('--exchange-evidence');
    expect(e.requestIds).toEqual(['req-403']);
    expect(JSON.stringify(e.toJSON())).not.toContain('fake-exchange-access-token-value');
  });

  it('401 with Exchange.ManageAsApp but no role → MISSING_PERMISSION naming the Entra role', async () => {
    const m = mock();
    m.reply(401, { error: { code: 'Unauthorized', message: 'The user is not authorized' } });
    const e = await caught(invokeCommand(await collectCtx(store()), 'Get-TransportConfig'));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission?.name).toMatch(/Global Reader/);
  });

  it('other errors → UNEXPECTED_RESPONSE with the message from error.details (split on |)', async () => {
    const m = mock();
    m.reply(500, { error: { code: 'InternalServerError', message: 'x', details: [{ message: 'Ex6F9304|Microsoft.Exchange.Configuration.Tasks.TaskException|Something broke' }] } });
    const e = await caught(invokeCommand(await collectCtx(store()), 'Get-TransportRule'));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.message).toContain('Something broke');
    expect(e.evidence).toMatchObject({ exceptionType: 'Microsoft.Exchange.Configuration.Tasks.TaskException' });
  });

  it('an unknown mailbox → MAILBOX_NOT_FOUND (fail)', async () => {
    const m = mock();
    m.reply(404, { error: { code: 'NotFound', message: "|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'nobody@contoso.com' couldn't be found on 'x'." } });
    const s = store({ assets: [{ mailbox: 'nobody@contoso.com' }] });
    const o = await s.outcome(exchangeMailboxFact, { mailbox: 'nobody@contoso.com' });
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(o.error.code).toBe('MAILBOX_NOT_FOUND');
      expect(o.error.message).toContain('nobody@contoso.com');
    }
  });

  it('reads both outbound spam cmdlets for one tenant fact and normalises them', async () => {
    const m = mock();
    // Both reads start in one tick: they travel in one $batch.
    replyBatch(m.agent, {
      'Get-HostedOutboundSpamFilterPolicy': [{ Identity: 'Default', Name: 'Default', IsDefault: true, Enabled: true, AutoForwardingMode: 'Automatic' }],
      'Get-HostedOutboundSpamFilterRule': [{ Identity: 'W', Name: 'W', HostedOutboundSpamFilterPolicy: 'W', Priority: 0, State: 'Enabled', From: ['john@contoso.com'], FromMemberOf: null }],
    });
    const o = await store().outcome(outboundSpamFact, null);
    expect(o.ok && o.value).toMatchObject({
      policies: [{ name: 'Default', isDefault: true, autoForwardingMode: 'Automatic' }],
      rules: [{ name: 'W', policy: 'W', priority: 0, state: 'Enabled', from: ['john@contoso.com'], fromMemberOf: [] }],
      source: 'Exchange admin API (undocumented, observed shape)',
    });
  });

  it('keeps at most 3 requests ($batch or single) in flight per tenant', async () => {
    let inFlight = 0;
    let max = 0;
    let served = 0;
    let items = 0;
    const held: { res: ServerResponse; body: string }[] = [];
    const release = () => {
      for (const h of held.splice(0)) {
        inFlight--;
        h.res.end(h.body);
      }
    };
    const calls = 35;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        inFlight++;
        served++;
        max = Math.max(max, inFlight);
        const requests = (JSON.parse(text) as { requests?: { id: string }[] }).requests;
        items += requests ? requests.length : 1;
        res.setHeader('content-type', 'application/json');
        const body = requests ? { responses: requests.map((r) => ({ id: r.id, status: 200, body: { value: [] } })) } : { value: [] };
        held.push({ res, body: JSON.stringify(body) });
        // Hold answers until three are waiting (or the last ones arrived), so a fourth concurrent request would be seen.
        if (held.length >= 3 || items === calls) setTimeout(release, 20);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const ctx = await collectCtx(store({ endpoints: { login: '', graph: '', exchange: `http://127.0.0.1:${port}`, smtpHost: '', smtpPort: 587, imapHost: '', imapPort: 993 } }));
      await Promise.all(Array.from({ length: calls }, (_, i) => invokeCommand(ctx, 'Get-Mailbox', { parameters: { Identity: `m${i}@contoso.com` } })));
      expect(items).toBe(calls);
      expect(served).toBe(4);
      expect(max).toBeLessThanOrEqual(3);
      expect(max).toBeGreaterThan(1);
    } finally {
      server.close();
    }
  });

  it('resolves group membership through Graph transitiveMemberOf when an outbound rule uses FromMemberOf', async () => {
    const m = mock();
    replyBatch(m.agent, {
      'Get-HostedOutboundSpamFilterRule': [{ Name: 'W', HostedOutboundSpamFilterPolicy: 'W', Priority: 0, State: 'Enabled', FromMemberOf: ['Contact Center Mailboxes'] }],
      'Get-HostedOutboundSpamFilterPolicy': [],
      'Get-TransportRule': [],
    });
    const graph = m.agent.get(GRAPH);
    // Graph refuses $batch here (501), so the Graph reads fall back to the single GETs below.
    graph.intercept({ path: '/v1.0/$batch', method: 'POST' }).reply(501, { error: { code: 'NotImplemented', message: 'no batch here' } }, { headers: JSON_HEADERS });
    // G1: the mailbox is resolved to its user first (`$filter` on mail or userPrincipalName), then
    // its groups are read by the user's object id.
    let filter = '';
    graph
      .intercept({ path: (p) => p.startsWith('/v1.0/users?'), method: 'GET' })
      .reply((o) => {
        filter = new URLSearchParams(o.path.slice(o.path.indexOf('?') + 1)).get('$filter') ?? '';
        return { statusCode: 200, data: JSON.stringify({ value: [{ id: 'u-john', userPrincipalName: 'john@contoso.com', mail: 'john@contoso.com' }] }), responseOptions: { headers: JSON_HEADERS } };
      });
    graph
      .intercept({ path: '/v1.0/users/u-john/transitiveMemberOf?$select=id,displayName,mail,mailNickname', method: 'GET' })
      .reply(200, { value: [{ '@odata.type': '#microsoft.graph.group', id: 'g1', displayName: 'Contact Center Mailboxes', mail: null, mailNickname: 'ContactCenterMailboxes' }, { '@odata.type': '#microsoft.graph.directoryRole', id: 'r1', displayName: 'Global Reader' }] }, { headers: JSON_HEADERS });
    const o = await store().outcome(ruleGroupMembershipFact, { mailbox: 'john@contoso.com' });
    expect(o.ok && o.value).toEqual({ needed: true, groups: [{ id: 'g1', displayName: 'Contact Center Mailboxes', mail: null, mailNickname: 'ContactCenterMailboxes' }] });
    expect(filter).toBe("mail eq 'john@contoso.com' or userPrincipalName eq 'john@contoso.com'");
  });
});
