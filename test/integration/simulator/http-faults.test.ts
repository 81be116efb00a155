import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Fault } from '../../../src/simulator/scenario/schema.js';
import { msalNetworkClient, simAgent } from '../../helpers/sim.js';

const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
const s = structuredClone(loadScenario('healthy'));
// One fault from the scenario itself; the rest come from the per-run override.
s.faults = [{ service: 'graph', path: '/users/john@contoso\\.com$', kind: 'html', status: 502, count: 1 }];
const runFaults: Fault[] = [
  { service: 'graph', path: 'identitySecurityDefaultsEnforcementPolicy', kind: 'status', status: 429, retryAfterSeconds: 7, count: 2 },
  { service: 'graph', path: '/users/john@contoso\\.com/transitiveMemberOf', kind: 'html', count: 1 },
  { service: 'graph', path: '/mailFolders/inbox/messageRules', kind: 'status', status: 429, retryAfterSeconds: 3, count: 1 },
  { service: 'graph', path: 'delegatedPermissionClassifications', kind: 'latency', ms: 2000, count: 1 },
  { service: 'login', path: '/oauth2/v2\\.0/token', kind: 'status', status: 503, retryAfterSeconds: 1, count: 1 },
  { service: 'login', path: '/v2\\.0/\\.well-known', kind: 'reset', count: 1 },
  { service: 'exchange', kind: 'untrusted-cert' },
];

let sim: RunningSimulator;
let agent: Agent;
let token: string;

async function graphGet(path: string, dispatcher: Agent = agent) {
  const r = await request(`${sim.urls.graph}${path}`, { dispatcher, headers: { authorization: `Bearer ${token}` } });
  return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
}

async function readerToken(): Promise<string> {
  const r = await request(`${sim.urls.login}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.apps.reader!.appId, client_secret: s.apps.reader!.passwordCredentials.main!.value, scope: 'https://graph.microsoft.com/.default' }).toString(),
  });
  return { status: r.statusCode, body: (await r.body.json()) as { access_token?: string; error_codes?: number[] }, retryAfter: r.headers['retry-after'] } as never;
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: s, faults: runFaults });
  agent = simAgent(readFileSync(sim.caFile, 'utf8'));
  // The login 503 storm (count 1) is consumed here, then the retry succeeds.
  const first = (await readerToken()) as unknown as { status: number; body: { error_codes?: number[] }; retryAfter: string };
  expect(first.status).toBe(503);
  expect(first.body.error_codes).toEqual([90033]);
  expect(first.retryAfter).toBe('1');
  const second = (await readerToken()) as unknown as { status: number; body: { access_token: string } };
  token = second.body.access_token;
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

describe('status faults', () => {
  it('429 storm with Retry-After in Graph\'s error shape, then normal answers', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await graphGet('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy');
      expect(r.status).toBe(429);
      expect(r.headers['retry-after']).toBe('7');
      expect(JSON.parse(r.text).error.code).toBe('TooManyRequests');
      expect(r.headers['request-id']).toBeTruthy();
    }
    const ok = await graphGet('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy');
    expect(ok.status).toBe(200);
  });

  it('a fault matching one $batch item throttles only that item', async () => {
    const r = await request(`${sim.urls.graph}/v1.0/$batch`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ id: 'rules', method: 'GET', url: '/users/john@contoso.com/mailFolders/inbox/messageRules' }, { id: 'pol', method: 'GET', url: '/policies/authorizationPolicy' }] }),
    });
    expect(r.statusCode).toBe(200);
    const body = (await r.body.json()) as { responses: { id: string; status: number; headers: Record<string, string> }[] };
    const byId = Object.fromEntries(body.responses.map((x) => [x.id, x]));
    expect(byId.rules!.status).toBe(429);
    expect(byId.rules!.headers['retry-after']).toBe('3');
    expect(byId.pol!.status).toBe(200);
  });

  it('msal sees the login 503 as a ServerError with status 503', async () => {
    const sim2 = await startSimulator({ scenario: 'healthy', faults: [{ service: 'login', path: 'token', kind: 'status', status: 503, count: 1 }] });
    const a2 = simAgent(readFileSync(sim2.caFile, 'utf8'));
    try {
      const cca = new ConfidentialClientApplication({
        auth: { clientId: s.apps.webex!.appId, clientSecret: s.apps.webex!.passwordCredentials.main!.value, authority: `${sim2.urls.login}/${TENANT}`, knownAuthorities: [sim2.urls.login.slice(8)] },
        system: { networkClient: msalNetworkClient(a2) },
      });
      const e = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }).then(
        () => undefined,
        (err: { status?: number }) => err,
      );
      expect(e?.status).toBe(503);
    } finally {
      await a2.close();
      await sim2.stop();
    }
  });
});

describe('non-JSON bodies', () => {
  it('html fault from the scenario: 502 text/html where JSON is expected', async () => {
    const r = await graphGet('/v1.0/users/john@contoso.com');
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect((await graphGet('/v1.0/users/john@contoso.com')).status).toBe(200);
  });

  it('html fault from the run override: 200 text/html', async () => {
    const r = await graphGet('/v1.0/users/john@contoso.com/transitiveMemberOf');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(() => JSON.parse(r.text)).toThrow();
  });
});

describe('transport faults', () => {
  it('latency: a client timeout shorter than the delay fires; the next request is unaffected', async () => {
    const err = await request(`${sim.urls.graph}/v1.0/servicePrincipals/x/delegatedPermissionClassifications`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` }, headersTimeout: 150 }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('UND_ERR_HEADERS_TIMEOUT');
  });

  it('reset: the connection is dropped (no HTTP answer)', async () => {
    const err = await request(`${sim.urls.login}/${TENANT}/v2.0/.well-known/openid-configuration`, { dispatcher: agent }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(err?.code);
    const ok = await request(`${sim.urls.login}/${TENANT}/v2.0/.well-known/openid-configuration`, { dispatcher: agent });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
  });

  it('untrusted-cert: that listener presents a certificate outside the CA file', async () => {
    const err = await request(`${sim.urls.exchange}/adminapi/beta/${TENANT}/InvokeCommand`, { method: 'POST', dispatcher: agent, body: '{}' }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    // Graph's listener (no fault) still uses the trusted certificate.
    expect((await graphGet('/v1.0/policies/authorizationPolicy')).status).toBe(200);
  });

  it('hang: never answers; the client timeout ends it, and stop() releases held requests', async () => {
    const sim3 = await startSimulator({ scenario: 'healthy', faults: [{ service: 'graph', kind: 'hang' }] });
    const a3 = new Agent({ connect: { ca: readFileSync(sim3.caFile, 'utf8') } });
    try {
      const timedOut = await request(`${sim3.urls.graph}/v1.0/users/john@contoso.com`, { dispatcher: a3, headersTimeout: 150 }).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(timedOut?.code).toBe('UND_ERR_HEADERS_TIMEOUT');
      const held = request(`${sim3.urls.graph}/v1.0/users/john@contoso.com`, { dispatcher: a3 }).then(
        () => 'answered',
        () => 'closed',
      );
      // Wait until the simulator has the request (it records traffic on arrival), then stop it.
      for (let i = 0; i < 200 && sim3.ctx.traffic.entries().filter((e) => e.service === 'graph').length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      await sim3.stop();
      expect(await held).toBe('closed');
    } finally {
      await a3.close();
      await sim3.stop();
    }
  });
});

describe('traffic log', () => {
  it('records every request per service, Exchange with its cmdlet', async () => {
    const entries = sim.ctx.traffic.entries();
    // method, path and a digest of the body, so repeated requests can be told from different ones
    expect(entries.some((e) => e.service === 'login' && e.what.startsWith(`POST /${TENANT}/oauth2/v2.0/token #`))).toBe(true);
    expect(entries.some((e) => e.service === 'graph' && /^POST \/v1\.0\/\$batch #[0-9a-f]{12}$/.test(e.what))).toBe(true);
  });
});
