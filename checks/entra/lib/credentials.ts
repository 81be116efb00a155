import type { KeyCredential, PasswordCredential } from '../../../src/collect/graph/entra/types.js';

export type ExpiryState = 'expired' | 'expires-soon' | 'valid' | 'unknown';

const DAY_MS = 86_400_000;

export function expiryState(endDateTime: string | null, now: Date, warnDays: number): ExpiryState {
  if (!endDateTime) return 'unknown';
  const end = Date.parse(endDateTime);
  if (Number.isNaN(end)) return 'unknown';
  if (end <= now.getTime()) return 'expired';
  if (end - now.getTime() <= warnDays * DAY_MS) return 'expires-soon';
  return 'valid';
}

export function daysLeft(endDateTime: string | null, now: Date): number | null {
  if (!endDateTime) return null;
  const end = Date.parse(endDateTime);
  return Number.isNaN(end) ? null : Math.floor((end - now.getTime()) / DAY_MS);
}

export interface SecretMatch {
  /** Credentials whose hint is the configured secret's first three characters. */
  matches: PasswordCredential[];
  /** The configured value is the keyId ("Secret ID") of this credential. */
  idOf: PasswordCredential | null;
}

/**
 * Which passwordCredential the configured secret is: Entra keeps only its first three characters
 * (`hint`, reference C1 [V]). When Graph gives no hints at all and there is a single secret, that
 * one is assumed. The secret itself is only compared, never returned.
 */
export function matchSecret(secret: string, creds: PasswordCredential[]): SecretMatch {
  // A credential of the service principal (G9) is matched the same way; callers tell them apart.
  const value = secret.trim();
  const idOf = creds.find((c) => c.keyId && c.keyId.toLowerCase() === value.toLowerCase()) ?? null;
  const hint = value.slice(0, 3);
  let matches = creds.filter((c) => c.hint !== null && c.hint === hint);
  if (matches.length === 0 && creds.length === 1 && creds[0]!.hint === null) matches = [creds[0]!];
  return { matches, idOf };
}

/**
 * keyCredential.customKeyIdentifier defaults to the certificate's SHA-1 thumbprint (Graph
 * keyCredential [V]); Graph serialises Binary as base64, while some tools show it as hex. Both
 * are read; the result is upper-case hex, or null.
 */
export function thumbprintOf(customKeyIdentifier: string | null): string | null {
  if (!customKeyIdentifier) return null;
  const v = customKeyIdentifier.trim();
  if (/^[0-9a-f]{40}$/i.test(v)) return v.toUpperCase();
  const bytes = Buffer.from(v, 'base64');
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null;
}

export interface CertificateMatch {
  matches: KeyCredential[];
  /** What matched: the thumbprint of the registered `key` itself, or only customKeyIdentifier. */
  by: 'key' | 'customKeyIdentifier' | null;
}

/**
 * The registered certificates that are the configured one (G5): first by the thumbprint of their
 * `key` (SHA-1 or SHA-256 of the DER), then by customKeyIdentifier, which only *defaults* to the
 * SHA-1 thumbprint — scripts set other values or none (msgraph-sdk-powershell#995).
 */
export function matchCertificate(thumbprintSha1: string, creds: KeyCredential[], thumbprintSha256?: string): CertificateMatch {
  const sha1 = thumbprintSha1.toUpperCase();
  const sha256 = thumbprintSha256?.toUpperCase();
  // The portal registers a certificate once per usage; keep one entry per keyId.
  const unique = (found: KeyCredential[]) => [...new Map(found.map((c) => [c.keyId, c])).values()];
  const byKey = unique(creds.filter((c) => c.keyThumbprintSha1?.toUpperCase() === sha1 || (!!sha256 && c.keyThumbprintSha256?.toUpperCase() === sha256)));
  if (byKey.length) return { matches: byKey, by: 'key' };
  const byId = unique(creds.filter((c) => thumbprintOf(c.customKeyIdentifier) === sha1));
  return { matches: byId, by: byId.length ? 'customKeyIdentifier' : null };
}
