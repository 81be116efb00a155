import { describe, expect, it } from 'vitest';
import { looksLikeSecretId, mapAadError, parseAadError } from '../../../../src/collect/errors/aadsts.js';
import { decodeClaims } from '../../../../src/collect/identity/claims.js';
import { fakeJwt } from './ctx.js';

const body = (code: number, error = 'invalid_request') => ({
  error,
  error_description: `AADSTS${code}: Something.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: x`,
  error_codes: [code],
  trace_id: 't',
  correlation_id: 'c',
  error_uri: `https://login.microsoftonline.com/error?code=${code}`,
});

describe('AADSTS table', () => {
  it('parses Microsoft\'s error body, first line of the description only', () => {
    const e = parseAadError(body(7000215, 'invalid_client'), 401)!;
    expect(e).toMatchObject({ aadsts: 7000215, error: 'invalid_client', description: 'AADSTS7000215: Something.', httpStatus: 401, traceId: 't' });
    expect(parseAadError({ hello: 1 }, 400)).toBeNull();
    expect(parseAadError(null, 404)).toBeNull();
  });

  it('reads the number from the description when error_codes is absent, and builds the error URI', () => {
    const e = parseAadError({ error: 'invalid_request', error_description: 'AADSTS900023: Specified tenant identifier' }, 400)!;
    expect(e.aadsts).toBe(900023);
    expect(e.errorUri).toBe('https://login.microsoftonline.com/error?code=900023');
  });

  it.each([
    [7000215, 'wrong', 'SECRET_INVALID'],
    [7000215, '5f7981e4-9b3e-43ff-b2cf-297606955fff', 'SECRET_ID_NOT_VALUE'],
    [7000222, 'x', 'SECRET_EXPIRED'],
    [700016, 'x', 'APP_NOT_FOUND'],
    [7000112, 'x', 'APP_DISABLED'],
    [90002, 'x', 'TENANT_NOT_FOUND'],
    [900023, 'x', 'TENANT_NOT_FOUND'],
    [65001, 'x', 'TOKEN_FAILED'],
  ])('AADSTS%s → %s', (code, secret, expected) => {
    const m = mapAadError(parseAadError(body(code), 400)!, { clientSecret: secret, credential: 'secret', clientId: 'c', tenantId: 't' });
    expect(m.code).toBe(expected);
    expect(m.summary.length).toBeGreaterThan(10);
    expect(`${m.summary} ${m.details}`).not.toContain(secret.length > 5 ? secret : '\u0000');
  });

  it('a GUID-shaped certificate credential is never called a pasted secret ID', () => {
    const m = mapAadError(parseAadError(body(7000215), 401)!, { clientSecret: '5f7981e4-9b3e-43ff-b2cf-297606955fff', credential: 'certificate' });
    expect(m.code).toBe('SECRET_INVALID');
  });

  it('TOKEN_FAILED names the number and Microsoft\'s URI', () => {
    const m = mapAadError(parseAadError(body(65002), 400)!, { credential: 'secret' });
    expect(m.code).toBe('TOKEN_FAILED');
    expect(m.summary).toContain('AADSTS65002');
    expect(m.details).toContain('https://login.microsoftonline.com/error?code=65002');
  });

  // G7: sign-in errors that need their own cause (bodies in Microsoft's shape, A1).
  const withText = (code: number, text: string, error = 'unauthorized_client') => ({ ...body(code, error), error_description: `AADSTS${code}: ${text}\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: x` });

  it('AADSTS70001 is decided from its message: "not found in the directory" → APP_NOT_FOUND, else APP_DISABLED', () => {
    const ctx = { credential: 'secret' as const, clientId: 'c9d8', tenantId: 'fabrikam.example' };
    const notFound = mapAadError(parseAadError(withText(70001, "Application with identifier 'c9d8' was not found in the directory 'fabrikam.example'."), 400)!, ctx);
    expect(notFound.code).toBe('APP_NOT_FOUND');
    expect(notFound.summary).toContain('AADSTS70001');
    const disabled = mapAadError(parseAadError(withText(70001, "Application 'c9d8' is disabled."), 400)!, ctx);
    expect(disabled.code).toBe('APP_DISABLED');
  });

  it.each([
    [700011, "Application with identifier 'c9d8' was not found in directory 'fabrikam.example'.", 'APP_NOT_FOUND', /another tenant/],
    [7000229, "The client application c9d8 is missing service principal in the tenant fabrikam.example.", 'SERVICE_PRINCIPAL_MISSING', /service principal/],
    [53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.', 'CONDITIONAL_ACCESS_BLOCKED', /workload identities/],
    [500011, 'The resource principal named https://outlook.office365.com was not found in the tenant named fabrikam.example.', 'RESOURCE_NOT_IN_TENANT', /Exchange Online/],
    [700024, 'Client assertion is not within its valid time range.', 'CLIENT_ASSERTION_TIME_INVALID', /clock/],
  ])('AADSTS%s has its own cause → %s', (code, text, expected, cause) => {
    const m = mapAadError(parseAadError(withText(code, text, 'invalid_client'), 400)!, { credential: 'certificate', clientId: 'c9d8', tenantId: 'fabrikam.example' });
    expect(m.code).toBe(expected);
    expect(m.summary).toContain(`AADSTS${code}`);
    expect(m.details).toMatch(cause);
    expect(m.details).toContain(text);
  });

  it('recognises secret IDs by shape', () => {
    expect(looksLikeSecretId(' 5F7981E4-9B3E-43FF-B2CF-297606955FFF ')).toBe(true);
    expect(looksLikeSecretId('L1e8Q~B5rzySjA6wI3PqgNqZkdVd1zpTJm4Xw7Rk')).toBe(false);
    expect(looksLikeSecretId(undefined)).toBe(false);
  });
});

describe('claims', () => {
  it('keeps the diagnostic claims only, and never fails on an opaque token', async () => {
    const c = decodeClaims(await fakeJwt({ aud: 'https://outlook.office365.com', roles: ['Mail.Send'], exp: 5, unrelated: 'x', azp: 'app' }));
    expect(c).toEqual({ aud: 'https://outlook.office365.com', roles: ['Mail.Send'], exp: 5, appid: 'app' });
    expect(decodeClaims('not-a-jwt')).toEqual({});
  });
});
