import net from 'node:net';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { openSocket, SocketOpenError } from '../../net/connect-tunnel.js';
import type { Net } from '../../net/net.js';
import { Transcript } from './transcript.js';
import { tlsTrustOptions } from '../../net/tls-trust.js';
import { ehloName } from './ehlo-name.js';

/** Where an authenticated SMTP session failed. */
export type SessionStage = 'connect' | 'greeting' | 'tls' | 'auth' | 'mail' | 'rcpt' | 'data';

export interface SessionFailure {
  stage: SessionStage;
  /** The server's reply line, when it answered (this is what the SMTP table reads). */
  reply: string | null;
  /** nodemailer/Node error code (EAUTH, ETIMEDOUT, ECONNREFUSED…), TIMEOUT or ABORTED. */
  errorCode: string | null;
  /** One line, no secrets. */
  message: string;
}

export interface LoginAttempt {
  ok: boolean;
  /** The 235 line on success. */
  response: string | null;
  failure: SessionFailure | null;
  via: 'direct' | 'proxy';
  proxy: string | null;
  durationMs: number;
}

export interface SendAttempt {
  ok: boolean;
  /** The final 250 line on success. */
  response: string | null;
  /** The Message-ID Exchange gave the message when its reply names one (it may replace ours). */
  serverMessageId: string | null;
  failure: SessionFailure | null;
  durationMs: number;
}

export interface SessionOptions {
  host: string;
  port: number;
  net: Pick<Net, 'proxyFor' | 'tlsCa'>;
  /** The mailbox, as `user=` of XOAUTH2 (or the external sender's account). */
  user: string;
  accessToken?: string;
  /** Instead of a token: a password (AUTH PLAIN/LOGIN), for the external sender at another provider. */
  password?: string;
  budgetMs: number;
  signal?: AbortSignal;
  transcript?: Transcript;
  /**
   * TLS from the first byte (submissions on port 465, RFC 8314) instead of STARTTLS. Exchange
   * Online's submission endpoint is STARTTLS on 587; an external sender's provider may use either.
   */
  implicitTls?: boolean;
}

/**
 * One authenticated SMTP session (nodemailer's SMTPConnection over a socket from
 * connect-tunnel): STARTTLS, AUTH XOAUTH2, and then any number of sends. smtp.auth logs in once;
 * smtp.send reuses the session, so a run signs in to SMTP once.
 */
export class SmtpSession {
  #closed = false;
  #idle: NodeJS.Timeout | null = null;

  private constructor(
    private readonly conn: SMTPConnection,
    private readonly socket: net.Socket,
    readonly transcript: Transcript,
  ) {}

  static async login(o: SessionOptions): Promise<{ attempt: LoginAttempt; session: SmtpSession | null }> {
    const started = Date.now();
    const end = started + o.budgetMs;
    const transcript = o.transcript ?? new Transcript();
    const attempt = (failure: SessionFailure | null, via: 'direct' | 'proxy', proxy: string | null, response: string | null = null): LoginAttempt => ({
      ok: failure === null,
      response,
      failure,
      via,
      proxy,
      durationMs: Date.now() - started,
    });
    const viaGuess = o.net.proxyFor(o.host, o.port) ? 'proxy' : 'direct';
    let opened;
    try {
      opened = await openSocket({ host: o.host, port: o.port, net: o.net, timeoutMs: o.budgetMs, ...(o.signal ? { signal: o.signal } : {}) });
    } catch (err) {
      if (!(err instanceof SocketOpenError)) throw err;
      transcript.note(`could not connect: ${err.message}`);
      return { attempt: attempt({ stage: 'connect', reply: null, errorCode: err.errorCode, message: err.message }, viaGuess, null), session: null };
    }
    const { socket, via, proxy } = opened;
    transcript.note(via === 'proxy' ? `connected to ${o.host}:${o.port} through ${proxy}` : `connected to ${o.host}:${o.port}`);
    const { default: Connection } = await import('nodemailer/lib/smtp-connection');
    const { default: XOAuth2 } = await import('nodemailer/lib/xoauth2');
    const remaining = (): number => Math.max(1, end - Date.now());
    let lastServer: string | null = null;
    const conn = new Connection({
      connection: socket,
      host: o.host,
      port: o.port,
      // With `secure` and an open `connection`, nodemailer starts TLS on it before the greeting.
      secure: o.implicitTls === true,
      requireTLS: o.implicitTls !== true,
      ...(net.isIP(o.host) ? {} : { servername: o.host }),
      tls: { ...tlsTrustOptions(o.net.tlsCa), minVersion: 'TLSv1.2' },
      name: ehloName(socket.localAddress),
      connectionTimeout: remaining(),
      greetingTimeout: remaining(),
      socketTimeout: remaining(),
      transactionLog: true,
      logger: transcriptLogger(transcript, (line) => (lastServer = line)),
    });
    const session = new SmtpSession(conn, socket, transcript);
    // Errors are also delivered to the pending callback; this keeps them from being unhandled.
    conn.on('error', () => undefined);

    try {
      await bounded(new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))), remaining(), o.signal, () => conn.close());
      socket.resume();
    } catch (err) {
      session.close();
      return { attempt: attempt(failureOf(err, 'connect'), via, proxy), session: null };
    }
    try {
      const credentials: SMTPConnection.Credentials | SMTPConnection.AuthenticationOAuth2 =
        o.password !== undefined ? { user: o.user, pass: o.password } : { type: 'OAuth2', user: o.user, oauth2: new XOAuth2({ user: o.user, accessToken: o.accessToken ?? '' }) };
      await bounded(
        new Promise<void>((resolve, reject) => conn.login(credentials, (err) => (err ? reject(err) : resolve()))),
        remaining(),
        o.signal,
        () => conn.close(),
      );
    } catch (err) {
      session.close();
      return { attempt: attempt(failureOf(err, 'auth'), via, proxy), session: null };
    }
    session.#parkIdle();
    return { attempt: attempt(null, via, proxy, lastServer), session };
  }

  get usable(): boolean {
    return !this.#closed && !this.socket.destroyed;
  }

  async send(o: { from: string; to: string; raw: string; budgetMs: number; signal?: AbortSignal }): Promise<SendAttempt> {
    const started = Date.now();
    this.#unpark();
    try {
      const info = await bounded(
        new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
          this.conn.send({ from: o.from, to: [o.to] }, o.raw, (err, info) => (err ? reject(err) : resolve(info))),
        ),
        o.budgetMs,
        o.signal,
        () => this.close(),
      );
      const rejected = info.rejectedErrors?.[0];
      if (info.rejected.length > 0 || rejected) {
        const failure = failureOf(rejected ?? new Error(`recipient ${o.to} rejected`), 'rcpt');
        return { ok: false, response: null, serverMessageId: null, failure, durationMs: Date.now() - started };
      }
      return { ok: true, response: info.response, serverMessageId: info.serverMessageId ?? null, failure: null, durationMs: Date.now() - started };
    } catch (err) {
      return { ok: false, response: null, serverMessageId: null, failure: failureOf(err, 'data'), durationMs: Date.now() - started };
    } finally {
      this.#parkIdle();
    }
  }

  /** QUIT (best effort) and release the socket. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unpark();
    try {
      this.conn.quit();
    } catch {
      // already gone
    }
    setTimeout(() => this.conn.close(), 200).unref();
  }

  /**
   * Between uses the session must not keep the process alive, and must not linger for ever if
   * the send never comes (no --send-test, or the check was cut short).
   */
  #parkIdle(): void {
    if (this.#closed) return;
    this.socket.unref();
    this.#idle = setTimeout(() => this.close(), 60_000);
    this.#idle.unref();
  }

  #unpark(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    this.socket.ref();
  }
}

type LogFn = (entry: unknown, message?: unknown, ...args: unknown[]) => void;

/** nodemailer's bunyan-style logger, reduced to the client/server lines of the dialogue. */
function transcriptLogger(t: Transcript, onServer: (line: string) => void): Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', LogFn> {
  const log: LogFn = (entry, message) => {
    const tnx = (entry as { tnx?: string } | undefined)?.tnx;
    const text = typeof message === 'string' ? message : '';
    if (tnx === 'client') t.client(text);
    else if (tnx === 'server') {
      t.server(text);
      onServer(text.split('\n').pop() ?? text);
    }
  };
  return { trace: log, debug: log, info: log, warn: log, error: log, fatal: log };
}

/** Maps a nodemailer error to the stage and reply the checks read. */
export function failureOf(err: unknown, fallbackStage: SessionStage): SessionFailure {
  const e = err as { code?: string; command?: string; response?: string; message?: string; originalCode?: string };
  const reply = typeof e.response === 'string' ? e.response : null;
  const code = e.originalCode ?? e.code ?? null;
  const command = (e.command ?? '').toUpperCase();
  let stage: SessionStage = fallbackStage;
  if (e.code === 'ETLS' || command === 'STARTTLS') stage = 'tls';
  else if (command.startsWith('AUTH') || e.code === 'EAUTH') stage = 'auth';
  else if (command === 'MAIL FROM') stage = 'mail';
  else if (command === 'RCPT TO') stage = 'rcpt';
  else if (command === 'DATA') stage = 'data';
  else if (command === 'CONN' && reply) stage = 'greeting';
  // nodemailer prefixes its messages ("Invalid login: 535 …"); keep one line without the token.
  const message = (e.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  return { stage, reply, errorCode: code, message };
}

class Bounded extends Error {
  constructor(
    readonly code: 'TIMEOUT' | 'ABORTED',
    message: string,
  ) {
    super(message);
  }
}

/** Awaits `p` for at most `ms` (and not past the run deadline); `onGiveUp` tears the session down. */
async function bounded<T>(p: Promise<T>, ms: number, signal: AbortSignal | undefined, onGiveUp: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onGiveUp();
      reject(new Bounded('TIMEOUT', `no answer within ${Math.round(ms / 100) / 10} s`));
    }, ms);
    onAbort = () => {
      onGiveUp();
      reject(new Bounded('ABORTED', 'the run deadline passed'));
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    p.catch(() => undefined);
  }
}
