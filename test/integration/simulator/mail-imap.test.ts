import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimContext } from '../../../src/simulator/context.js';
import { startMailServers, submitMessage, type MailServers } from '../../../src/simulator/mail/index.js';
import type { Fault } from '../../../src/simulator/scenario/schema.js';
import { makeSimContext, mintExchangeToken } from '../../helpers/sim.js';

const JOHN = 'john@contoso.com';

const token = mintExchangeToken;

function client(ctx: SimContext, port: number, accessToken: string, user = JOHN): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: true,
    tls: { ca: [ctx.tls.cert], servername: 'localhost' },
    auth: { user, accessToken },
    logger: false,
    connectionTimeout: 10_000,
  });
}

/** Puts a message into john's mailbox the way an SMTP submission would. */
function deliver(ctx: SimContext, subject: string, extraHeaders = ''): string {
  const { messageId } = submitMessage(ctx, {
    envelopeFrom: 'jane@fabrikam.example',
    recipients: [JOHN],
    raw: `From: Jane <jane@fabrikam.example>\r\nTo: John <${JOHN}>\r\nSubject: ${subject}\r\n${extraHeaders}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello John,\r\nthis is ${subject}.\r\n`,
  });
  return messageId;
}

type ImapError = { authenticationFailed?: boolean; response?: string; responseStatus?: string; responseText?: string; message: string };

async function connectFailure(c: ImapFlow): Promise<ImapError> {
  const e = await c.connect().then(
    () => undefined,
    (err: unknown) => err as ImapError,
  );
  c.close();
  if (!e) throw new Error('expected connect() to fail');
  return e;
}

/** A raw TLS IMAP client for the exact greeting/CAPABILITY/BAD lines. */
async function raw(ctx: SimContext, port: number) {
  const socket = tls.connect({ host: '127.0.0.1', port, ca: [ctx.tls.cert], servername: 'localhost' });
  let buf = '';
  let wake: (() => void) | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buf += d;
    wake?.();
  });
  const until = async (re: RegExp): Promise<string[]> => {
    while (!re.test(buf)) await new Promise<void>((r) => (wake = r));
    const lines = buf.split('\r\n');
    const end = lines.findIndex((l) => re.test(`${l}\r\n`));
    buf = lines.slice(end + 1).join('\r\n');
    return lines.slice(0, end + 1);
  };
  return {
    until,
    cmd: async (tag: string, line: string) => {
      socket.write(`${tag} ${line}\r\n`);
      return until(new RegExp(`^${tag} .*\\r\\n`, 'm'));
    },
    write: (data: string) => socket.write(data),
    end: () => socket.destroy(),
  };
}

describe('simulated Exchange Online IMAP', () => {
  let ctx: SimContext;
  let servers: MailServers;
  let port: number;

  beforeAll(async () => {
    ctx = await makeSimContext('healthy-app-smtp');
    servers = await startMailServers(ctx);
    port = servers.imapPort;
  });
  afterAll(async () => {
    await servers.stop();
  });

  it('greets and lists Exchange’s capabilities; unknown commands get BAD', async () => {
    const c = await raw(ctx, port);
    try {
      const [greeting] = await c.until(/^\* OK .*\r\n/m);
      expect(greeting).toMatch(/^\* OK The Microsoft Exchange IMAP4 service is ready\. \[[A-Za-z0-9+/=]+\]$/);
      expect(await c.cmd('a1', 'CAPABILITY')).toEqual([
        '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+',
        'a1 OK CAPABILITY completed.',
      ]);
      expect(await c.cmd('a2', 'FROBNICATE')).toEqual(['a2 BAD Command Error. 12']);
      expect(await c.cmd('a3', 'SELECT INBOX')).toEqual(['a3 BAD Command received in Invalid state.']);
      expect(await c.cmd('a4', 'LOGIN john@contoso.com secret')).toEqual(['a4 NO LOGIN failed.']);
    } finally {
      c.end();
    }
  });

  it('AUTHENTICATE XOAUTH2 works by continuation too', async () => {
    const c = await raw(ctx, port);
    try {
      await c.until(/^\* OK .*\r\n/m);
      const blob = Buffer.from(`user=${JOHN}\x01auth=Bearer ${await token(ctx)}\x01\x01`).toString('base64');
      c.write('a1 AUTHENTICATE XOAUTH2\r\n');
      expect(await c.until(/^\+ .*\r\n/m)).toEqual(['+ ']);
      c.write(`${blob}\r\n`);
      expect(await c.until(/^a1 .*\r\n/m)).toEqual(['a1 OK AUTHENTICATE completed.']);
      expect(await c.cmd('a2', 'NAMESPACE')).toEqual(['* NAMESPACE (("" "/")) NIL NIL', 'a2 OK NAMESPACE completed.']);
      expect(await c.cmd('a3', 'LIST "" "*"')).toEqual(['* LIST (\\Marked \\HasNoChildren) "/" INBOX', 'a3 OK LIST completed.']);
      const select = await c.cmd('a4', 'EXAMINE INBOX');
      expect(select[select.length - 1]).toBe('a4 OK [READ-ONLY] EXAMINE completed.');
      expect(select).toContain('* OK [UIDVALIDITY 14] UIDVALIDITY value');
      expect(select.some((l) => /^\* OK \[UIDNEXT \d+\] The next unique identifier value$/.test(l))).toBe(true);
      expect(await c.cmd('a5', 'SEARCH FROBNICATE')).toEqual(['a5 BAD Command Argument Error. 11']);
      // Literals: LITERAL+ ({n+}) and the synchronising form, which waits for a continuation.
      const all = await c.cmd('a6', 'SEARCH ALL');
      expect(await c.cmd('a7', 'SEARCH CHARSET UTF-8 NOT SUBJECT {8+}\r\nno-match')).toEqual([all[0], 'a7 OK SEARCH completed.']);
      c.write('a8 SEARCH SUBJECT {8}\r\n');
      expect(await c.until(/^\+ .*\r\n/m)).toEqual(['+ Ready for additional command text.']);
      c.write('no-match\r\n');
      expect(await c.until(/^a8 .*\r\n/m)).toEqual(['* SEARCH', 'a8 OK SEARCH completed.']);
    } finally {
      c.end();
    }
  });

  it('logs in with an app token, opens INBOX and finds a delivered message by Message-ID', async () => {
    const subject = `probe ${Date.now()}`;
    const messageId = deliver(ctx, subject);
    const c = client(ctx, port, await token(ctx));
    await c.connect();
    try {
      const box = await c.mailboxOpen('INBOX');
      expect(box.exists).toBeGreaterThan(0);
      expect(box.uidValidity).toBe(14n);
      const uids = await c.search({ header: { 'message-id': messageId } }, { uid: true });
      expect(uids).toHaveLength(1);
      const found = [];
      for await (const m of c.fetch(uids as number[], { envelope: true, source: true, uid: true, flags: true, bodyStructure: true, internalDate: true, size: true }, { uid: true })) found.push(m);
      expect(found).toHaveLength(1);
      const m = found[0]!;
      expect(m.envelope?.messageId).toBe(messageId);
      expect(m.envelope?.subject).toBe(subject);
      expect(m.envelope?.from?.[0]).toMatchObject({ name: 'Jane', address: 'jane@fabrikam.example' });
      expect(m.envelope?.to?.[0]?.address).toBe(JOHN);
      expect(m.source?.toString()).toContain(`this is ${subject}.`);
      expect(m.bodyStructure?.type).toBe('text/plain');
      expect(m.size).toBe(m.source?.length);
      // A SEARCH for something that is not there finds nothing.
      expect(await c.search({ header: { 'message-id': '<nope@nowhere>' } })).toEqual([]);
      // BODY[HEADER.FIELDS] and TEXT search.
      const [first] = (await c.search({ body: `this is ${subject}` })) || [];
      expect(first).toBeDefined();
      const headers = await c.fetchOne(String(first), { headers: ['subject'] });
      expect(headers && headers.headers?.toString()).toBe(`Subject: ${subject}\r\n\r\n`);
      expect(await c.search({ since: new Date(Date.now() - 86_400_000), header: { 'message-id': messageId } })).toHaveLength(1);
    } finally {
      await c.logout();
    }
  });

  it('logs in with a delegated token (IMAP.AccessAsUser.All)', async () => {
    const c = client(ctx, port, await token(ctx, { delegated: true }));
    await c.connect();
    try {
      expect((await c.mailboxOpen('INBOX')).path).toBe('INBOX');
    } finally {
      await c.logout();
    }
  });

  it('answers NO AUTHENTICATE failed. to an app token without IMAP.AccessAsApp', async () => {
    const err = await connectFailure(client(ctx, port, await token(ctx, { roles: ['SMTP.SendAsApp'] })));
    expect(err.authenticationFailed).toBe(true);
    expect(err.responseStatus).toBe('NO');
    expect(err.responseText).toBe('AUTHENTICATE failed.');
  });

  it('answers NO AUTHENTICATE failed. to an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const err = await connectFailure(client(ctx, port, await token(ctx, { iat: now - 7200, nbf: now - 7200, exp: now - 1 })));
    expect(err.responseText).toBe('AUTHENTICATE failed.');
  });

  it('authenticates an app without FullAccess but then says "not connected"', async () => {
    const saved = ctx.scenario.users.john!.mailbox!.fullAccessApps;
    ctx.scenario.users.john!.mailbox!.fullAccessApps = [];
    try {
      const err = await connectFailure(client(ctx, port, await token(ctx)));
      expect(err.authenticationFailed).toBe(true);
      expect(err.message).toBe('Authentication failed');
      expect(err.response).toBe('User is authenticated but not connected.');
    } finally {
      ctx.scenario.users.john!.mailbox!.fullAccessApps = saved;
    }
  });

  it('says "not connected" for an app without an Exchange service principal', async () => {
    ctx.scenario.apps.webex!.exchangeServicePrincipal = false;
    try {
      const err = await connectFailure(client(ctx, port, await token(ctx)));
      expect(err.response).toBe('User is authenticated but not connected.');
    } finally {
      ctx.scenario.apps.webex!.exchangeServicePrincipal = true;
    }
  });

  it('shows mail delivered during the session on the next NOOP, and during IDLE', async () => {
    const c = client(ctx, port, await token(ctx));
    await c.connect();
    try {
      const box = await c.mailboxOpen('INBOX');
      const before = box.exists;
      deliver(ctx, 'while selected');
      await c.noop();
      expect(c.mailbox && c.mailbox.exists).toBe(before + 1);
      const seen = new Promise<number>((resolve) => c.once('exists', (e: { count: number }) => resolve(e.count)));
      const idling = c.idle();
      deliver(ctx, 'while idling');
      expect(await seen).toBe(before + 2);
      await c.noop(); // ends IDLE (imapflow sends DONE first)
      await idling;
      const uids = await c.search({ subject: 'while idling' }, { uid: true });
      expect(uids).toHaveLength(1);
    } finally {
      await c.logout();
    }
  });
});

describe('IMAP faults', () => {
  async function withFaults(faults: Fault[], fn: (ctx: SimContext, servers: MailServers) => Promise<void>): Promise<void> {
    const ctx = await makeSimContext('healthy-app-smtp', { faults });
    const servers = await startMailServers(ctx);
    try {
      await fn(ctx, servers);
    } finally {
      await servers.stop();
    }
  }

  it('an untrusted certificate fails the TLS handshake', async () => {
    await withFaults([{ service: 'imap', kind: 'untrusted-cert' }], async (ctx, servers) => {
      const c = client(ctx, servers.imapPort, await token(ctx));
      const err = await connectFailure(c);
      expect(err.message).toMatch(/self[- ]signed certificate/);
      expect(err.authenticationFailed).toBeUndefined();
    });
  });

  it('a reset on SELECT drops the connection', async () => {
    await withFaults([{ service: 'imap', path: '^SELECT$', kind: 'reset' }], async (ctx, servers) => {
      const c = client(ctx, servers.imapPort, await token(ctx));
      c.on('error', () => undefined);
      await c.connect();
      await expect(c.mailboxOpen('INBOX')).rejects.toBeDefined();
      c.close();
    });
  });

  it('stop() ends a session that never got its greeting', async () => {
    const ctx = await makeSimContext('healthy-app-smtp', { faults: [{ service: 'imap', path: 'CONNECT', kind: 'hang' }] });
    const servers = await startMailServers(ctx);
    const c = client(ctx, servers.imapPort, await token(ctx));
    c.on('error', () => undefined);
    const connecting = c.connect().then(
      () => 'connected',
      () => 'failed',
    );
    // Wait until the session is accepted (the TLS handshake is done before the fault hangs it).
    while (!ctx.traffic.entries().some((e) => e.service === 'imap' && e.what === 'CONNECT')) await new Promise((r) => setTimeout(r, 10));
    await servers.stop();
    expect(await connecting).toBe('failed');
  });
});
