import { describe, expect, it } from 'vitest';
import { getAccessToken } from '../../../../src/collect/identity/tokens.js';
import { DEFAULT_PUBLIC_CLIENT_ID, EXCHANGE_PUBLIC_CLIENT_ID, identitySpec, tokenAttempt } from '../../../../src/collect/identity/provider.js';
import { redactor } from '../../../../src/core/redact.js';
import { CLIENT, JSON_HEADERS, LOGIN, TENANT, caught, fakeJwt, mockOrigins, openIdConfig, testConfig, testCtx } from './ctx.js';

const TOKEN_PATH = (p: string) => p.startsWith(`/${TENANT}/oauth2/v2.0/token`);
const META_PATH = `/${TENANT}/v2.0/.well-known/openid-configuration`;

function aad(code: number, error: string, text: string) {
  return {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: t-1\r\nCorrelation ID: c-1\r\nTimestamp: 2026-01-01 00:00:00Z`,
    error_codes: [code],
    timestamp: '2026-01-01 00:00:00Z',
    trace_id: 't-1',
    correlation_id: 'c-1',
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

describe('identity provider (client credentials through Net)', () => {
  it('gets one token per resource, once per run, with claims decoded and the token registered for redaction', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    const scopes: string[] = [];
    const jwtFor = { graph: await fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, appid: CLIENT, roles: ['Application.Read.All'], exp: 2_000_000_000 }), exchange: await fakeJwt({ aud: 'https://outlook.office365.com', tid: TENANT, appid: CLIENT, roles: ['Mail.Send'], exp: 2_000_000_000 }) };
    pool
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply((opts) => {
        const form = new URLSearchParams(String(opts.body));
        scopes.push(form.get('scope')!);
        expect(form.get('client_secret')).toBeTruthy();
        const token = form.get('scope')!.includes('graph') ? jwtFor.graph : jwtFor.exchange;
        return { statusCode: 200, data: { token_type: 'Bearer', expires_in: 3599, access_token: token }, responseOptions: { headers: JSON_HEADERS } };
      })
      .times(2);
    const ctx = testCtx(testConfig());
    const [g1, e1, g2] = await Promise.all([getAccessToken(ctx, 'webex', 'graph'), getAccessToken(ctx, 'webex', 'exchange'), getAccessToken(ctx, 'reader', 'graph')]);
    expect(scopes.sort()).toEqual(['https://graph.microsoft.com/.default', 'https://outlook.office365.com/.default']);
    expect(g1).toBe(g2); // no reader: the reader IS the webex identity, same memo entry
    expect(e1.claims.roles).toEqual(['Mail.Send']);
    expect(e1.identity).toBe('webex');
    expect(e1.clientId).toBe(CLIENT);
    expect(redactor.text(`x ${e1.token} y`)).not.toContain(e1.token);
    agent.assertNoPendingInterceptors();
  });

  it('uses built-in metadata for a built-in cloud: no discovery request at all', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: await fakeJwt({ roles: [] }) }, { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig({ endpointOverrides: {} }));
    const t = await getAccessToken(ctx, 'webex', 'exchange');
    expect(t.token.length).toBeGreaterThan(10);
    agent.assertNoPendingInterceptors(); // and a GET would have failed: net connect is disabled
  });

  it.each([
    [7000215, 'invalid_client', 'Invalid client secret provided.', undefined, 'SECRET_INVALID'],
    [7000215, 'invalid_client', 'Invalid client secret provided.', '5f7981e4-9b3e-43ff-b2cf-297606955fff', 'SECRET_ID_NOT_VALUE'],
    [7000222, 'invalid_client', 'The provided client secret keys are expired.', undefined, 'SECRET_EXPIRED'],
    [700016, 'unauthorized_client', 'Application with identifier was not found.', undefined, 'APP_NOT_FOUND'],
    [7000112, 'unauthorized_client', 'Application is disabled.', undefined, 'APP_DISABLED'],
    [90002, 'invalid_tenant', "Tenant 'x' not found.", undefined, 'TENANT_NOT_FOUND'],
    [50196, 'invalid_request', 'LoopDetected', undefined, 'TOKEN_FAILED'],
  ])('maps AADSTS%s to its code (%s)', async (code, error, text, secret, expected) => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(code === 7000215 || code === 7000222 ? 401 : 400, aad(code, error, text), { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig(secret ? { clientSecret: secret } : {}));
    const e = await caught(getAccessToken(ctx, 'webex', 'exchange'));
    expect(e.code).toBe(expected);
    expect(e.evidence).toMatchObject({ aadsts: code, errorUri: `https://login.microsoftonline.com/error?code=${code}` });
    expect(JSON.stringify(e.toJSON())).not.toContain(secret ?? 'L1e8Q~B5rzySjA6wI3PqgNqZkdVd1zpTJm4Xw7Rk');
  });

  it('reads the metadata itself so an unknown tenant is TENANT_NOT_FOUND (msal would hide AADSTS90002)', async () => {
    const agent = mockOrigins();
    agent.get(LOGIN).intercept({ path: META_PATH, method: 'GET' }).reply(400, aad(90002, 'invalid_tenant', `Tenant '${TENANT}' not found.`), { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig());
    const e = await caught(getAccessToken(ctx, 'webex', 'graph'));
    expect(e.code).toBe('TENANT_NOT_FOUND');
    expect(e.evidence).toMatchObject({ aadsts: 90002 });
  });

  it('treats an empty access token (404 {}) as a failure, not a success', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(404, {}, { headers: JSON_HEADERS });
    const e = await caught(getAccessToken(testCtx(testConfig()), 'webex', 'graph'));
    expect(e.code).toBe('TOKEN_FAILED');
    expect(e.evidence).toMatchObject({ httpStatus: 404 });
  });

  it('keeps transport faults as they are (non-JSON answer → UNEXPECTED_RESPONSE)', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(502, '<html>proxy error</html>', { headers: { 'content-type': 'text/html' } });
    const e = await caught(getAccessToken(testCtx(testConfig()), 'webex', 'graph'));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
  });

  it('measures clock skew from the Date header of the token answer', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    const serverDate = new Date(Date.now() + 10 * 60_000).toUTCString();
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: await fakeJwt({}) }, { headers: { ...JSON_HEADERS, date: serverDate } });
    const a = await tokenAttempt(testCtx(testConfig()), 'webex', 'graph');
    expect(a.ok).toBe(true);
    expect(a.clockSkewSeconds).toBeGreaterThan(500);
    expect(a.clockSkewSeconds).toBeLessThan(700);
  });

  it('names what is missing instead of trying to sign in', async () => {
    const e = await caught(getAccessToken(testCtx(testConfig({ clientId: undefined, clientSecret: undefined })), 'webex', 'graph'));
    expect(e.code).toBe('INPUT_MISSING');
    expect(e.message).toContain('client ID (--client-id)');
    expect(e.message).toContain('client secret');
  });

  it('wraps a refused reader sign-in as READER_SIGN_IN_FAILED, but keeps the code for the webex identity', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(401, aad(7000215, 'invalid_client', 'Invalid client secret provided.'), { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig({ reader: { kind: 'app', clientId: '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d', clientSecret: 'Rdr8Q~kP2vXw9LmN4bQ7tY1cZ6sH3jF5gD0aE8uI' } }));
    const e = await caught(getAccessToken(ctx, 'reader', 'graph'));
    expect(e.code).toBe('READER_SIGN_IN_FAILED');
    expect(e.evidence).toMatchObject({ cause: 'SECRET_INVALID', identity: 'app' });
    expect(e.message).toContain('reader app 2c1d0e7a');
  });

  it('exports the documented default public client (Microsoft Graph Command Line Tools)', () => {
    expect(DEFAULT_PUBLIC_CLIENT_ID).toBe('14d82eec-204b-4c2f-b7e8-296a70dab67e');
  });

  it('G10: the device-code reader reads Exchange through the Exchange Online PowerShell client (Exchange.Manage), Graph through Graph Command Line Tools', () => {
    const cfg = { config: testConfig({ reader: { kind: 'device-code' } }) };
    expect(EXCHANGE_PUBLIC_CLIENT_ID).toBe('fb78d390-0c51-40cd-8e17-fdbfab77341b');
    expect(identitySpec(cfg, 'reader', 'exchange')).toMatchObject({ clientId: EXCHANGE_PUBLIC_CLIENT_ID, key: 'reader-device-code-exchange' });
    expect(identitySpec(cfg, 'reader', 'graph')).toMatchObject({ clientId: DEFAULT_PUBLIC_CLIENT_ID, key: 'reader-device-code' });
    // A client of the tenant's own serves both.
    const own = { config: testConfig({ reader: { kind: 'device-code', clientId: '0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a' } }) };
    expect(identitySpec(own, 'reader', 'exchange').clientId).toBe('0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a');
  });

  it('G10: a consent failure of the reader is reported as a consent failure (AADSTS65001), not a missing role', async () => {
    const agent = mockOrigins();
    const pool = agent.get(LOGIN);
    pool.intercept({ path: META_PATH, method: 'GET' }).reply(200, openIdConfig(), { headers: JSON_HEADERS });
    pool
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(400, aad(65001, 'invalid_grant', "The user or administrator has not consented to use the application with ID '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d'."), { headers: JSON_HEADERS });
    const ctx = testCtx(testConfig({ reader: { kind: 'app', clientId: '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d', clientSecret: 'Rdr8Q~kP2vXw9LmN4bQ7tY1cZ6sH3jF5gD0aE8uI' } }));
    const e = await caught(getAccessToken(ctx, 'reader', 'exchange'));
    expect(e.code).toBe('READER_SIGN_IN_FAILED');
    expect(e.message).toContain('because consent is missing');
    expect(e.details).toContain('consent failure (AADSTS65001), not a missing role');
    expect(e.evidence).toMatchObject({ cause: 'CONSENT_MISSING', aadsts: 65001 });
  });
});
