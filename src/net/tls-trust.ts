import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/**
 * Passing `ca` to undici/tls/nodemailer/imapflow REPLACES Node's trust store (and silently drops
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
