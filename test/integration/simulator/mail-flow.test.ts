import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimContext } from '../../../src/simulator/context.js';
import { startMailServers, submitMessage, type MailServers } from '../../../src/simulator/mail/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Scenario } from '../../../src/simulator/scenario/schema.js';
import { makeSimContext } from '../../helpers/sim.js';

const JOHN = 'john@contoso.com';
const WEBEX = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io';
const BLOCKED = '550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)';

/** john's own delegated token (SMTP.Send + IMAP.AccessAsUser.All): these scenarios extend healthy, whose app has no SMTP/IMAP roles. */
async function johnToken(ctx: SimContext): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return ctx.tokens.sign({
    aud: 'https://outlook.office365.com',
    iss: `https://sts.windows.net/${ctx.scenario.tenant.id}/`,
    tid: ctx.scenario.tenant.id,
    appid: ctx.scenario.apps.webex!.appId,
    oid: ctx.scenario.users.john!.id,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    idtyp: 'user',
    scp: 'SMTP.Send IMAP.AccessAsUser.All',
    upn: JOHN,
  });
}

let running: MailServers | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function tenant(scenario: string | Scenario): Promise<{ ctx: SimContext; servers: MailServers }> {
  const ctx = await makeSimContext(scenario);
  running = await startMailServers(ctx);
  return { ctx, servers: running };
}

/** A variant of healthy for one test. */
/** A mail flow rule blocking auto-forwards to the outside, without an action yet. */
function base(): Scenario['exchange']['transportRules'][string] {
  return {
    priority: 0, state: 'Enabled', mode: 'Enforce', from: [], fromScope: null, sentToScope: 'NotInOrganization', messageTypeMatches: 'AutoForward',
    rejectMessageReasonText: null, rejectMessageEnhancedStatusCode: null, deleteMessage: false, redirectMessageTo: [],
  };
}

function healthyWith(change: (s: Scenario) => void): Scenario {
  const s = structuredClone(loadScenario('healthy'));
  change(s);
  return s;
}

/** john sends a probe to himself over SMTP, as the doctor's round-trip probe does; returns its Message-ID. */
async function probe(ctx: SimContext, servers: MailServers, to = JOHN): Promise<string> {
  const t = nodemailer.createTransport({
    host: '127.0.0.1',
    port: servers.smtpPort,
    secure: false,
    requireTLS: true,
    tls: { ca: [ctx.tls.cert], servername: 'localhost' },
    auth: { type: 'OAuth2', user: JOHN, accessToken: await johnToken(ctx) },
  });
  try {
    const info = await t.sendMail({ from: JOHN, to, subject: 'wxmail round trip', text: 'probe', envelope: { from: JOHN, to: [to] } });
    return info.messageId;
  } finally {
    t.close();
  }
}

const externalIds = (ctx: SimContext, messageId: string) => ctx.mail.external().filter((e) => e.messageId === messageId);
const inboxIds = (ctx: SimContext, address = JOHN) => ctx.mail.inbox(address).map((m) => m.messageId);
const ndrs = (ctx: SimContext, address = JOHN) => ctx.mail.inbox(address).filter((m) => m.subject.startsWith('Undeliverable:'));

describe('mail flow: forwarding to Webex Connect', () => {
  it('healthy: the forward leaves the tenant and the mailbox keeps a copy', async () => {
    const { ctx, servers } = await tenant('healthy');
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id).map((e) => e.to)).toEqual([WEBEX]);
    expect(inboxIds(ctx)).toEqual([id]);
    expect(ndrs(ctx)).toEqual([]);
  });

  it('without DeliverToMailboxAndForward the mailbox keeps nothing', async () => {
    const { ctx, servers } = await tenant(healthyWith((s) => (s.users.john!.mailbox!.deliverToMailboxAndForward = false)));
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id).map((e) => e.to)).toEqual([WEBEX]);
    expect(inboxIds(ctx)).toEqual([]);
  });

  it('outbound spam policy blocks: NDR with 5.7.520 in the sender’s inbox, threaded to the Message-ID, readable over IMAP', async () => {
    const { ctx, servers } = await tenant('mailflow-policy-blocked');
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id)).toEqual([]);
    const [ndr, ...more] = ndrs(ctx);
    expect(more).toEqual([]);
    expect(ndr!.subject).toBe('Undeliverable: wxmail round trip');
    expect(ndr!.from).toBe('microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com');
    expect(ndr!.raw).toContain(`In-Reply-To: ${id}\r\n`);
    expect(ndr!.raw).toContain(`References: ${id}\r\n`);
    expect(ndr!.raw).toContain(BLOCKED);
    expect(ndr!.raw).toContain('Content-Type: message/delivery-status');
    expect(ndr!.raw).toContain(`Final-Recipient: rfc822;${WEBEX}`);
    expect(ndr!.raw).toContain(`Original message ID: ${id}`);
    // deliverToMailboxAndForward keeps the original next to the report.
    expect(inboxIds(ctx)).toContain(id);

    // What the doctor's round-trip probe does: find the NDR over IMAP by the probe's Message-ID.
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: servers.imapPort,
      secure: true,
      tls: { ca: [ctx.tls.cert], servername: 'localhost' },
      auth: { user: JOHN, accessToken: await johnToken(ctx) },
      logger: false,
    });
    await c.connect();
    try {
      await c.mailboxOpen('INBOX');
      const uids = await c.search({ header: { 'in-reply-to': id } }, { uid: true });
      expect(uids).toHaveLength(1);
      const msg = await c.fetchOne(String((uids as number[])[0]), { envelope: true, source: true, bodyStructure: true }, { uid: true });
      expect(msg && msg.envelope?.inReplyTo).toBe(id);
      expect(msg && msg.source?.toString()).toContain('Status: 5.7.520');
      expect(msg && msg.bodyStructure?.type).toBe('multipart/report');
      expect(msg && msg.bodyStructure?.childNodes?.map((p) => p.type)).toEqual(['text/plain', 'message/delivery-status', 'text/rfc822-headers']);
      expect(await c.search({ text: id })).toHaveLength(2); // the original and the NDR that quotes it
    } finally {
      await c.logout();
    }
  });

  it('remote domain with AutoForwardEnabled false: nothing leaves, no NDR', async () => {
    const { ctx, servers } = await tenant('mailflow-remote-domain-blocked');
    const id = await probe(ctx, servers);
    expect(ctx.mail.external()).toEqual([]);
    expect(ndrs(ctx)).toEqual([]);
    expect(inboxIds(ctx)).toEqual([id]);
  });

  it('a transport rule rejecting auto-forwards outside the organization: nothing leaves, an NDR with the rule\'s 5.7.1 and text (G14)', async () => {
    const { ctx, servers } = await tenant('mailflow-transport-rule-blocked');
    const id = await probe(ctx, servers);
    expect(ctx.mail.external()).toEqual([]);
    const bounced = ndrs(ctx);
    expect(bounced).toHaveLength(1);
    expect(bounced[0]!.raw).toContain('Status: 5.7.1');
    expect(bounced[0]!.raw).toContain('Diagnostic-Code: smtp;550 5.7.1 External forwarding is not allowed.');
    expect(bounced[0]!.raw).not.toContain('5.7.520');
    expect(inboxIds(ctx)).toContain(id);
  });

  it('a rule deleting auto-forwards drops them silently; one with its own status bounces with it', async () => {
    const del = await tenant(
      healthyWith((s) => {
        s.exchange.transportRules = { Drop: { ...base(), deleteMessage: true } };
      }),
    );
    await probe(del.ctx, del.servers);
    expect(del.ctx.mail.external()).toEqual([]);
    expect(ndrs(del.ctx)).toEqual([]);
    await del.servers.stop();
    const own = await tenant(
      healthyWith((s) => {
        s.exchange.transportRules = { Own: { ...base(), rejectMessageReasonText: 'No forwarding', rejectMessageEnhancedStatusCode: '5.7.950' } };
      }),
    );
    await probe(own.ctx, own.servers);
    expect(ndrs(own.ctx)[0]!.raw).toContain('Diagnostic-Code: smtp;550 5.7.950 No forwarding');
  });

  it('customer mail keeps its From (G13): ExceptIfFrom the mailbox exempts the self-sent probe, not mail from outside', async () => {
    const { ctx, servers } = await tenant(
      healthyWith((s) => {
        s.exchange.transportRules = { 'Block fwd': { ...base(), rejectMessageReasonText: 'Blocked', exceptIfFrom: [JOHN] } };
      }),
    );
    const probeId = await probe(ctx, servers);
    expect(externalIds(ctx, probeId).map((e) => e.to)).toEqual([WEBEX]);
    const { messageId } = submitMessage(ctx, {
      envelopeFrom: 'customer@fabrikam.example',
      recipients: [JOHN],
      raw: `From: <customer@fabrikam.example>\r\nTo: <${JOHN}>\r\nSubject: order 42\r\nMessage-ID: <c42@fabrikam.example>\r\n\r\nhello\r\n`,
    });
    expect(externalIds(ctx, messageId)).toEqual([]);
    // The bounce goes back to the customer (through the SRS envelope), not to the mailbox.
    expect(ctx.mail.external().some((e) => e.to === 'customer@fabrikam.example')).toBe(true);
    expect(ndrs(ctx)).toEqual([]);
  });

  it('a transport rule in Audit mode does not block', async () => {
    const s = structuredClone(loadScenario('mailflow-transport-rule-blocked'));
    s.exchange.transportRules['Block external auto-forwarding']!.mode = 'Audit';
    const { ctx, servers } = await tenant(s);
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id).map((e) => e.to)).toEqual([WEBEX]);
  });

  it('custom policy by From (healthy), by group (FromMemberOf) allows the forward', async () => {
    const { ctx, servers } = await tenant('mailflow-policy-by-group');
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id).map((e) => e.to)).toEqual([WEBEX]);
    expect(ndrs(ctx)).toEqual([]);
  });

  it('custom policy by SenderDomainIs allows the forward', async () => {
    const { ctx, servers } = await tenant(
      healthyWith((s) => {
        const rule = s.exchange.outboundSpamRules['Webex Connect forwarding']!;
        rule.from = [];
        rule.senderDomainIs = ['contoso.com'];
      }),
    );
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id)).toHaveLength(1);
  });

  it('an exception (ExceptIfFrom) excludes the mailbox from the custom policy: Default applies and bounces', async () => {
    const { ctx, servers } = await tenant('mailflow-policy-exception');
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id)).toEqual([]);
    expect(ndrs(ctx)).toHaveLength(1);
    expect(ndrs(ctx)[0]!.raw).toContain(`In-Reply-To: ${id}`);
  });

  it('a higher-priority rule with AutoForwardingMode Off wins over the allowing one', async () => {
    const { ctx, servers } = await tenant(
      healthyWith((s) => {
        s.exchange.outboundSpamPolicies['Strict'] = { isDefault: false, enabled: true, autoForwardingMode: 'Off' };
        s.exchange.outboundSpamRules['Webex Connect forwarding']!.priority = 1;
        s.exchange.outboundSpamRules['Strict'] = {
          policy: 'Strict',
          priority: 0,
          state: 'Enabled',
          from: [],
          fromMemberOf: ['contactCenter'],
          senderDomainIs: [],
          exceptIfFrom: [],
          exceptIfFromMemberOf: [],
          exceptIfSenderDomainIs: [],
        };
      }),
    );
    const id = await probe(ctx, servers);
    expect(externalIds(ctx, id)).toEqual([]);
    expect(ndrs(ctx)).toHaveLength(1);
  });

  it('ForwardingAddress (internal) wins over ForwardingSmtpAddress', async () => {
    const { ctx, servers } = await tenant(
      healthyWith((s) => {
        s.users.jane = { id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', userPrincipalName: 'jane@contoso.com', displayName: 'Jane', mail: 'jane@contoso.com', accountEnabled: true, memberOf: [], mailbox: structuredClone(s.users.john!.mailbox!) };
        s.users.jane.mailbox!.forwardingSmtpAddress = null;
        s.users.john!.mailbox!.forwardingAddress = 'jane';
        s.users.john!.mailbox!.deliverToMailboxAndForward = false;
      }),
    );
    const id = await probe(ctx, servers);
    expect(ctx.mail.external()).toEqual([]);
    expect(inboxIds(ctx, 'jane@contoso.com')).toEqual([id]);
    expect(inboxIds(ctx)).toEqual([]);
  });

  it('an inbox rule redirecting outside goes through the same controls and keeps the original', async () => {
    const rule = { displayName: 'To Webex', sequence: 1, isEnabled: true, hasError: false, forwardTo: [], forwardAsAttachmentTo: [], redirectTo: [WEBEX], stopProcessingRules: false };
    const allowed = await tenant(
      healthyWith((s) => {
        s.users.john!.mailbox!.forwardingSmtpAddress = null;
        s.users.john!.mailbox!.inboxRules = { toWebex: rule };
      }),
    );
    const id = await probe(allowed.ctx, allowed.servers);
    expect(externalIds(allowed.ctx, id).map((e) => e.to)).toEqual([WEBEX]);
    expect(inboxIds(allowed.ctx)).toEqual([id]);
    await allowed.servers.stop();

    const blocked = await tenant(
      healthyWith((s) => {
        s.users.john!.mailbox!.forwardingSmtpAddress = null;
        s.users.john!.mailbox!.inboxRules = { toWebex: rule };
        s.exchange.outboundSpamRules['Webex Connect forwarding']!.state = 'Disabled';
      }),
    );
    const id2 = await probe(blocked.ctx, blocked.servers);
    expect(blocked.ctx.mail.external()).toEqual([]);
    // G15 [V]: an inbox-rule forward blocked by the policy gives internal senders no NDR.
    expect(ndrs(blocked.ctx)).toEqual([]);
    expect(inboxIds(blocked.ctx)).toContain(id2);
  });

  it('a disabled inbox rule does nothing', async () => {
    const { ctx, servers } = await tenant(
      healthyWith((s) => {
        s.users.john!.mailbox!.forwardingSmtpAddress = null;
        s.users.john!.mailbox!.inboxRules = {
          off: { displayName: 'off', sequence: 1, isEnabled: false, hasError: false, forwardTo: [WEBEX], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: false },
        };
      }),
    );
    const id = await probe(ctx, servers);
    expect(ctx.mail.external()).toEqual([]);
    expect(inboxIds(ctx)).toEqual([id]);
  });
});
