import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SimContext } from '../context.js';
import { authorizeMailbox } from '../mail/auth.js';
import { ConnectionTracker, applyFault, listenOnLoopback, listenerTls } from '../mail/connections.js';
import { submitMessage } from '../mail/flow.js';
import { FRONTEND_HOST } from '../mail/hosts.js';
import { firstAddress, headerValue, parseHeader, splitMessage, toCrlf } from '../mail/mime.js';
import { resolveRecipient, userAddresses } from '../mail/recipients.js';
import { REPLY, authFailureReply, exchangeReply } from './replies.js';

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/** Who a session authenticated as (smtp-server keeps it in session.user). */
interface SmtpUser {
  userKey: string;
  address: string;
  /** An account of another organisation (scenario `externalSenders`): its mail arrives from outside. */
  external?: boolean;
}

/**
 * The scenario's outside accounts stand for another provider's submission server on the same
 * listener [I: one port keeps the simulator small]; they sign in with their password (LOGIN) or
 * token (XOAUTH2), which Exchange Online itself would refuse.
 */
function externalAccount(ctx: SimContext, auth: { method: string; username?: string | null; password?: string | null; accessToken?: string | null }): string | undefined {
  const user = (auth.username ?? '').toLowerCase();
  const entry = Object.entries(ctx.scenario.externalSenders ?? {}).find(([a]) => a.toLowerCase() === user);
  if (!entry) return undefined;
  const [address, cred] = entry;
  if (auth.method === 'XOAUTH2') return cred.token !== undefined && auth.accessToken === cred.token ? address.toLowerCase() : undefined;
  return cred.password !== undefined && auth.password === cred.password ? address.toLowerCase() : undefined;
}

/** Exchange Online's maximum message size as its EHLO advertises it after AUTH [O]. */
const MAX_SIZE = 157_286_400;

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * smtp.office365.com:587 on loopback: plaintext with STARTTLS, AUTH offered only after TLS (as
 * `AUTH LOGIN XOAUTH2`), XOAUTH2 checked by the mail auth model, SendAs checked after DATA, and
 * accepted mail handed to the mail-flow model.
 *
 * The listener is our own net.Server that hands each socket to smtp-server, so connection faults
 * (latency before the banner, reset, hang) can act on the raw socket before any SMTP is spoken.
 */
export async function startSmtpServer(ctx: SimContext, port = 0): Promise<SmtpListener> {
  const tls = await listenerTls(ctx, 'smtp');
  const tracker = new ConnectionTracker();
  const sockets = new Map<string, net.Socket>();

  /** Runs `run` unless a fault for this command (path = AUTH, MAIL, RCPT or DATA) says otherwise. */
  const withFault = (command: string, session: SMTPServerSession, fail: (err: Error) => void, run: () => void): void =>
    applyFault(ctx.faults.take('smtp', command), sockets.get(session.id), tracker, run, {
      status: (code) => fail(smtpError(code, REPLY.serviceNotAvailable)),
    });

  const smtp = new SMTPServer({
    name: FRONTEND_HOST,
    secure: false,
    key: tls.key,
    cert: tls.cert,
    logger: false,
    disableReverseLookup: true,
    authMethods: ['LOGIN', 'XOAUTH2'],
    authRequiredMessage: REPLY.notAuthenticated,
    heloResponse: '%s Hello %s',
    size: MAX_SIZE,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: false,
    // Exchange lists AUTH only once the session is encrypted; smtp-server would offer it in clear
    // text, so AUTH is disabled per session until onSecure (libraries.md §3: hideSTARTTLS and the
    // server-wide disabledCommands cannot express "after TLS only").
    onConnect(session, cb) {
      session.disabledCommands = ['AUTH'];
      cb();
    },
    onSecure(_socket, session, cb) {
      ctx.traffic.record('smtp', 'STARTTLS');
      session.disabledCommands = [];
      cb();
    },
    onAuth(auth, session, cb) {
      ctx.traffic.record('smtp', `AUTH ${auth.method}`);
      withFault('AUTH', session, cb, () => {
        const outside = externalAccount(ctx, auth);
        if (outside) return cb(null, { user: { userKey: '', address: outside, external: true } satisfies SmtpUser });
        if (auth.method !== 'XOAUTH2') return cb(smtpError(535, REPLY.basicAuthDisabled));
        authorizeMailbox(ctx, 'smtp', auth.username ?? '', auth.accessToken ?? '').then(
          (r) => {
            if (!r.ok) return cb(smtpError(535, authFailureReply(r.reason)));
            // G28 scenario knobs answered at AUTH [O]: refused credentials, or too many connections.
            const knob = r.user.mailbox?.smtpReply;
            if (knob === 'credentials-incorrect') return cb(smtpError(535, REPLY.credentialsIncorrect));
            if (knob === 'concurrent-connections') return cb(smtpError(432, REPLY.concurrentConnections));
            const user: SmtpUser = { userKey: r.userKey, address: r.address };
            cb(null, { user });
          },
          () => cb(smtpError(535, REPLY.authFailed)),
        );
      });
    },
    onMailFrom(_address, session, cb) {
      ctx.traffic.record('smtp', 'MAIL FROM');
      withFault('MAIL', session, cb, () => {
        if (!session.secure) return cb(smtpError(530, REPLY.startTlsFirst));
        if (!session.user) return cb(smtpError(530, REPLY.notAuthenticated));
        // SendAs is decided after DATA, where Exchange's store driver reports it (see onData).
        cb();
      });
    },
    onRcptTo(address, session, cb) {
      ctx.traffic.record('smtp', 'RCPT TO');
      withFault('RCPT', session, cb, () => {
        if (resolveRecipient(ctx.scenario, address.address).kind === 'unknown') return cb(smtpError(550, REPLY.recipientNotFound));
        cb();
      });
    },
    onData(stream, session, cb) {
      ctx.traffic.record('smtp', 'DATA');
      readAll(stream).then(
        (raw) => withFault('DATA', session, cb, () => {
          try {
            cb(null, accept(ctx, session, raw, stream.sizeExceeded));
          } catch (e) {
            cb(e as Error);
          }
        }),
        (e: Error) => cb(e),
      );
    },
  });
  // Client resets and TLS failures surface as 'error' events; they end that session only.
  smtp.on('error', () => undefined);

  const server = net.createServer((socket) => {
    tracker.track(socket);
    socket.on('error', () => undefined);
    ctx.traffic.record('smtp', 'CONNECT');
    const start = (): void => {
      const id = randomBytes(8).toString('hex');
      sockets.set(id, socket);
      socket.once('close', () => sockets.delete(id));
      smtp.connect(socket, { id });
      for (const c of smtp.connections) if (c.id === id) patchReplies(c, ctx);
    };
    applyFault(ctx.faults.take('smtp', 'CONNECT'), socket, tracker, start, {
      status: (code) => socket.end(`${code} ${REPLY.serviceNotAvailable}\r\n`),
    });
  });
  return listenOnLoopback(server, port, tracker);
}

/** Rewrites smtp-server's stock replies into Exchange Online's (replies.ts). */
function patchReplies(connection: { send(code: number, data?: string | string[] | null, context?: string | false): void }, ctx: SimContext): void {
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    const r = exchangeReply(code, data, context, () => ctx.now());
    if (r) send(r[0], r[1], r[2]);
    else send(code, data, context);
  };
}

function readAll(stream: SMTPServerDataStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
  });
}

/**
 * The end of DATA. Exchange Online accepts MAIL FROM for any address and refuses a foreign sender
 * only once the message is submitted to the mailbox store: `554 5.2.252 SendAsDenied` answers the
 * final dot (real transcripts [O]; libraries.md §3 saw it at DATA). Both the envelope sender and
 * the From header must be one of the authenticated mailbox's own addresses.
 *
 * Two mailbox knobs refuse the message here too, before it reaches the mail flow:
 * - `restrictedSender`: `550 5.1.8 Access denied, bad outbound sender` after DATA, not at MAIL FROM.
 *   [I] Microsoft documents the line only as an NDR ("Remote Server returned '550 5.1.8 …'"), i.e.
 *   a verdict on a submitted message; the simulator gives that verdict at the final dot instead
 *   of accepting the message and sending an NDR later. Checked first: it blocks every send.
 * - `sendAsDenied`: the SendAsDenied line above even for the mailbox's own address (the
 *   self-addressed probe). [I] The trigger is a scenario knob; the reply is the one Exchange uses.
 */
function accept(ctx: SimContext, session: SMTPServerSession, rawData: string, sizeExceeded: boolean): string {
  if (sizeExceeded) throw smtpError(552, '5.3.4 Message size exceeds fixed maximum message size');
  const user = session.user as SmtpUser;
  const raw = toCrlf(rawData);
  if (user.external) return acceptFromOutside(ctx, session, user, raw);
  const scenarioUser = ctx.scenario.users[user.userKey];
  const own = new Set(scenarioUser ? userAddresses(ctx.scenario, scenarioUser) : [user.address]);
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const headerFrom = firstAddress(headerValue(parseHeader(splitMessage(raw).header), 'from')) ?? '';
  if (scenarioUser?.mailbox?.restrictedSender) throw smtpError(550, REPLY.badOutboundSender);
  // G28 [O]: the store driver cannot open the mailbox for the sender; [I] answered at the final dot, where STOREDRV acts.
  if (scenarioUser?.mailbox?.smtpReply === 'mailbox-logon-failure') throw smtpError(430, REPLY.mailboxLogonFailure(user.address));
  const foreign = [envelopeFrom, headerFrom].find((a) => a !== '' && !own.has(a.toLowerCase()));
  if (foreign !== undefined) throw smtpError(554, REPLY.sendAsDenied(user.address, foreign));
  if (scenarioUser?.mailbox?.sendAsDenied) throw smtpError(554, REPLY.sendAsDenied(user.address, headerFrom || envelopeFrom || user.address));
  const { messageId } = submitMessage(ctx, {
    envelopeFrom: envelopeFrom || null,
    recipients: session.envelope.rcptTo.map((r) => r.address),
    raw,
  });
  return REPLY.queued(messageId);
}

/** Mail from an outside account: it must be from that account [I], and enters the tenant as mail from outside. */
function acceptFromOutside(ctx: SimContext, session: SMTPServerSession, user: SmtpUser, raw: string): string {
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const headerFrom = firstAddress(headerValue(parseHeader(splitMessage(raw).header), 'from')) ?? '';
  if ([envelopeFrom, headerFrom].some((a) => a !== '' && a.toLowerCase() !== user.address)) throw smtpError(550, '5.7.60 SMTP; Client does not have permissions to send as this sender');
  const { messageId } = submitMessage(ctx, { envelopeFrom: envelopeFrom || user.address, recipients: session.envelope.rcptTo.map((r) => r.address), raw });
  return REPLY.queued(messageId);
}
