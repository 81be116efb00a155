import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PUBLIC_CLIENT_ID } from '../../../src/collect/identity/provider.js';
import { getAccessToken } from '../../../src/collect/identity/tokens.js';
import { JSON_HEADERS, LOGIN, TENANT, contractConfig, contractCtx, fakeJwt } from './harness.js';

/**
 * The admin's device-code sign-in against the documented answers of "Microsoft identity platform
 * and the OAuth 2.0 device authorization grant flow"
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code):
 * the device authorization response (device_code, user_code, verification_uri, expires_in,
 * interval, message), then `authorization_pending` while the user has not finished, then the
 * token response (token_type, scope, expires_in, access_token, id_token, refresh_token).
 */

afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
});

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('device code (reader kind device-code)', () => {
  it('shows the documented message on stderr, polls through authorization_pending, then reads the token', async () => {
    const oid = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const polls: string[] = [];
    nock(LOGIN)
      .post(`/${TENANT}/oauth2/v2.0/devicecode`)
      .query(true)
      .reply(
        200,
        {
          user_code: 'FHZNE5NRW',
          device_code: 'DAQABAAEAAAD--DLA3VO7QrddgJg7WevrEQ',
          verification_uri: 'https://microsoft.com/devicelogin',
          expires_in: 900,
          interval: 1,
          message: 'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FHZNE5NRW to authenticate.',
        },
        JSON_HEADERS,
      )
      .post(`/${TENANT}/oauth2/v2.0/token`, (body: string) => {
        polls.push(new URLSearchParams(body).get('grant_type') ?? '');
        return true;
      })
      .query(true)
      .reply(
        400,
        {
          error: 'authorization_pending',
          error_description: 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\r\nTimestamp: 2016-01-09 02:02:12Z',
          error_codes: [70016],
        },
        JSON_HEADERS,
      )
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(
        200,
        {
          token_type: 'Bearer',
          scope: 'https://graph.microsoft.com/Application.Read.All https://graph.microsoft.com/Directory.Read.All',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: await fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, oid, scp: 'Application.Read.All Directory.Read.All', idtyp: 'user', upn: 'admin@fabrikam.example' }),
          refresh_token: 'AwABAAAAvPM1KaPlrEqdFSBzjqfTGAMxZGUTdM0t4B4',
          id_token: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ aud: DEFAULT_PUBLIC_CLIENT_ID, iss: `${LOGIN}/${TENANT}/v2.0`, tid: TENANT, oid, preferred_username: 'admin@fabrikam.example', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
          client_info: b64url({ uid: oid, utid: TENANT }),
        },
        JSON_HEADERS,
      );
    const ctx = contractCtx(contractConfig({ reader: { kind: 'device-code' } }));
    const token = await getAccessToken(ctx, 'reader', 'graph');
    expect(token).toMatchObject({ identity: 'device-code', claims: { upn: 'admin@fabrikam.example' } });
    // One pending poll before the token. The page documents grant_type
    // urn:ietf:params:oauth:grant-type:device_code; msal-node sends the short form device_code.
    expect(polls).toHaveLength(1);
    expect(polls[0]).toMatch(/device_code$/);
    const shown = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(shown).toContain('enter the code FHZNE5NRW');
    expect(nock.isDone()).toBe(true);
  });
});
