import { UsageError } from '../core/usage-error.js';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/** A proxy URL with its password hidden, for messages. */
export function proxyForDisplay(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * A malformed proxy variable would fail every request with a message about the target; it is
 * bad configuration, named before the first request.
 */
export function checkProxyEnv(env: NodeJS.ProcessEnv): void {
  for (const name of PROXY_VARS) {
    const value = env[name];
    if (!value) continue;
    let ok: boolean;
    try {
      const u = new URL(value);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(`${name}: "${proxyForDisplay(value)}" is not a proxy URL like http://proxy.example.com:8080`);
  }
}
