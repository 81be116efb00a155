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
  return extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
}

const contexts = new WeakMap<string[], SecureContext>();

/**
 * TLS options that trust `ca` through one shared SecureContext per CA list: building a context from
 * ~150 roots costs ~40 ms of CPU, and every HTTPS, SMTP and IMAP connection of a run needs one.
 */
export function tlsTrustOptions(ca: string[] | undefined): { secureContext?: SecureContext } {
  if (!ca) return {};
  let ctx = contexts.get(ca);
  if (!ctx) {
    ctx = createSecureContext({ ca });
    contexts.set(ca, ctx);
  }
  return { secureContext: ctx };
}
