import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeProbeFact } from '../../../src/collect/identity/authorize-probe.js';
import { resolveAuthority } from '../../../src/collect/identity/authority.js';
import { webexTokensFact } from '../../../src/collect/identity/webex-token-fact.js';
import { getAccessToken } from '../../../src/collect/identity/tokens.js';
import { CLIENT, GRAPH, JSON_HEADERS, LOGIN, SECRET, TENANT, contractConfig, contractCtx, fakeJwt, graphError, GRAPH_HEADERS, caught } from './harness.js';

/**
 * The identity collectors (client credentials as a direct form POST; msal for the device code; both on the project's Net) against the Microsoft identity platform's
 * documented answers, served by nock at login.microsoftonline.com:
 * - success: "OAuth 2.0 client credentials flow", Successful response example
 *   (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow);
 * - errors: the error response format of the same page and of "Microsoft Entra authentication and
 *   authorization error codes" (https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 *   `error`, `error_description` ("AADSTS…: …\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …"),
 *   `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`; descriptions from that
 *   page's table.
 */

const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`;
const TRACE = '255d1aef-8c98-452f-ac51-23d051240864';
const CORRELATION = 'fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7';

/** An AADSTS error body in the documented format. */
function aadError(error: string, aadsts: number, text: string): Record<string, unknown> {
  return {
    error,
    error_description: `AADSTS${aadsts}: ${text}\r\nTrace ID: ${TRACE}\r\nCorrelation ID: ${CORRELATION}\r\nTimestamp: 2016-01-09 02:02:12Z`,
    error_codes: [aadsts],
    timestamp: '2016-01-09 02:02:12Z',
    trace_id: TRACE,
    correlation_id: CORRELATION,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  };
}

afterEach(() => {
  nock.cleanAll();
});

describe('client credentials: the documented success answer', () => {
  it('sends the documented form and reads the token; Graph and Exchange are asked for /.default each', async () => {
    const forms: URLSearchParams[] = [];
    const token = await fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, appid: CLIENT, roles: ['Mail.Send'], idtyp: 'app' });
    const serverAhead = new Date(Date.now() + 300_000).toUTCString();
    nock(LOGIN)
      .post(TOKEN_PATH, (body: string) => {
        forms.push(new URLSearchParams(body));
        return true;
      })
      .query(true)
      .times(2)
      .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token }, { ...JSON_HEADERS, date: serverAhead });
    const tokens = await contractCtx().get(webexTokensFact);
    expect(tokens.graph).toMatchObject({ ok: true, error: null, claims: { roles: ['Mail.Send'], tid: TENANT } });
    expect(tokens.exchange.ok).toBe(true);
    // The server's Date header is five minutes ahead: the skew is measured from it.
    expect(tokens.graph.clockSkewSeconds).toBeGreaterThanOrEqual(290);
    expect(tokens.graph.clockSkewSeconds).toBeLessThanOrEqual(301);
    expect(forms.map((f) => f.get('scope')).sort()).toEqual(['https://graph.microsoft.com/.default', 'https://outlook.office365.com/.default']);
    for (const f of forms) {
      expect(f.get('grant_type')).toBe('client_credentials');
      expect(f.get('client_id')).toBe(CLIENT);
      expect(f.get('client_secret')).toBe(SECRET);
    }
  });

  it('no discovery round trip for the worldwide cloud: the only request is the token POST', async () => {
    const scope = nock(LOGIN)
      .post(TOKEN_PATH)
      .query(true)
      .reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: await fakeJwt({ roles: [] }) }, JSON_HEADERS);
    await getAccessToken(contractCtx(), 'webex', 'graph');
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('client credentials: AADSTS error bodies from the token endpoint', () => {
  it.each([
    // [HTTP status, error, AADSTS, expected code, description from the error-code table]
    [401, 'invalid_client', 7000215, 'SECRET_INVALID', "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + CLIENT + "'."],
    [400, 'unauthorized_client', 700016, 'APP_NOT_FOUND', `Application with identifier '${CLIENT}' was not found in the directory '${TENANT}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`],
    [400, 'invalid_request', 90002, 'TENANT_NOT_FOUND', `Tenant '${TENANT}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`],
    // The client credentials page's own error example (a scope that is not valid).
    [400, 'invalid_scope', 70011, 'TOKEN_FAILED', "The provided value for the input parameter 'scope' isn't valid. The scope https://foo.microsoft.com/.default isn't valid."],
  ] as const)('HTTP %i %s AADSTS%i is %s, with the trace and correlation ids as evidence', async (status, error, aadsts, code, text) => {
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(status, aadError(error, aadsts, text), JSON_HEADERS);
    const e = await caught(getAccessToken(contractCtx(), 'webex', 'graph'));
    expect(e.code).toBe(code);
    expect(e.evidence).toMatchObject({ aadsts, error, traceId: TRACE, correlationId: CORRELATION, httpStatus: status });
  });

  it('404 with `{}` (no error, no token: msal resolves an empty token, libraries.md §2 [O]) is TOKEN_FAILED, never a token', async () => {
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(404, {}, JSON_HEADERS);
    const e = await caught(getAccessToken(contractCtx(), 'webex', 'graph'));
    expect(e.code).toBe('TOKEN_FAILED');
    expect(e.message).toContain('HTTP 404 without an access token');
  });

  it('an HTML page where JSON was expected (a proxy answering) is UNEXPECTED_RESPONSE', async () => {
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(200, '<html><body>Proxy login</body></html>', { 'content-type': 'text/html' });
    const e = await caught(getAccessToken(contractCtx(), 'webex', 'graph'));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.message).toContain('login.microsoftonline.com answered 200 with text/html');
  });
});

describe('authority metadata for an overridden login host', () => {
  const config = contractConfig({ endpointOverrides: { login: true } });

  it('reads the documented OpenID configuration (v2.0/.well-known/openid-configuration)', async () => {
    // https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc ("Find your app's OpenID configuration document URI").
    nock(LOGIN)
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply(
        200,
        {
          authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/authorize`,
          token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `${LOGIN}/${TENANT}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
          tenant_region_scope: 'NA',
          cloud_instance_name: 'microsoftonline.com',
        },
        JSON_HEADERS,
      );
    const a = await resolveAuthority(contractCtx(config));
    expect(a.source).toBe('fetched');
    expect(JSON.parse(a.authorityMetadata)).toMatchObject({ token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token` });
  });

  it('an unknown tenant answers the metadata request with AADSTS90002: TENANT_NOT_FOUND, not a bare msal error', async () => {
    nock(LOGIN)
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply(400, aadError('invalid_tenant', 90002, `Tenant '${TENANT}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`), JSON_HEADERS);
    const e = await caught(resolveAuthority(contractCtx(config)));
    expect(e.code).toBe('TENANT_NOT_FOUND');
    expect(e.evidence).toMatchObject({ aadsts: 90002, metadataUrl: `${LOGIN}/${TENANT}/v2.0/.well-known/openid-configuration` });
  });
});

describe('sign-in on an overridden login host does not wait for its metadata (issue 9)', () => {
  const config = contractConfig({ endpointOverrides: { login: true } });
  const metadata = (tokenEndpoint: string) => ({
    authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/authorize`,
    token_endpoint: tokenEndpoint,
    jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
    issuer: `${LOGIN}/${TENANT}/v2.0`,
  });
  const tokenBody = async () => ({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: await fakeJwt({ roles: ['Mail.Send'] }) });

  it('the token request leaves before the metadata answers, and counts when the metadata names that endpoint', async () => {
    let tokenSeen!: () => void;
    const seen = new Promise<void>((resolve) => (tokenSeen = resolve));
    const order: string[] = [];
    const body = await tokenBody();
    nock(LOGIN)
      .post(TOKEN_PATH)
      .query(true)
      .reply(() => {
        order.push('token');
        tokenSeen();
        return [200, body, JSON_HEADERS];
      });
    // The metadata answers only once the token request has arrived (or after 5 s, and the test fails).
    nock(LOGIN)
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply((_uri, _body, cb) => {
        void Promise.race([seen, new Promise((r) => setTimeout(r, 5_000))]).then(() => {
          order.push('metadata');
          cb(null, [200, metadata(`${LOGIN}/${TENANT}/oauth2/v2.0/token`), JSON_HEADERS]);
        });
      });
    const t = await getAccessToken(contractCtx(config), 'webex', 'graph');
    expect(t.token).toBe(body.access_token);
    expect(order).toEqual(['token', 'metadata']);
    expect(nock.isDone()).toBe(true);
  });

  it('a metadata document naming another token endpoint: the request is sent again there, and that answer counts', async () => {
    const body = await tokenBody();
    nock(LOGIN).get(`/${TENANT}/v2.0/.well-known/openid-configuration`).reply(200, metadata(`${LOGIN}/private/${TENANT}/token`), JSON_HEADERS);
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(400, aadError('invalid_request', 900023, `Specified tenant identifier '${TENANT}' is neither a valid DNS name, nor a valid external domain.`), JSON_HEADERS);
    nock(LOGIN).post(`/private/${TENANT}/token`).query(true).reply(200, body, JSON_HEADERS);
    const t = await getAccessToken(contractCtx(config), 'webex', 'graph');
    expect(t.token).toBe(body.access_token);
    expect(nock.isDone()).toBe(true);
  });

  it('an unknown tenant is the metadata\'s AADSTS90002, whatever the early token request got', async () => {
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(200, await tokenBody(), JSON_HEADERS);
    nock(LOGIN)
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply(400, aadError('invalid_tenant', 90002, `Tenant '${TENANT}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`), JSON_HEADERS);
    const e = await caught(getAccessToken(contractCtx(config), 'webex', 'graph'));
    expect(e.code).toBe('TENANT_NOT_FOUND');
  });
});

describe('entra.authorize-probe (the authorize endpoint with prompt=none)', () => {
  const CALLBACK = 'https://acme.us.webexconnect.io/callback';
  const config = contractConfig({ callbackUrl: CALLBACK });

  async function registrationUnreadable(): Promise<void> {
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: await fakeJwt({ roles: [] }) }, JSON_HEADERS);
    nock(GRAPH).get(`/v1.0/applications(appId='${CLIENT}')`).query(true).reply(403, graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), GRAPH_HEADERS);
  }

  it('a 302 to the callback with error=login_required (the error redirect of the OIDC page) says the URI is registered', async () => {
    // https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc ("Error response"):
    // errors come back to the redirect URI as `error` and `error_description`; prompt=none without
    // a session is login_required.
    await registrationUnreadable();
    nock(LOGIN)
      .get(`/${TENANT}/oauth2/v2.0/authorize`)
      .query((q) => q.prompt === 'none' && q.redirect_uri === CALLBACK && q.client_id === CLIENT)
      .reply(302, '', { location: `${CALLBACK}?error=login_required&error_description=AADSTS50058%3a+A+silent+sign-in+request+was+sent+but+no+user+is+signed+in.&state=wxmail-doctor-probe` });
    const probe = await contractCtx(config).get(authorizeProbeFact);
    expect(probe).toMatchObject({ ran: true, status: 302, redirectsToCallback: true, redirectError: 'login_required' });
  });

  it('Entra\'s error page naming AADSTS50011 (redirect URI mismatch, error-code table) is read from the HTML', async () => {
    await registrationUnreadable();
    nock(LOGIN)
      .get(`/${TENANT}/oauth2/v2.0/authorize`)
      .query(true)
      .reply(200, `<!DOCTYPE html><html><body><div>AADSTS50011: The redirect URI '${CALLBACK}' specified in the request does not match the redirect URIs configured for the application '${CLIENT}'.</div></body></html>`, { 'content-type': 'text/html; charset=utf-8' });
    const probe = await contractCtx(config).get(authorizeProbeFact);
    expect(probe).toMatchObject({ ran: true, status: 200, aadsts: 50011, redirectsToCallback: false });
  });
});
