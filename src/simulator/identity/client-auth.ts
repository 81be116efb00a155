import { createHash, X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import type { SimContext } from '../context.js';
import type { ScenarioApp } from '../scenario/schema.js';
import { AADSTS } from './errors.js';
import { resolveTenant } from './tenant.js';

type AadErr = ReturnType<(typeof AADSTS)[keyof typeof AADSTS]>;

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the client presented: a secret (form or HTTP Basic), an assertion, or nothing. */
export type Presented = { kind: 'secret'; secret: string } | { kind: 'assertion'; assertion: string; assertionType: string | null } | { kind: 'none' };

export function presentedCredential(form: URLSearchParams, basic: { clientId: string; secret: string } | undefined): Presented {
  const secret = form.get('client_secret') ?? basic?.secret;
  if (secret !== undefined && secret !== null && secret !== '') return { kind: 'secret', secret };
  const assertion = form.get('client_assertion');
  if (assertion) return { kind: 'assertion', assertion, assertionType: form.get('client_assertion_type') };
  return { kind: 'none' };
}

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
export function basicAuth(headerValue: string | undefined): { clientId: string; secret: string } | undefined {
  if (!headerValue || !/^basic\s+/i.test(headerValue)) return undefined;
  const decoded = Buffer.from(headerValue.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  const unescape = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { clientId: unescape(decoded.slice(0, i)), secret: unescape(decoded.slice(i + 1)) };
}

/**
 * Checks a client secret the way Entra does: a value matching one of the app's secrets passes
 * unless that secret is outside its start/end window (AADSTS7000222); no match is 7000215 —
 * including the secret's *ID* pasted instead of its value.
 */
export function checkSecret(ctx: SimContext, app: ScenarioApp, secret: string): AadErr | undefined {
  const now = ctx.now().getTime();
  // Secrets added to the service principal (servicePrincipal: addPassword) are accepted too: the
  // reference marks this NOT VERIFIED (G9), so the simulator models it as inferred [I].
  const match = [...Object.values(app.passwordCredentials), ...Object.values(app.servicePrincipalPasswordCredentials ?? {})].filter((c) => c.value === secret);
  if (match.length === 0) return AADSTS.invalidSecret(app.appId);
  const valid = match.some((c) => ctx.when(c.start).getTime() <= now && now < ctx.when(c.end).getTime());
  return valid ? undefined : AADSTS.secretExpired(app.appId);
}

/**
 * Checks a certificate client assertion: the header's `x5t` (SHA-1) or `x5t#S256` thumbprint must
 * name a registered, currently valid keyCredential; the signature must verify with it; iss = sub =
 * client id; aud = a token endpoint of this tenant; nbf/exp within 5 minutes of the clock.
 */
export async function checkAssertion(ctx: SimContext, appKey: string, app: ScenarioApp, assertion: string, assertionType: string | null): Promise<AadErr | undefined> {
  if (assertionType !== ASSERTION_TYPE) return AADSTS.missingParameter('client_assertion_type');
  let hdr: ReturnType<typeof decodeProtectedHeader>;
  try {
    hdr = decodeProtectedHeader(assertion);
  } catch {
    return AADSTS.assertionInvalid('The client assertion is not a well-formed JWT.');
  }
  const x5t = typeof hdr.x5t === 'string' ? Buffer.from(hdr.x5t, 'base64url').toString('hex').toUpperCase() : undefined;
  const s256Raw = (hdr as Record<string, unknown>)['x5t#S256'];
  const x5tS256 = typeof s256Raw === 'string' ? Buffer.from(s256Raw, 'base64url').toString('hex').toUpperCase() : undefined;
  const thumb = x5tS256 ?? x5t ?? '';
  const certs = ctx.certificates.get(appKey) ?? new Map();
  let found: { credKey: string; certPem: string } | undefined;
  for (const [credKey, c] of certs) {
    const sha256 = sha256Thumbprint(c.certPem);
    if ((x5t && c.thumbprintSha1 === x5t) || (x5tS256 && sha256 === x5tS256)) found = { credKey, certPem: c.certPem };
  }
  if (!found) {
    return AADSTS.assertionInvalid(
      `The key was not found., Thumbprint of key used by client: '${thumb}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'.`,
    );
  }
  const cred = app.keyCredentials[found.credKey]!;
  const now = ctx.now();
  if (now < ctx.when(cred.start) || now >= ctx.when(cred.end)) {
    return AADSTS.assertionInvalid(`The key used is expired., Thumbprint of key used by client: '${thumb}', Found key 'Start=${ctx.when(cred.start).toISOString()}, End=${ctx.when(cred.end).toISOString()}'`);
  }
  const alg = typeof hdr.alg === 'string' && ['RS256', 'PS256'].includes(hdr.alg) ? hdr.alg : 'RS256';
  let payload: Record<string, unknown>;
  try {
    const key = await importX509(found.certPem, alg);
    payload = (await jwtVerify(assertion, key, { currentDate: now, clockTolerance: 300 })).payload;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return AADSTS.assertionTime(now);
    return AADSTS.assertionInvalid(`The client assertion signature is invalid., Thumbprint of key used by client: '${thumb}'`);
  }
  if (payload.iss !== app.appId || payload.sub !== app.appId) return AADSTS.assertionClientMismatch();
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.some((a) => typeof a === 'string' && isTokenEndpointOf(ctx, a))) return AADSTS.assertionAudience();
  return undefined;
}

function isTokenEndpointOf(ctx: SimContext, aud: string): boolean {
  let u: URL;
  try {
    u = new URL(aud);
  } catch {
    return false;
  }
  const m = /^\/([^/]+)\/oauth2\/(?:v2\.0\/)?token\/?$/.exec(u.pathname);
  if (!m) return false;
  // Our own listener (any loopback port) or the public login host.
  const hostOk = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === 'login.microsoftonline.com';
  return hostOk && resolveTenant(ctx.scenario, m[1]!).ok;
}

function sha256Thumbprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex').toUpperCase();
}
