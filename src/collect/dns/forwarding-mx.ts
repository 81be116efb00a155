import type { Asset } from '../../config/types.js';
import { FactError } from '../../core/fact-error.js';
import { defineFact, type CollectContext } from '../../core/fact.js';
import { mailDomainOf } from './domain.js';
import { lookupMx, type MxLookup } from './mx.js';

/** ctx.services key of the per-run memo: domain → lookup. */
const MEMO_KEY = 'dns.mx';

/**
 * The MX records of a domain, asked once per run however many assets forward to it (the fact
 * memo is per asset; this one is per domain). Uses config.dnsServer when set.
 */
export function mxOfDomain(ctx: CollectContext, domain: string): Promise<MxLookup> {
  let memo = ctx.services.get(MEMO_KEY) as Map<string, Promise<MxLookup>> | undefined;
  if (!memo) {
    memo = new Map();
    ctx.services.set(MEMO_KEY, memo);
  }
  const key = domain.toLowerCase();
  let lookup = memo.get(key);
  if (!lookup) {
    lookup = lookupMx(key, { server: ctx.config.dnsServer, signal: ctx.signal }).then((r) => {
      ctx.log.debug({ domain: r.domain, status: r.status, server: r.server, error: r.error }, 'MX lookup');
      return r;
    });
    memo.set(key, lookup);
  }
  return lookup;
}

/**
 * MX lookup of the domain of the asset's forwarding address (the Webex Connect "Forwarding
 * Address", e.g. `…@mail-us.imiconnect.io`). An unreachable DNS server is a value
 * (status 'unreachable'), never a throw; the fact throws only when there is no domain to ask about.
 */
export const forwardingDomainMx = defineFact<MxLookup>({
  id: 'dns.forwarding-domain-mx',
  scope: 'asset',
  async collect(ctx: CollectContext, asset: Asset | null): Promise<MxLookup> {
    const address = asset?.forwardingAddress;
    if (!address) throw new FactError('INPUT_MISSING', 'No forwarding address configured (--forwarding-address).');
    const domain = mailDomainOf(address);
    if (!domain) {
      throw new FactError('FORWARDING_ADDRESS_INVALID', 'The forwarding address has no domain that DNS could be asked about.', {
        evidence: { forwardingAddress: address },
      });
    }
    return mxOfDomain(ctx, domain);
  },
});
