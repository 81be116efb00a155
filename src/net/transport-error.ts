import { FactError } from '../core/fact-error.js';
import { proxyForDisplay } from './proxy-env.js';

const PROXY_CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'TimeoutError']);

/** Turns a transport failure (socket, TLS, DNS, timeout) into a FactError naming the cause. */
export function transportError(err: unknown, url: string, timeoutMs: number, connectTimeoutMs = timeoutMs, proxy?: string): FactError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  // fetch wraps the cause in a TypeError ('fetch failed'); refusing a port on the Fetch standard's
  // bad-port list (25, 587, 993, …) is a cause with a message only.
  const code = e.code ?? e.cause?.code ?? (e.cause?.message === 'bad port' ? 'BAD_PORT' : undefined) ?? e.name ?? 'UNKNOWN';
  // Through a proxy, the socket that failed to open is the proxy's: the target is the proxy's to reach.
  const viaProxy = proxy && PROXY_CONNECT_CODES.has(code);
  const host = viaProxy ? `the proxy ${proxyForDisplay(proxy)} (HTTPS_PROXY, for ${safeHost(url)})` : safeHost(url);
  if (TIMEOUT_CODES.has(code) || e.name === 'TimeoutError') {
    const connecting = code === 'UND_ERR_CONNECT_TIMEOUT';
    const seconds = Math.round((connecting ? connectTimeoutMs : timeoutMs) / 1000);
    return new FactError('TIMEOUT', connecting ? `Could not connect to ${host} within ${seconds} s.` : `No answer from ${host} within ${seconds} s.`, {
      evidence: { url: stripQuery(url), cause: code },
    });
  }
  const message = e.cause?.message ?? e.message ?? String(err);
  return new FactError('NETWORK', `Could not reach ${host}: ${describe(code, message)}.`, {
    details: hint(code),
    evidence: { url: stripQuery(url), cause: code, message },
  });
}

function describe(code: string, message: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS certificate not trusted (${code})`;
  if (code === 'BAD_PORT') return 'fetch refuses that port (the Fetch standard blocks it for HTTP)';
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
