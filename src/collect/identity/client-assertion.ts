import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { derChain, parseCertificatePem } from './certificate.js';

/** RFC 7523: the `client_assertion_type` of a JWT client assertion. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The signed JWT a confidential client proves a certificate credential with (Microsoft identity
 * platform "certificate credentials" [V]): header `alg` PS256, `typ` JWT, `x5t#S256` = base64url
 * of the certificate's SHA-256 thumbprint (and `x5c`, the chain, for subject-name-and-issuer
 * authentication), claims `aud` = the token endpoint, `iss` = `sub` = the client id, a fresh `jti`,
 * `nbf`/`iat` now and `exp` ten minutes later: the header and lifetime msal-node 7 sends for a
 * `thumbprintSha256` credential.
 */
export async function clientAssertion(cert: { path: string; pem: string }, clientId: string, tokenEndpoint: string, now = new Date()): Promise<string> {
  const c = parseCertificatePem(cert.pem, cert.path);
  const seconds = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(c.thumbprintSha256, 'hex').toString('base64url'), x5c: derChain(c.x5c) })
    .setAudience(tokenEndpoint)
    .setIssuer(clientId)
    .setSubject(clientId)
    .setJti(randomUUID())
    .setNotBefore(seconds)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 600)
    .sign(createPrivateKey(c.privateKey));
}
