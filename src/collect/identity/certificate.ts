import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { FactError } from '../../core/fact-error.js';

/** What a certificate client assertion needs (client-assertion.ts), plus the thumbprints for matching keyCredentials. */
export interface CertificateCredential {
  /** Hex SHA-256 of the DER certificate: the assertion's `x5t#S256` (PS256). */
  thumbprintSha256: string;
  /** Hex SHA-1 (upper case): what Entra stores as a keyCredential's `customKeyIdentifier`. */
  thumbprintSha1: string;
  privateKey: string;
  /** The certificate chain as found in the PEM (sent as the assertion's `x5c`). */
  x5c: string;
  notAfter: string;
  notBefore: string;
  subject: string;
}

const CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_RE = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/**
 * Reads the PEM file given with `--client-certificate` (private key + certificate). The private
 * key is normalised to PKCS#8 (`BEGIN PRIVATE KEY`).
 */
export function parseCertificatePem(pem: string, path = 'the certificate file'): CertificateCredential {
  const certs = pem.match(CERT_RE) ?? [];
  const keyPem = KEY_RE.exec(pem)?.[0];
  if (certs.length === 0 || !keyPem) {
    throw new FactError('INPUT_MISSING', `${path} must hold a private key and its certificate in PEM.`, {
      details: `Found ${certs.length} certificate(s) and ${keyPem ? 'a' : 'no'} private key. Concatenate both into one file: \`cat key.pem cert.pem > app.pem\`.`,
    });
  }
  let cert: X509Certificate;
  let privateKey: string;
  try {
    cert = new X509Certificate(certs[0]!);
    privateKey = createPrivateKey(keyPem).export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch (err) {
    throw new FactError('INPUT_MISSING', `${path} could not be read as PEM: ${(err as Error).message.split('\n')[0]}.`);
  }
  return {
    thumbprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    thumbprintSha1: cert.fingerprint.replace(/:/g, '').toUpperCase(),
    privateKey,
    x5c: certs.join('\n'),
    notAfter: new Date(cert.validTo).toISOString(),
    notBefore: new Date(cert.validFrom).toISOString(),
    subject: cert.subject,
  };
}

/** Each certificate of a PEM chain as base64 DER (the form of a JWS `x5c` header). */
export function derChain(pem: string): string[] {
  return (pem.match(CERT_RE) ?? []).map((c) => c.replace(/-----(?:BEGIN|END) CERTIFICATE-----|\s+/g, ''));
}

/**
 * SHA-1 and SHA-256 (upper-case hex) of a keyCredential's `key`, the certificate's DER in base64
 * (Graph keyCredential [V]); null when there is no key or it is not base64. The portal's
 * "Thumbprint" column is the SHA-1.
 */
export function derThumbprints(keyBase64: string | null): { sha1: string; sha256: string } | null {
  if (!keyBase64) return null;
  const der = Buffer.from(keyBase64, 'base64');
  if (der.length < 32) return null;
  return {
    sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}
