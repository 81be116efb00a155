import { describe, expect, it } from 'vitest';
import check, { evaluateCertificate, evaluateSecret } from '../../../../checks/entra/client-secret.js';
import { thumbprintOf } from '../../../../checks/entra/lib/credentials.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import type { PasswordCredential } from '../../../../src/collect/graph/entra/types.js';
import { NOW, app, checkCtx, err, ok } from './fixtures.js';

const SECRET = 'L1e8Q~B5rzySjA6wI3PqgNqZkdVd1zpTJm4Xw7Rk';
const cred = (keyId: string, hint: string | null, end: string, name = 'wxconnect'): PasswordCredential => ({ keyId, displayName: name, hint, startDateTime: '2025-01-01T00:00:00Z', endDateTime: end });
const K1 = '5f7981e4-9b3e-43ff-b2cf-297606955fff';
const K2 = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('entra.client-secret (secrets)', () => {
  it('passes and names the secret in use and its expiry', () => {
    const o = evaluateSecret(app(), SECRET, NOW, 30);
    expect(o.code).toBeNull();
    expect(o.summary).toContain('"wxconnect"');
    expect(o.evidence).toMatchObject({ configuredHint: 'L1e', matched: [K1] });
    expect(JSON.stringify(o)).not.toContain(SECRET);
  });
  it('SECRET_EXPIRED', () => {
    expect(evaluateSecret(app({ passwordCredentials: [cred(K1, 'L1e', '2026-05-01T00:00:00Z')] }), SECRET, NOW, 30).code).toBe('SECRET_EXPIRED');
  });
  it('SECRET_EXPIRES_SOON within --secret-warn-days, not outside it', () => {
    const a = app({ passwordCredentials: [cred(K1, 'L1e', '2026-06-20T00:00:00Z')] });
    expect(evaluateSecret(a, SECRET, NOW, 30).code).toBe('SECRET_EXPIRES_SOON');
    expect(statusOfCode('SECRET_EXPIRES_SOON')).toBe('warn');
    expect(evaluateSecret(a, SECRET, NOW, 10).code).toBeNull();
  });
  it('SECRET_HINT_AMBIGUOUS when several secrets share the hint', () => {
    const o = evaluateSecret(app({ passwordCredentials: [cred(K1, 'L1e', '2027-01-01T00:00:00Z', 'a'), cred(K2, 'L1e', '2027-02-01T00:00:00Z', 'b')] }), SECRET, NOW, 30);
    expect(o.code).toBe('SECRET_HINT_AMBIGUOUS');
    expect(o.summary).toContain('"a"');
    expect(o.summary).toContain('"b"');
  });
  it('ambiguous but all matching expired → SECRET_EXPIRED', () => {
    const o = evaluateSecret(app({ passwordCredentials: [cred(K1, 'L1e', '2026-01-01T00:00:00Z'), cred(K2, 'L1e', '2026-02-01T00:00:00Z')] }), SECRET, NOW, 30);
    expect(o.code).toBe('SECRET_EXPIRED');
    expect(o.findings?.map((f) => f.code)).toContain('SECRET_HINT_AMBIGUOUS');
  });
  it('SECRET_ID_NOT_VALUE when the secret ID was pasted (known or unknown ID)', () => {
    const o = evaluateSecret(app(), K1, NOW, 30);
    expect(o.code).toBe('SECRET_ID_NOT_VALUE');
    expect(o.summary).toContain(K1);
    expect(evaluateSecret(app(), '11111111-2222-4333-8444-555555555555', NOW, 30).code).toBe('SECRET_ID_NOT_VALUE');
  });
  it('SECRET_INVALID when no secret has the hint', () => {
    expect(evaluateSecret(app(), 'Xyz8Q~somethingelse0000000000000000000', NOW, 30).code).toBe('SECRET_INVALID');
  });
  it('names other expired secrets in the details', () => {
    const o = evaluateSecret(app({ passwordCredentials: [cred(K1, 'L1e', '2027-01-01T00:00:00Z'), cred(K2, 'Old', '2025-06-01T00:00:00Z', 'old one')] }), SECRET, NOW, 30);
    expect(o.code).toBeNull();
    expect(o.details).toContain('"old one"');
  });
});

describe('entra.client-secret (secrets on the service principal, G9)', () => {
  const spSecret = cred('7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f', 'Zq9', '2027-01-01T00:00:00Z', 'added by script');
  const SP_VALUE = 'Zq9xT~spOnlyS3cretValue0123456789abcdEF';
  it('a secret found only on the enterprise application warns SECRET_ON_SERVICE_PRINCIPAL, with hint and expiry, and says acceptance is not verified', () => {
    const o = evaluateSecret(app(), SP_VALUE, NOW, 30, [spSecret]);
    expect(o.code).toBe('SECRET_ON_SERVICE_PRINCIPAL');
    expect(statusOfCode('SECRET_ON_SERVICE_PRINCIPAL')).toBe('warn');
    expect(o.summary).toContain('hint "Zq9"');
    expect(o.summary).toContain('2027-01-01T00:00:00Z');
    expect(o.summary).toContain('enterprise application (service principal), not the app registration');
    expect(o.details).toMatch(/NOT VERIFIED/);
    expect(o.values).toMatchObject({ 'key-id': spSecret.keyId });
    expect(JSON.stringify(o)).not.toContain(SP_VALUE);
  });
  it('an expired service-principal secret is SECRET_EXPIRED; the registration\'s own secret still wins when it matches', () => {
    const expired = { ...spSecret, endDateTime: '2026-01-01T00:00:00Z' };
    const o = evaluateSecret(app(), SP_VALUE, NOW, 30, [expired]);
    expect(o.code).toBe('SECRET_EXPIRED');
    expect(o.findings?.map((f) => f.code)).toContain('SECRET_ON_SERVICE_PRINCIPAL');
    expect(evaluateSecret(app(), SECRET, NOW, 30, [spSecret]).code).toBeNull();
    expect(evaluateSecret(app(), 'Nope~0000000000000000000000000000000', NOW, 30, [spSecret]).code).toBe('SECRET_INVALID');
  });
});

describe('entra.client-secret (certificates)', () => {
  const thumb = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
  const b64 = Buffer.from(thumb, 'hex').toString('base64');
  const key = (end: string, cki: string | null = b64) => ({ keyId: K2, displayName: 'CN=wxmail', customKeyIdentifier: cki, type: 'AsymmetricX509Cert', usage: 'Verify', startDateTime: null, endDateTime: end });
  it('matches by thumbprint (base64 or hex customKeyIdentifier)', () => {
    expect(thumbprintOf(b64)).toBe(thumb);
    expect(thumbprintOf(thumb.toLowerCase())).toBe(thumb);
    expect(evaluateCertificate(app({ keyCredentials: [key('2027-01-01T00:00:00Z')] }), thumb, NOW, 30).code).toBeNull();
    expect(evaluateCertificate(app({ keyCredentials: [key('2027-01-01T00:00:00Z', thumb)] }), thumb, NOW, 30).code).toBeNull();
  });
  it('CERTIFICATE_EXPIRED / CERTIFICATE_EXPIRES_SOON / CERTIFICATE_NOT_REGISTERED', () => {
    expect(evaluateCertificate(app({ keyCredentials: [key('2026-05-01T00:00:00Z')] }), thumb, NOW, 30).code).toBe('CERTIFICATE_EXPIRED');
    expect(evaluateCertificate(app({ keyCredentials: [key('2026-06-10T00:00:00Z')] }), thumb, NOW, 30).code).toBe('CERTIFICATE_EXPIRES_SOON');
    const o = evaluateCertificate(app({ keyCredentials: [key('2027-01-01T00:00:00Z')] }), 'FFFF' + thumb.slice(4), NOW, 30);
    expect(o.code).toBe('CERTIFICATE_NOT_REGISTERED');
    expect(statusOfCode('CERTIFICATE_NOT_REGISTERED')).toBe('fail');
  });
  it('G5: matches by the thumbprint of the registered key first, whatever customKeyIdentifier says', () => {
    const custom = { ...key('2027-01-01T00:00:00Z', Buffer.from('wxconnect-cert').toString('base64')), keyThumbprintSha1: thumb, keyThumbprintSha256: 'AB'.repeat(32) };
    const o = evaluateCertificate(app({ keyCredentials: [custom] }), thumb, NOW, 30);
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ matchedBy: 'key', matched: K2 });
    // By SHA-256 alone too.
    const by256 = evaluateCertificate(app({ keyCredentials: [{ ...custom, keyThumbprintSha1: null }] }), 'FFFF' + thumb.slice(4), NOW, 30, { thumbprintSha256: 'ab'.repeat(32) });
    expect(by256.code).toBeNull();
    // Only customKeyIdentifier matched (no key): passes, and says what it rests on.
    const byId = evaluateCertificate(app({ keyCredentials: [key('2027-01-01T00:00:00Z')] }), thumb, NOW, 30);
    expect(byId.evidence).toMatchObject({ matchedBy: 'customKeyIdentifier' });
    expect(byId.details).toContain('only defaults to the thumbprint');
  });
  it('G5: a certificate Entra accepted for a token is registered even when no metadata matches', () => {
    const custom = key('2027-01-01T00:00:00Z', Buffer.from('wxconnect-cert').toString('base64'));
    const accepted = evaluateCertificate(app({ keyCredentials: [custom] }), thumb, NOW, 30, { tokenAccepted: true, notAfter: '2027-03-01T00:00:00Z' });
    expect(accepted.code).toBeNull();
    expect(accepted.summary).toContain('Entra accepted it');
    expect(evaluateCertificate(app({ keyCredentials: [custom] }), thumb, NOW, 30, { tokenAccepted: true, notAfter: '2026-06-10T00:00:00Z' }).code).toBe('CERTIFICATE_EXPIRES_SOON');
    expect(evaluateCertificate(app({ keyCredentials: [custom] }), thumb, NOW, 30, { tokenAccepted: false }).code).toBe('CERTIFICATE_NOT_REGISTERED');
  });
});

describe('entra.client-secret (wiring)', () => {
  it('uses config.secretWarnDays and the configured secret', () => {
    const a = app({ passwordCredentials: [cred(K1, 'L1e', '2026-06-20T00:00:00Z')] });
    const facts = { app: a, sp: ok(null), tokens: err('TOKEN_FAILED', 'x') } as never;
    expect((check.run(facts, checkCtx({ secretWarnDays: 30 })) as { code: string }).code).toBe('SECRET_EXPIRES_SOON');
    expect((check.run(facts, checkCtx({ secretWarnDays: 5 })) as { code: null }).code).toBeNull();
  });
  it('precondition without any credential → INPUT_MISSING', () => {
    expect(check.precondition!(checkCtx({ clientSecret: undefined }))?.code).toBe('INPUT_MISSING');
  });
});
