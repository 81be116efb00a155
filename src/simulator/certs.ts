import { X509Certificate, generateKeyPair } from 'node:crypto';
import { generate } from 'selfsigned';

/** TLS material of one simulator listener: a self-signed leaf that is also its own trust anchor. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/**
 * A self-signed EC certificate for 127.0.0.1 and localhost. basicConstraints cA=true makes the leaf
 * usable as the `ca:` of undici, nodemailer, imapflow and msal (libraries.md §6: verified).
 */
export async function generateTlsMaterial(commonName = 'wxmail simulator'): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A generated client certificate credential (an app registration's keyCredential). */
export interface AppCertificate {
  /** Private key + certificate PEM, as the doctor's --client-certificate file holds it. */
  pem: string;
  certPem: string;
  keyPem: string;
  /** Hex SHA-1 thumbprint (upper case), the `customKeyIdentifier` Entra shows. */
  thumbprintSha1: string;
  thumbprintSha256: string;
}

/**
 * An RSA certificate for client assertions: Entra verifies RS256/PS256 assertions, so RSA 2048,
 * with the validity window of the scenario's keyCredential.
 */
export async function generateAppCertificate(opts: { commonName: string; notBefore: Date; notAfter: Date }): Promise<AppCertificate> {
  const cn = opts.commonName.replace(/^CN=/i, '') || 'wxmail';
  const pems = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'rsa',
    keySize: 2048,
    keyPair: await appKeyPair(),
    algorithm: 'sha256',
    notBeforeDate: opts.notBefore,
    notAfterDate: opts.notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  const x509 = new X509Certificate(pems.cert);
  return {
    pem: `${pems.private.trim()}\n${pems.cert.trim()}\n`,
    certPem: pems.cert,
    keyPem: pems.private,
    thumbprintSha1: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    thumbprintSha256: x509.fingerprint256.replace(/:/g, '').toUpperCase(),
  };
}

/**
 * RSA key generation costs ~200 ms of CPU, and tests start hundreds of simulators: every app
 * certificate of this process shares one key pair. The certificates (and so their thumbprints)
 * still differ, which is what Entra matches an assertion's `x5t` against.
 */
let sharedAppKeyPair: Promise<{ privateKey: string; publicKey: string }> | undefined;
function appKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  sharedAppKeyPair ??= new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );
  return sharedAppKeyPair;
}
