import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE, clientAssertion } from '../../../../src/collect/identity/client-assertion.js';
import { generateAppCertificate } from '../../../../src/simulator/certs.js';

const CLIENT = 'c1d2e3f4-5a6b-4c7d-8e9f-a0b1c2d3e4f5';
const ENDPOINT = 'https://login.microsoftonline.com/b3f4c5d6-1a2b-4c3d-8e9f-0a1b2c3d4e5f/oauth2/v2.0/token';

describe('the certificate client assertion (Microsoft identity platform certificate credentials)', () => {
  it('PS256 with x5t#S256 and the chain, signed by the certificate key, for this client and token endpoint, ten minutes', async () => {
    const now = new Date();
    const cert = await generateAppCertificate({ commonName: 'wxmail assertion test', notBefore: new Date(now.getTime() - 3_600_000), notAfter: new Date(now.getTime() + 86_400_000) });
    const jwt = await clientAssertion({ path: 'app.pem', pem: cert.pem }, CLIENT, ENDPOINT, now);
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'PS256', typ: 'JWT' });
    expect(Buffer.from(String(header['x5t#S256']), 'base64url').toString('hex').toUpperCase()).toBe(cert.thumbprintSha256);
    expect(header.x5c).toEqual([cert.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')]);
    // Verifies with the certificate's public key, and with no other key.
    const { payload } = await jwtVerify(jwt, await importX509(cert.certPem, 'PS256'), { audience: ENDPOINT, issuer: CLIENT, subject: CLIENT, currentDate: now });
    expect(payload.exp! - payload.nbf!).toBe(600);
    expect(typeof payload.jti).toBe('string');
    const { publicKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(jwtVerify(jwt, otherKey, { currentDate: now })).rejects.toThrow(/signature/);
    expect(CLIENT_ASSERTION_TYPE).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });
});
