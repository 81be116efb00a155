import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificatePem } from '../../../../src/collect/identity/certificate.js';
import { generateAppCertificate } from '../../../../src/simulator/certs.js';

describe('certificate credential', () => {
  it('reads key + certificate from one PEM with both thumbprints', async () => {
    const c = await generateAppCertificate({ commonName: 'CN=wxmail', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000) });
    const parsed = parseCertificatePem(c.pem, 'app.pem');
    expect(parsed.thumbprintSha1).toBe(c.thumbprintSha1);
    expect(parsed.thumbprintSha256).toBe(new X509Certificate(c.certPem).fingerprint256.replace(/:/g, '').toLowerCase());
    expect(parsed.privateKey).toContain('-----BEGIN PRIVATE KEY-----');
    expect(parsed.x5c).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('names what is missing in a PEM without a key', async () => {
    const c = await generateAppCertificate({ commonName: 'x', notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 86_400_000) });
    expect(() => parseCertificatePem(c.certPem, 'only-cert.pem')).toThrow(/only-cert.pem must hold a private key/);
  });
});
