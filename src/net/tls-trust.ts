import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/**
 * Passing `ca` to https/tls/nodemailer/imapflow REPLACES Node's trust store (and silently drops
 * NODE_EXTRA_CA_CERTS), so extra CAs are always appended to the public roots, never used alone.
 */
export function trustedCas(extraPems: string[]): string[] | undefined {
  const extra = [...extraPems];
  const nodeExtra = process.env.NODE_EXTRA_CA_CERTS;
  if (nodeExtra) {
    try {
      extra.push(readFileSync(nodeExtra, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS; nothing to add here.
    }
  }
  if (extra.length === 0) return undefined;
  const list = [...rootCertificates, ...extra];
  extrasOf.set(list, extra);
  return list;
}

/** The extra CAs of a list `trustedCas` made (the rest are Node's bundled roots). */
const extrasOf = new WeakMap<string[], string[]>();
const contexts = new WeakMap<string[], SecureContext>();

/**
 * TLS options that trust `ca` through one shared SecureContext per CA list: building a context from
 * ~150 roots costs ~40 ms of CPU, and every HTTPS, SMTP and IMAP connection of a run needs one.
 */
export function tlsTrustOptions(ca: string[] | undefined): { secureContext?: SecureContext } {
  if (!ca) return {};
  let ctx = contexts.get(ca);
  if (!ctx) {
    ctx = buildContext(ca);
    contexts.set(ca, ctx);
  }
  return { secureContext: ctx };
}

/**
 * Parsing ~150 root PEMs into a context costs ~60 ms of CPU on the run's critical path (issue 9).
 * A context made without `ca` already holds Node's bundled roots, parsed once by Node itself; the
 * extra CAs are added to it (Node's SecureContext.addCACert copies the shared root store before
 * adding, so no other context is touched). The same trust, built in ~2 ms. Any other list, or a
 * Node without that method, gets the plain `ca` context.
 */
function buildContext(ca: string[]): SecureContext {
  const extras = extrasOf.get(ca);
  if (extras) {
    const sc = createSecureContext();
    const native = (sc as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
    if (typeof native?.addCACert === 'function') {
      for (const pem of extras) native.addCACert(pem);
      return sc;
    }
  }
  return createSecureContext({ ca });
}
