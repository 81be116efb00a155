import { FactError } from '../core/fact-error.js';
import { SocketOpenError } from './connect-tunnel.js';
import { MAX_BODY_BYTES, TRANSPORT_CODES } from './https-transport.js';
import { proxyForDisplay } from './proxy-env.js';

const CONNECT_TIMEOUT_CODES = new Set<string>([TRANSPORT_CODES.connectTimeout, 'TIMEOUT']);
const TIMEOUT_CODES = new Set<string>([...CONNECT_TIMEOUT_CODES, TRANSPORT_CODES.answerTimeout, 'ETIMEDOUT']);

/** Turns a transport failure (socket, TLS, DNS, proxy, timeout) into a FactError naming the cause. */
export function transportError(err: unknown, url: string, timeoutMs: number, connectTimeoutMs = timeoutMs, proxy?: string): FactError {
  const e = err as { code?: string; message?: string };
  // Through a proxy, connections open through the CONNECT tunnel (connect-tunnel.ts), which fails
  // with a SocketOpenError; stage 'proxy' means the proxy could not be reached or refused: it is
  // named, not the target it was to reach.
  const tunnel = err instanceof SocketOpenError ? err : undefined;
  const code = tunnel?.errorCode ?? (typeof e.code === 'string' ? e.code : undefined) ?? 'UNKNOWN';
  const viaProxy = !!proxy && tunnel?.stage === 'proxy';
  const host = viaProxy ? `the proxy ${proxyForDisplay(proxy)} (HTTPS_PROXY, for ${safeHost(url)})` : safeHost(url);
  const evidence = { url: stripQuery(url), cause: code };
  if (code === TRANSPORT_CODES.aborted || code === 'ABORTED') {
    return new FactError('TIMEOUT', `The run deadline passed before ${safeHost(url)} answered.`, { evidence });
  }
  if (TIMEOUT_CODES.has(code)) {
    const connecting = CONNECT_TIMEOUT_CODES.has(code);
    const seconds = Math.round((connecting ? connectTimeoutMs : timeoutMs) / 1000);
    return new FactError('TIMEOUT', connecting ? `Could not connect to ${host} within ${seconds} s.` : `No answer from ${host} within ${seconds} s.`, { evidence });
  }
  if (code === TRANSPORT_CODES.bodyTooLarge) {
    const limit = (err as { limitBytes?: number }).limitBytes ?? MAX_BODY_BYTES;
    return new FactError('UNEXPECTED_RESPONSE', `${safeHost(url)} sent a body larger than the ${formatBytes(limit)} this tool reads.`, {
      details: 'A proxy or a broken endpoint in the path may be answering instead of Microsoft.',
      evidence,
    });
  }
  const message = e.message ?? String(err);
  // The proxy answered CONNECT with a refusal (407, 403, 502…): its own words say it all.
  if (tunnel && /^(HTTP_|EPROXY)/.test(code)) {
    return new FactError('NETWORK', `Could not reach ${safeHost(url)}: ${message}.`, { details: hint(code), evidence: { ...evidence, message } });
  }
  return new FactError('NETWORK', `Could not reach ${host}: ${describe(code, message)}.`, {
    details: hint(code),
    evidence: { ...evidence, message },
  });
}

function describe(code: string, message: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS certificate not valid for this host name (${code})`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS certificate not trusted (${code})`;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) return `TLS handshake failed (${code})`;
  return `${code}: ${message}`;
}

function hint(code: string): string {
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return 'A TLS-inspecting proxy or firewall may be in the path. Add its CA with `--ca-file` (WXMAIL_CA_FILE); it is added to the public roots, not used instead of them.';
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNREFUSED') {
    return 'Check DNS and outbound HTTPS from this machine; behind a proxy set HTTPS_PROXY (and NO_PROXY for exceptions).';
  }
  return '';
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}
