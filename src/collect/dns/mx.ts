import { Resolver } from 'node:dns/promises';

/**
 * One MX lookup, answered as a value. A domain without MX is asked for A/AAAA too: RFC 5321 §5.1
 * makes its address record the implicit MX (G26 [V]), so `nodata` means neither exists. A DNS server that cannot be reached is an outcome here, not
 * an exception: the forwarding-address check only notes it (the MX lookup is a plausibility test
 * of the domain, and a closed DNS port on the admin's machine says nothing about the address).
 */

/**
 * ok: MX records (a lone `0 .` is a null MX, RFC 7505); implicit-mx: no MX but an A/AAAA record;
 * nodata: the name exists with neither; nxdomain: it does not exist; unreachable: no answer.
 */
export type MxStatus = 'ok' | 'implicit-mx' | 'nxdomain' | 'nodata' | 'unreachable';

export interface MxExchanger {
  /** Host name; '' (or '.') is a "null MX" (RFC 7505): the domain accepts no mail. */
  exchange: string;
  priority: number;
}

export interface MxLookup {
  domain: string;
  status: MxStatus;
  /** Sorted by priority, then name; empty unless status is 'ok'. */
  exchangers: MxExchanger[];
  /** The domain's own A/AAAA addresses (status 'implicit-mx'). */
  addresses?: string[];
  /** The server asked: the configured `host:port`, or `system (…)` for the system's resolvers. */
  server: string;
  /** Why the lookup got no answer (status 'unreachable'). */
  error?: string;
}

export interface MxLookupOptions {
  /** `host:port` (or an IP); default: the system's resolvers. */
  server?: string;
  /** Per-server timeout, ms. */
  timeoutMs?: number;
  /** The run's deadline: an abort cancels the lookup. */
  signal?: AbortSignal;
}

export const DNS_TIMEOUT_MS = 2000;
/** c-ares asks the system's servers one after another; bound the whole lookup, not only one try. */
const MAX_SERVERS_WAITED_FOR = 3;
const CAP_SLACK_MS = 500;

export async function lookupMx(domain: string, opts: MxLookupOptions = {}): Promise<MxLookup> {
  const timeoutMs = opts.timeoutMs ?? DNS_TIMEOUT_MS;
  // tries: 1 — the default (4 tries with back-off) would keep a run waiting ~10 s per server.
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (opts.server) {
    try {
      resolver.setServers([opts.server]);
    } catch (e) {
      return unreachable(domain, opts.server, `"${opts.server}" is not a usable DNS server address (${(e as Error).message})`);
    }
  }
  const servers = resolver.getServers();
  const server = opts.server ?? `system (${servers.length > 0 ? servers.join(', ') : 'none configured'})`;
  if (opts.signal?.aborted) return unreachable(domain, server, 'the run deadline passed before the lookup');

  let cancelledBecause: string | undefined;
  const cancel = (reason: string) => {
    cancelledBecause ??= reason;
    resolver.cancel();
  };
  const onAbort = () => cancel('the run deadline passed');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const capMs = timeoutMs * Math.min(Math.max(servers.length, 1), MAX_SERVERS_WAITED_FOR) + CAP_SLACK_MS;
  const cap = setTimeout(() => cancel(`no answer within ${capMs} ms`), capMs);
  try {
    const records = await resolver.resolveMx(domain);
    const exchangers = records
      .map((r) => ({ exchange: r.exchange, priority: r.priority }))
      .sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange));
    return { domain, status: 'ok', exchangers, server };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // c-ares: ENOTFOUND = NXDOMAIN, ENODATA = NOERROR without an MX answer.
    if (err.code === 'ENOTFOUND') return { domain, status: 'nxdomain', exchangers: [], server };
    if (err.code === 'ENODATA') return await implicitMx(resolver, domain, server, () => cancelledBecause, timeoutMs);
    return unreachable(domain, server, cancelledBecause ?? describe(err, timeoutMs));
  } finally {
    clearTimeout(cap);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** No MX: the A/AAAA records decide (RFC 5321 §5.1). Either answering with records is enough. */
async function implicitMx(resolver: Resolver, domain: string, server: string, cancelled: () => string | undefined, timeoutMs: number): Promise<MxLookup> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  const addresses = [v4, v6].flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (addresses.length > 0) return { domain, status: 'implicit-mx', exchangers: [], addresses, server };
  const failed = [v4, v6]
    .map((r) => (r.status === 'rejected' ? (r.reason as NodeJS.ErrnoException) : null))
    .find((e) => e && e.code !== 'ENODATA' && e.code !== 'ENOTFOUND');
  if (failed) {
    return unreachable(domain, server, `no MX record, and the A/AAAA lookup got no answer: ${cancelled() ?? describe(failed, timeoutMs)}`);
  }
  return { domain, status: 'nodata', exchangers: [], server };
}

function unreachable(domain: string, server: string, error: string): MxLookup {
  return { domain, status: 'unreachable', exchangers: [], server, error };
}

function describe(err: NodeJS.ErrnoException, timeoutMs: number): string {
  switch (err.code) {
    case 'ETIMEOUT':
      return `no answer within ${timeoutMs} ms (ETIMEOUT)`;
    case 'ECONNREFUSED':
      return 'connection refused: nothing answers DNS at that address (ECONNREFUSED)';
    case 'ESERVFAIL':
      return 'the server answered SERVFAIL: it could not resolve the name (ESERVFAIL)';
    case 'EREFUSED':
      return 'the server refused the query (EREFUSED)';
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}
