import net from 'node:net';
import tls from 'node:tls';
import { openSocket, SocketOpenError } from '../../net/connect-tunnel.js';
import type { Net } from '../../net/net.js';
import { Deadline } from './budget.js';
import { ReplyError, ReplyReader } from './reply-reader.js';
import { Transcript } from './transcript.js';
import { tlsTrustOptions } from '../../net/tls-trust.js';
import { ehloName } from './ehlo-name.js';

/** The stages of reaching a usable SMTP submission endpoint, in order. */
export const SMTP_STAGES = ['dns', 'proxy', 'tcp', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo-tls', 'auth-mechanisms'] as const;
export type SmtpStage = (typeof SMTP_STAGES)[number];

/**
 * swaks' per-stage exit codes (reference anchors.md §6), so an admin who knows swaks reads the
 * stage at a glance: 2 connect, 21 banner, 22 HELO, 29 TLS, 32 EHLO after TLS, 28 AUTH.
 */
export const SWAKS_STAGE_CODE: Record<SmtpStage, number> = {
  dns: 2,
  proxy: 2,
  tcp: 2,
  banner: 21,
  ehlo: 22,
  starttls: 29,
  tls: 29,
  'ehlo-tls': 32,
  'auth-mechanisms': 28,
};

export interface SmtpStageFailure {
  stage: SmtpStage;
  swaksCode: number;
  /** One line: what happened at that stage. */
  cause: string;
  /** The server's reply at that stage, when it answered. */
  reply: string | null;
  /** Node/TLS error code, TIMEOUT, ABORTED, or null. */
  errorCode: string | null;
}

/** What the SMTP endpoint showed to an unauthenticated client. JSON, no secrets. */
export interface SmtpEndpointProbe {
  host: string;
  port: number;
  via: 'direct' | 'proxy';
  proxy: string | null;
  /** null when every stage passed. */
  failure: SmtpStageFailure | null;
  banner: string | null;
  /** EHLO keywords before STARTTLS. */
  capabilities: string[];
  /** EHLO keywords after STARTTLS. */
  tlsCapabilities: string[];
  /** SASL mechanisms advertised after STARTTLS. */
  authMechanisms: string[];
  tls: { protocol: string | null; cipher: string | null } | null;
  transcript: string[];
  durationMs: number;
}

export interface SmtpEndpointProbeOptions {
  host: string;
  port: number;
  net: Pick<Net, 'proxyFor' | 'tlsCa'>;
  /** Whole-probe budget, ms. */
  budgetMs: number;
  signal?: AbortSignal;
}

class StageFailed extends Error {
  constructor(readonly failure: SmtpStageFailure) {
    super(failure.cause);
  }
}

/**
 * TCP, banner, EHLO, STARTTLS, TLS, EHLO again, `AUTH XOAUTH2` advertised — the path Webex
 * Connect takes to smtp.office365.com:587 — each stage bounded by what is left of the budget.
 * Never throws: an unusable endpoint is this probe's finding, returned as `failure`.
 */
export async function probeSmtpEndpoint(o: SmtpEndpointProbeOptions): Promise<SmtpEndpointProbe> {
  const started = Date.now();
  const deadline = new Deadline(o.budgetMs);
  const transcript = new Transcript();
  const result: SmtpEndpointProbe = {
    host: o.host,
    port: o.port,
    via: o.net.proxyFor(o.host, o.port) ? 'proxy' : 'direct',
    proxy: null,
    failure: null,
    banner: null,
    capabilities: [],
    tlsCapabilities: [],
    authMechanisms: [],
    tls: null,
    transcript: [],
    durationMs: 0,
  };
  const reader = new ReplyReader();
  let socket: net.Socket | null = null;
  try {
    const opened = await openSocket({ host: o.host, port: o.port, net: o.net, timeoutMs: deadline.remaining(), ...(o.signal ? { signal: o.signal } : {}) }).catch(
      (err: unknown) => {
        if (err instanceof SocketOpenError) throw stageFailed(err.stage, err.message, null, err.errorCode);
        throw err;
      },
    );
    socket = opened.socket;
    result.via = opened.via;
    result.proxy = opened.proxy;
    transcript.note(opened.via === 'proxy' ? `connected to ${o.host}:${o.port} through ${opened.proxy}` : `connected to ${o.host}:${o.port}`);
    reader.attach(socket);

    const ask = async (stage: SmtpStage, command: string | null, expect: number): Promise<string[]> => {
      if (command !== null) {
        transcript.client(command);
        socket!.write(`${command}\r\n`);
      }
      let lines: string[];
      try {
        lines = await reader.read(deadline.remaining(), o.signal);
      } catch (err) {
        throw replyFailure(stage, err, o.budgetMs);
      }
      for (const l of lines) transcript.server(l);
      const code = Number(/^(\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      if (code !== expect) throw stageFailed(stage, `expected ${expect}, got: ${lines.join(' ').slice(0, 200)}`, lines.join('\n'), null);
      return lines;
    };

    const banner = await ask('banner', null, 220);
    result.banner = banner.join('\n');
    const name = ehloName(socket.localAddress);
    result.capabilities = keywords(await ask('ehlo', `EHLO ${name}`, 250));
    if (!result.capabilities.some((k) => k.toUpperCase() === 'STARTTLS')) {
      throw stageFailed('starttls', 'STARTTLS is not advertised, so the login would go unencrypted (Exchange Online refuses that)', null, null);
    }
    await ask('starttls', 'STARTTLS', 220);

    reader.detach();
    const plain = socket;
    const secure = await startTls(plain, o, deadline);
    socket = secure;
    result.tls = { protocol: secure.getProtocol() ?? null, cipher: secure.getCipher()?.standardName ?? null };
    transcript.note(`TLS established (${result.tls.protocol ?? '?'}, ${result.tls.cipher ?? '?'})`);
    reader.attach(secure);

    result.tlsCapabilities = keywords(await ask('ehlo-tls', `EHLO ${name}`, 250));
    result.authMechanisms = authMechanisms(result.tlsCapabilities);
    if (!result.authMechanisms.includes('XOAUTH2')) {
      const offered = result.authMechanisms.length > 0 ? `offered: ${result.authMechanisms.join(' ')}` : 'no AUTH is advertised at all';
      throw stageFailed('auth-mechanisms', `AUTH XOAUTH2 is not advertised after STARTTLS (${offered})`, null, null);
    }
    transcript.client('QUIT');
    secure.end('QUIT\r\n');
  } catch (err) {
    if (!(err instanceof StageFailed)) throw err;
    result.failure = err.failure;
    transcript.note(`stopped at stage ${err.failure.stage}: ${err.failure.cause}`);
  } finally {
    reader.detach();
    // Late errors (a reset after QUIT) must not surface as unhandled 'error' events.
    socket?.on('error', () => undefined);
    if (socket && !socket.destroyed) {
      // QUIT is a courtesy; do not wait for the answer.
      setTimeout(() => socket?.destroy(), 200).unref();
    }
  }
  result.transcript = transcript.lines();
  result.durationMs = Date.now() - started;
  return result;
}

function startTls(plain: net.Socket, o: SmtpEndpointProbeOptions, deadline: Deadline): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      socket: plain,
      ...(net.isIP(o.host) ? {} : { servername: o.host }),
      ...tlsTrustOptions(o.net.tlsCa),
      minVersion: 'TLSv1.2',
    });
    let done = false;
    const finish = (err: SmtpStageFailure | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      secure.removeListener('error', onError);
      if (err) {
        secure.destroy();
        reject(new StageFailed(err));
      } else resolve(secure);
    };
    const onError = (e: NodeJS.ErrnoException): void => {
      const code = e.code ?? 'UNKNOWN';
      const untrusted = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/.test(code);
      const cause = untrusted
        ? `the server's TLS certificate is not trusted (${code}); a TLS-inspecting firewall may be in the path — add its CA with --ca-file`
        : `TLS handshake failed: ${e.message} (${code})`;
      finish({ stage: 'tls', swaksCode: SWAKS_STAGE_CODE.tls, cause, reply: null, errorCode: code });
    };
    const onAbort = (): void =>
      finish({ stage: 'tls', swaksCode: SWAKS_STAGE_CODE.tls, cause: 'the run deadline passed during the TLS handshake', reply: null, errorCode: 'ABORTED' });
    const timer = setTimeout(
      () => finish({ stage: 'tls', swaksCode: SWAKS_STAGE_CODE.tls, cause: 'no TLS handshake within the probe\'s time', reply: null, errorCode: 'TIMEOUT' }),
      Math.max(1, deadline.remaining()),
    );
    o.signal?.addEventListener('abort', onAbort, { once: true });
    secure.once('secureConnect', () => finish(null));
    secure.on('error', onError);
  });
}

function stageFailed(stage: SmtpStage, cause: string, reply: string | null, errorCode: string | null): StageFailed {
  return new StageFailed({ stage, swaksCode: SWAKS_STAGE_CODE[stage], cause, reply, errorCode });
}

function replyFailure(stage: SmtpStage, err: unknown, budgetMs: number): StageFailed {
  if (!(err instanceof ReplyError)) throw err;
  const what = stage === 'banner' ? 'no banner (220 greeting)' : `no answer to ${stage === 'starttls' ? 'STARTTLS' : 'EHLO'}`;
  if (err.kind === 'timeout') return stageFailed(stage, `${what} within ${Math.round(budgetMs / 100) / 10} s — the server accepted the connection but stopped talking`, null, 'TIMEOUT');
  if (err.kind === 'aborted') return stageFailed(stage, `${what}: the run deadline passed`, null, 'ABORTED');
  if (err.kind === 'closed') return stageFailed(stage, `${what}: the server closed the connection`, null, 'ECONNRESET');
  return stageFailed(stage, `${what}: ${err.message}`, null, err.errorCode);
}

/** EHLO keywords: every line after the greeting line, without the code. */
function keywords(lines: string[]): string[] {
  return lines.slice(1).map((l) => l.slice(4).trim()).filter(Boolean);
}

function authMechanisms(caps: string[]): string[] {
  const auth = caps.find((k) => /^AUTH[ =]/i.test(k));
  return auth ? auth.slice(5).trim().split(/\s+/).map((m) => m.toUpperCase()).filter(Boolean) : [];
}
