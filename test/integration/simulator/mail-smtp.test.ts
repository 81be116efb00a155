import net from 'node:net';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimContext } from '../../../src/simulator/context.js';
import { startMailServers, type MailServers } from '../../../src/simulator/mail/index.js';
import type { Fault } from '../../../src/simulator/scenario/schema.js';
import type { SimClaims } from '../../../src/simulator/tokens.js';
import { makeSimContext, mintExchangeToken } from '../../helpers/sim.js';

const HOST = 'SN2PR00CA0018.namprd00.prod.outlook.com';
const AUTH_FAILED = `535 5.7.3 Authentication unsuccessful [${HOST}]`;
const JOHN = 'john@contoso.com';

const token = mintExchangeToken;

function transport(ctx: SimContext, port: number, auth?: { user: string; accessToken: string }) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    tls: { ca: [ctx.tls.cert], servername: 'localhost' },
    ...(auth ? { auth: { type: 'OAuth2' as const, user: auth.user, accessToken: auth.accessToken } } : {}),
  });
}

async function send(ctx: SimContext, port: number, opts: { user?: string; accessToken?: string; from?: string; to?: string } = {}) {
  const from = opts.from ?? JOHN;
  const to = opts.to ?? JOHN;
  const auth = opts.accessToken ? { user: opts.user ?? JOHN, accessToken: opts.accessToken } : undefined;
  const t = transport(ctx, port, auth);
  try {
    return await t.sendMail({ from, to, subject: 'wxmail probe', text: 'probe body', envelope: { from, to: [to] } });
  } finally {
    t.close();
  }
}

/** The error sendMail rejected with (the test fails if it resolved). */
async function failure(p: Promise<unknown>): Promise<{ code?: string; responseCode?: number; command?: string; response?: string; message: string }> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e as { code?: string; responseCode?: number; command?: string; response?: string; message: string },
  );
  if (!r) throw new Error('expected the SMTP exchange to fail');
  return r;
}

/** A line-oriented SMTP client on a raw socket, for what nodemailer does not show (EHLO lists). */
class RawSmtp {
  private buf = '';
  private waiters: (() => void)[] = [];
  constructor(private socket: net.Socket | tls.TLSSocket) {
    this.listen(socket);
  }
  private listen(s: net.Socket | tls.TLSSocket): void {
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      this.buf += d;
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  /** Reads one complete (possibly multi-line) reply. */
  async reply(): Promise<string[]> {
    for (;;) {
      const lines = this.buf.split('\r\n');
      const end = lines.findIndex((l) => /^\d{3} /.test(l));
      if (end >= 0) {
        this.buf = lines.slice(end + 1).join('\r\n');
        return lines.slice(0, end + 1);
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async cmd(line: string): Promise<string[]> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }
  upgrade(ca: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ socket: this.socket as net.Socket, ca: [ca], servername: 'localhost' }, () => resolve());
      secure.once('error', reject);
      this.socket = secure;
      this.buf = '';
      this.listen(secure);
    });
  }
  end(): void {
    this.socket.destroy();
  }
}

function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

describe('simulated Exchange Online SMTP submission', () => {
  let ctx: SimContext;
  let servers: MailServers;
  let port: number;

  beforeAll(async () => {
    ctx = await makeSimContext('healthy-app-smtp');
    servers = await startMailServers(ctx);
    port = servers.smtpPort;
  });
  afterAll(async () => {
    await servers.stop();
  });

  /** Runs `fn` with a temporary change to the scenario (the servers read it live). */
  async function withScenario<T>(change: (s: SimContext['scenario']) => void, fn: () => Promise<T>): Promise<T> {
    const saved = structuredClone(ctx.scenario);
    change(ctx.scenario);
    try {
      return await fn();
    } finally {
      Object.assign(ctx.scenario, saved);
    }
  }

  it('greets like Exchange and offers AUTH only after STARTTLS', async () => {
    const smtp = new RawSmtp(await rawConnect(port));
    try {
      const [banner] = await smtp.reply();
      expect(banner).toMatch(/^220 SN2PR00CA0018\.outlook\.office365\.com Microsoft ESMTP MAIL Service ready at \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
      const before = await smtp.cmd('EHLO probe.example');
      expect(before[0]).toBe('250-SN2PR00CA0018.outlook.office365.com Hello [127.0.0.1]');
      expect(before).toContain('250-STARTTLS');
      expect(before.filter((l) => /AUTH/.test(l))).toEqual([]);
      // Exchange answers an AUTH attempt in clear text like an unknown mechanism.
      expect(await smtp.cmd('AUTH XOAUTH2')).toEqual(['504 5.7.4 Unrecognized authentication type']);
      expect(await smtp.cmd('MAIL FROM:<john@contoso.com>')).toEqual(['530 5.7.0 Must issue a STARTTLS command first']);
      expect(await smtp.cmd('STARTTLS')).toEqual(['220 2.0.0 SMTP server ready']);
      await smtp.upgrade(ctx.tls.cert);
      const after = await smtp.cmd('EHLO probe.example');
      expect(after).toContain('250-AUTH LOGIN XOAUTH2');
      expect(after.filter((l) => /STARTTLS/.test(l))).toEqual([]);
      expect(await smtp.cmd('QUIT')).toEqual(['221 2.0.0 Service closing transmission channel']);
    } finally {
      smtp.end();
    }
  });

  it('accepts an app-only token with SMTP.SendAsApp, SP and FullAccess, and delivers the mail', async () => {
    const info = await send(ctx, port, { accessToken: await token(ctx) });
    expect(info.response).toMatch(new RegExp(`^250 2\\.0\\.0 OK <[^>]+> \\[Hostname=${HOST.replace(/\./g, '\\.')}\\]$`));
    expect(info.accepted).toEqual([JOHN]);
    const messageId = info.messageId;
    expect(info.response).toContain(messageId);
    expect(ctx.mail.inbox(JOHN).map((m) => m.messageId)).toContain(messageId);
    // healthy forwards john's mail to Webex Connect and keeps a copy.
    expect(ctx.mail.external()).toContainEqual(expect.objectContaining({ to: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io', messageId }));
  });

  it('accepts a delegated token (SMTP.Send) for the user’s own mailbox', async () => {
    const info = await send(ctx, port, { accessToken: await token(ctx, { delegated: true }) });
    expect(info.response).toMatch(/^250 2\.0\.0 OK </);
  });

  it.each([
    ['app token without SMTP.SendAsApp', { roles: ['Mail.Send'] }],
    ['expired token', { iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 60 }],
    ['token for another audience', { aud: 'https://graph.microsoft.com' }],
    ['token from another tenant', { tid: '11111111-2222-4333-8444-555555555555' }],
    ['delegated token without SMTP.Send', { delegated: true, scp: 'User.Read' }],
  ] as const)('refuses an %s with 535 5.7.3', async (_name, claims) => {
    const err = await failure(send(ctx, port, { accessToken: await token(ctx, claims as Partial<SimClaims> & { delegated?: boolean }) }));
    expect(err).toMatchObject({ code: 'EAUTH', responseCode: 535, command: 'AUTH XOAUTH2', response: AUTH_FAILED });
  });

  it('refuses a token that is not a JWT of the simulator', async () => {
    const err = await failure(send(ctx, port, { accessToken: 'not-a-token' }));
    expect(err).toMatchObject({ responseCode: 535, response: AUTH_FAILED });
  });

  it('refuses an app without an Exchange service principal with 535 5.7.3', async () => {
    const err = await withScenario(
      (s) => (s.apps.webex!.exchangeServicePrincipal = false),
      async () => failure(send(ctx, port, { accessToken: await token(ctx) })),
    );
    expect(err).toMatchObject({ responseCode: 535, command: 'AUTH XOAUTH2', response: AUTH_FAILED });
  });

  it('refuses an app without FullAccess on the mailbox with 535 5.7.3', async () => {
    const err = await withScenario(
      (s) => (s.users.john!.mailbox!.fullAccessApps = []),
      async () => failure(send(ctx, port, { accessToken: await token(ctx) })),
    );
    expect(err).toMatchObject({ responseCode: 535, command: 'AUTH XOAUTH2', response: AUTH_FAILED });
  });

  it('refuses user= that is not a mailbox with 535 5.7.3', async () => {
    const err = await failure(send(ctx, port, { user: 'nobody@contoso.com', from: 'nobody@contoso.com', accessToken: await token(ctx) }));
    expect(err).toMatchObject({ responseCode: 535, response: AUTH_FAILED });
  });

  it('says 5.7.139 … for the Mailbox when the mailbox has SMTP AUTH disabled', async () => {
    const err = await withScenario(
      (s) => (s.users.john!.mailbox!.smtpClientAuthenticationDisabled = true),
      async () => failure(send(ctx, port, { accessToken: await token(ctx) })),
    );
    expect(err).toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
      command: 'AUTH XOAUTH2',
      response: `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [${HOST}]`,
    });
  });

  it('says 5.7.139 … for the Tenant when the mailbox inherits a disabled tenant setting', async () => {
    const err = await withScenario(
      (s) => {
        s.users.john!.mailbox!.smtpClientAuthenticationDisabled = null;
        s.exchange.smtpClientAuthenticationDisabled = true;
      },
      async () => failure(send(ctx, port, { accessToken: await token(ctx) })),
    );
    expect(err).toMatchObject({
      responseCode: 535,
      command: 'AUTH XOAUTH2',
      response: `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [${HOST}]`,
    });
  });

  it('lets a mailbox with null inherit an enabled tenant setting', async () => {
    const info = await withScenario(
      (s) => {
        s.users.john!.mailbox!.smtpClientAuthenticationDisabled = null;
        s.exchange.smtpClientAuthenticationDisabled = false;
      },
      async () => send(ctx, port, { accessToken: await token(ctx) }),
    );
    expect(info.response).toMatch(/^250 2\.0\.0 OK </);
  });

  it('a mailbox setting of false wins over a disabled tenant', async () => {
    expect(ctx.scenario.exchange.smtpClientAuthenticationDisabled).toBe(true);
    const info = await send(ctx, port, { accessToken: await token(ctx) });
    expect(info.response).toMatch(/^250 /);
  });

  it('answers a foreign sender with 554 5.2.252 SendAsDenied after DATA, and delivers nothing', async () => {
    const before = ctx.mail.inbox(JOHN).length;
    const err = await failure(send(ctx, port, { from: 'jane@contoso.com', accessToken: await token(ctx) }));
    expect(err).toMatchObject({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' });
    expect(err.response).toBe(
      `554 5.2.252 SendAsDenied; john@contoso.com not allowed to send as jane@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. [Hostname=${HOST}]`,
    );
    expect(ctx.mail.inbox(JOHN).length).toBe(before);
  });

  it('answers MAIL FROM without AUTH with 530 5.7.57', async () => {
    const err = await failure(send(ctx, port));
    expect(err).toMatchObject({ responseCode: 530, command: 'MAIL FROM', response: '530 5.7.57 Client not authenticated to send mail.' });
  });

  it('refuses an unknown recipient in an accepted domain at RCPT TO', async () => {
    const err = await failure(send(ctx, port, { to: 'nobody@contoso.com', accessToken: await token(ctx) }));
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound; /);
  });

  it('sends mail to outside recipients out of the tenant', async () => {
    const info = await send(ctx, port, { to: 'someone@fabrikam.example', accessToken: await token(ctx) });
    expect(ctx.mail.external()).toContainEqual(expect.objectContaining({ to: 'someone@fabrikam.example', messageId: info.messageId }));
  });

  it('records the commands it served', () => {
    const smtp = ctx.traffic.entries().filter((e) => e.service === 'smtp').map((e) => e.what);
    expect(smtp).toEqual(expect.arrayContaining(['CONNECT', 'STARTTLS', 'AUTH XOAUTH2', 'MAIL FROM', 'RCPT TO', 'DATA']));
  });
});

describe('SMTP faults', () => {
  async function withFaults<T>(faults: Fault[], fn: (ctx: SimContext, servers: MailServers) => Promise<T>): Promise<T> {
    const ctx = await makeSimContext('healthy-app-smtp', { faults });
    const servers = await startMailServers(ctx);
    try {
      return await fn(ctx, servers);
    } finally {
      await servers.stop();
    }
  }

  it('an untrusted certificate fails the STARTTLS handshake', async () => {
    await withFaults([{ service: 'smtp', kind: 'untrusted-cert' }], async (ctx, servers) => {
      const err = await failure(send(ctx, servers.smtpPort, { accessToken: await token(ctx) }));
      expect(err.code).toBe('ESOCKET');
      expect(err.message).toMatch(/self[- ]signed certificate/);
    });
  });

  it('a reset on connect drops the connection', async () => {
    await withFaults([{ service: 'smtp', path: 'CONNECT', kind: 'reset', count: 1 }], async (ctx, servers) => {
      const err = await failure(send(ctx, servers.smtpPort, { accessToken: await token(ctx) }));
      expect(['ECONNECTION', 'ESOCKET']).toContain(err.code);
      // count: 1 — the next connection is served normally.
      const info = await send(ctx, servers.smtpPort, { accessToken: await token(ctx) });
      expect(info.response).toMatch(/^250 /);
    });
  });

  it('latency before the banner only delays the session', async () => {
    await withFaults([{ service: 'smtp', path: 'CONNECT', kind: 'latency', ms: 50 }], async (ctx, servers) => {
      const info = await send(ctx, servers.smtpPort, { accessToken: await token(ctx) });
      expect(info.response).toMatch(/^250 /);
    });
  });

  it('a 421 on AUTH is passed to the client', async () => {
    await withFaults([{ service: 'smtp', path: '^AUTH$', kind: 'status', status: 421 }], async (ctx, servers) => {
      const err = await failure(send(ctx, servers.smtpPort, { accessToken: await token(ctx) }));
      expect(err.responseCode).toBe(421);
    });
  });

  it('stop() ends a hung session at once', async () => {
    const ctx = await makeSimContext('healthy-app-smtp', { faults: [{ service: 'smtp', path: 'CONNECT', kind: 'hang' }] });
    const servers = await startMailServers(ctx);
    const socket = await rawConnect(servers.smtpPort);
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await servers.stop();
    await closed;
    expect(data).toBe(''); // never greeted
  });
});
