import { readFileSync } from 'node:fs';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { simAgent } from '../../helpers/sim.js';

const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
const CALLBACK = 'https://contoso.us.webexconnect.io/callback';

let sim: RunningSimulator;
let agent: Agent;
const s = structuredClone(loadScenario('healthy'));
// The reader app: web redirect URI present, implicit access tokens off, SPA URI elsewhere.
s.apps.reader!.web = { redirectUris: [CALLBACK], enableAccessTokenIssuance: false, enableIdTokenIssuance: false };
s.apps.reader!.spaRedirectUris = ['https://spa.example.com/callback'];

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  agent = simAgent(readFileSync(sim.caFile, 'utf8'));
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

/** undici.request never follows redirects: the probe reads Location and stops there. */
function authorize(params: Record<string, string>, tenant = TENANT) {
  return request(`${sim.urls.login}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`, { dispatcher: agent });
}

describe('authorize endpoint as a redirect-URI probe', () => {
  it('valid web redirect URI, access tokens enabled → 200 sign-in page', async () => {
    const r = await authorize({ client_id: s.apps.webex!.appId, redirect_uri: CALLBACK, response_type: 'code token', scope: 'openid' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(await r.body.text()).toContain('to continue to WebexConnect');
  });

  it('redirect URI not registered for the web platform → Entra HTML page with AADSTS50011 (no redirect)', async () => {
    const r = await authorize({ client_id: s.apps.webex!.appId, redirect_uri: 'https://contoso.us.webexconnect.io/callback/', response_type: 'code' });
    expect(r.statusCode).toBe(400);
    expect(r.headers.location).toBeUndefined();
    const page = await r.body.text();
    expect(page).toContain('AADSTS50011');
    expect(page).toContain("The redirect URI 'https://contoso.us.webexconnect.io/callback/' specified in the request does not match");
  });

  it('a SPA-only redirect URI is still AADSTS50011 at a web authorize request', async () => {
    const r = await authorize({ client_id: s.apps.reader!.appId, redirect_uri: 'https://spa.example.com/callback', response_type: 'code' });
    expect(r.statusCode).toBe(400);
    expect(await r.body.text()).toContain('AADSTS50011');
  });

  it('unknown client id → HTML page with AADSTS700016', async () => {
    const r = await authorize({ client_id: '11111111-2222-4333-8444-555555555555', redirect_uri: CALLBACK, response_type: 'code' });
    expect(r.statusCode).toBe(400);
    expect(await r.body.text()).toContain('AADSTS700016');
  });

  it('response_type token while access tokens are off → 302 to the redirect URI with the error in the fragment', async () => {
    const r = await authorize({ client_id: s.apps.reader!.appId, redirect_uri: CALLBACK, response_type: 'token', scope: 'openid', state: 'probe1' });
    expect(r.statusCode).toBe(302);
    await r.body.dump();
    const location = String(r.headers.location);
    expect(location.startsWith(`${CALLBACK}#`)).toBe(true);
    const frag = new URLSearchParams(location.split('#')[1]);
    expect(frag.get('error')).toBe('unsupported_response_type');
    // G22 [O]: the number users report is 700051 (the table's 70005 has similar words).
    expect(frag.get('error_description')).toMatch(/^AADSTS700051: response_type 'token' is not enabled for the application\./);
    expect(frag.get('state')).toBe('probe1');
  });

  it('unknown tenant → HTML page with AADSTS90002', async () => {
    const r = await authorize({ client_id: s.apps.webex!.appId, redirect_uri: CALLBACK, response_type: 'code' }, 'fabrikam.com');
    expect(r.statusCode).toBe(400);
    expect(await r.body.text()).toContain('AADSTS90002');
  });

  it('prompt=none with no session → 302 to the accepted redirect URI with login_required (AADSTS50058), as Entra does (G23)', async () => {
    const r = await authorize({ client_id: s.apps.webex!.appId, redirect_uri: CALLBACK, response_type: 'code', response_mode: 'query', scope: 'openid', prompt: 'none', state: 'p2' });
    expect(r.statusCode).toBe(302);
    await r.body.dump();
    const location = new URL(String(r.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS50058: /);
    expect(r.headers['x-ms-request-id']).toBeTruthy();
  });

  it('error pages carry Entra\'s markers: $Config with the code, and an x-ms-request-id header (G23)', async () => {
    const r = await authorize({ client_id: s.apps.webex!.appId, redirect_uri: 'https://contoso.us.webexconnect.io/other', response_type: 'code', prompt: 'none' });
    expect(r.statusCode).toBe(400);
    expect(r.headers['x-ms-request-id']).toBeTruthy();
    const page = await r.body.text();
    expect(page).toMatch(/\$Config=\{[^\n]*"sErrorCode":"50011"/);
  });

  it('a redirect URI differing only in letter case: AADSTS50011 with the "case sensitivity" sentence (G22)', async () => {
    const r = await authorize({ client_id: s.apps.webex!.appId, redirect_uri: CALLBACK.replace('callback', 'Callback'), response_type: 'code' });
    expect(await r.body.text()).toContain('Reply address did not match because of case sensitivity');
  });
});

describe('authorize endpoint for an app without any redirect URI', () => {
  it('answers AADSTS500113 (no reply address), not 50011 (G22)', async () => {
    const bare = structuredClone(loadScenario('healthy'));
    bare.apps.webex!.web = { redirectUris: [], enableAccessTokenIssuance: false, enableIdTokenIssuance: false };
    const sim2 = await startSimulator({ scenario: bare });
    const agent2 = simAgent(readFileSync(sim2.caFile, 'utf8'));
    try {
      const r = await request(`${sim2.urls.login}/${TENANT}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: bare.apps.webex!.appId, redirect_uri: CALLBACK, response_type: 'code' }).toString()}`, { dispatcher: agent2 });
      expect(r.statusCode).toBe(400);
      const page = await r.body.text();
      expect(page).toContain('AADSTS500113: No reply address is registered for the application.');
    } finally {
      await agent2.close();
      await sim2.stop();
    }
  });
});
