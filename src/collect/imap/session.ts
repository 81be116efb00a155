import type { ImapFlow } from 'imapflow';
import { openSocket, SocketOpenError } from '../../net/connect-tunnel.js';
import type { Net } from '../../net/net.js';
import { Transcript } from '../smtp/transcript.js';
import { preopenedTransport } from './transport.js';

/** Exchange Online's answer when the token was accepted but the mailbox cannot be opened (reference B4). */
export const NOT_CONNECTED = /User is authenticated but not connected/i;

export interface ImapFailure {
  stage: 'connect' | 'greeting' | 'tls' | 'auth' | 'select' | 'fetch';
  /** The server's response text, when it answered. */
  response: string | null;
  errorCode: string | null;
  message: string;
  /** "User is authenticated but not connected." (FullAccess / New-ServicePrincipal missing, or IMAP off). */
  notConnected: boolean;
  /**
   * Get-CASMailbox ImapEnabled, read when the answer was "not connected" (G27): false names IMAP
   * turned off as the cause; null when it could not be read or was not needed.
   */
  imapEnabled?: boolean | null;
}

export interface ImapSessionOptions {
  host: string;
  port: number;
  net: Pick<Net, 'proxyFor' | 'tlsCa'>;
  user: string;
  accessToken?: string;
  /** Instead of a token: a password (LOGIN), for the external sender's own inbox at another provider. */
  password?: string;
  budgetMs: number;
  signal?: AbortSignal;
}

export interface ImapSession {
  client: ImapFlow | null;
  failure: ImapFailure | null;
  via: 'direct' | 'proxy';
  proxy: string | null;
  transcript: Transcript;
}

/**
 * Connects and signs in with AUTHENTICATE XOAUTH2 (imapflow picks XOAUTH2 when the server does
 * not offer OAUTHBEARER, as Exchange Online does not). Never throws for the server's answers.
 */
export async function openImapSession(o: ImapSessionOptions): Promise<ImapSession> {
  const transcript = new Transcript();
  const viaGuess = o.net.proxyFor(o.host, o.port) ? 'proxy' : 'direct';
  let opened;
  try {
    opened = await openSocket({ host: o.host, port: o.port, net: o.net, timeoutMs: o.budgetMs, ...(o.signal ? { signal: o.signal } : {}) });
  } catch (err) {
    if (!(err instanceof SocketOpenError)) throw err;
    transcript.note(`could not connect: ${err.message}`);
    return { client: null, failure: { stage: 'connect', response: null, errorCode: err.errorCode, message: err.message, notConnected: false }, via: viaGuess, proxy: null, transcript };
  }
  transcript.note(opened.via === 'proxy' ? `connected to ${o.host}:${o.port} through ${opened.proxy}` : `connected to ${o.host}:${o.port}`);
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: o.host,
    port: o.port,
    // Exchange Online offers implicit TLS (993) and STARTTLS on 143 only.
    secure: o.port !== 143,
    auth: o.password !== undefined ? { user: o.user, pass: o.password } : { user: o.user, accessToken: o.accessToken ?? '' },
    transport: preopenedTransport(opened.socket, { ca: o.net.tlsCa }),
    logger: transcriptLogger(transcript),
    disableAutoIdle: true,
    disableCompression: true,
    connectionTimeout: o.budgetMs,
    greetingTimeout: o.budgetMs,
    socketTimeout: Math.max(o.budgetMs, 60_000),
    clientInfo: { name: 'wxmail' },
  });
  client.on('error', () => undefined);
  const onAbort = (): void => client.close();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    return { client, failure: null, via: opened.via, proxy: opened.proxy, transcript };
  } catch (err) {
    client.close();
    const failure = imapFailureOf(err, 'auth');
    transcript.note(`stopped: ${failure.message}`);
    return { client: null, failure, via: opened.via, proxy: opened.proxy, transcript };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** Maps an imapflow error to a stage and the server's words. */
export function imapFailureOf(err: unknown, fallback: ImapFailure['stage']): ImapFailure {
  const e = err as { code?: string; response?: string; responseText?: string; message?: string; authenticationFailed?: boolean };
  const response = e.response ?? e.responseText ?? null;
  const notConnected = NOT_CONNECTED.test(response ?? '') || NOT_CONNECTED.test(e.message ?? '');
  let stage = fallback;
  if (e.code === 'CONNECT_TIMEOUT' || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET') stage = 'connect';
  else if (e.code === 'GREETING_TIMEOUT') stage = 'greeting';
  else if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(e.code ?? '')) stage = 'tls';
  else if (e.authenticationFailed || notConnected) stage = 'auth';
  const message = (e.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  return { stage, response, errorCode: e.code ?? null, message: response && !message.includes(response) ? `${message}: ${response}` : message, notConnected };
}

function transcriptLogger(t: Transcript): { debug(o: unknown): void; info(o: unknown): void; warn(o: unknown): void; error(o: unknown): void } {
  const log = (o: unknown): void => {
    const e = o as { src?: string; msg?: string };
    if (typeof e?.msg !== 'string') return;
    if (e.src === 'c') t.client(e.msg);
    else if (e.src === 's') t.server(e.msg);
  };
  return { debug: log, info: log, warn: log, error: log };
}
