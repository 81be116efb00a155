import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorizeProbeFact } from '../../../src/collect/identity/authorize-probe.js';
import { getAccessToken } from '../../../src/collect/identity/tokens.js';
import { appRegistrationFact } from '../../../src/collect/graph/entra/app-registration.js';
import { appRoleAssignmentsFact, consentPolicyFact } from '../../../src/collect/graph/entra/consent.js';
import { exchangeResourceFact } from '../../../src/collect/graph/entra/service-principals.js';
import type { RunConfig } from '../../../src/config/types.js';
import type { CollectContext, FactDefinition } from '../../../src/core/fact.js';
import { FactError } from '../../../src/core/fact-error.js';
import { silentLogger } from '../../../src/core/log.js';
import { createNet } from '../../../src/net/create-net.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Scenario } from '../../../src/simulator/scenario/schema.js';
import { defaultRunConfig } from '../../../src/config/defaults.js';

/** The collectors against the simulated tenant on loopback, through the real Net (CA trusted). */

function configFor(sim: RunningSimulator, over: Partial<RunConfig> = {}): RunConfig {
  const s = sim.ctx.scenario;
  const secret = s.apps.webex!.passwordCredentials.main!.value;
  return defaultRunConfig({
    tenantId: s.tenant.id,
    clientId: s.apps.webex!.appId,
    clientSecret: secret,
    callbackUrl: s.doctor.callbackUrl,
    endpoints: { login: sim.urls.login, graph: sim.urls.graph, exchange: sim.urls.exchange, smtpHost: '127.0.0.1', smtpPort: sim.smtp.port, imapHost: '127.0.0.1', imapPort: sim.imap.port },
    endpointOverrides: { login: true, graph: true, exchange: true },
    extraCaPems: [sim.ctx.tls.cert],
    timeoutMs: 60_000,
    checkTimeoutMs: 30_000,
    roundtripTimeoutMs: 60_000,
    ...over,
  });
}

function ctxFor(config: RunConfig): CollectContext {
  const memo = new Map<string, Promise<unknown>>();
  const ctx: CollectContext = {
    config,
    net: createNet(config, { maxRetries: 0 }),
    log: silentLogger(),
    signal: new AbortController().signal,
    services: new Map(),
    get<U>(f: FactDefinition<U>): Promise<U> {
      if (!memo.has(f.id)) memo.set(f.id, f.collect(ctx, null));
      return memo.get(f.id) as Promise<U>;
    },
  };
  return ctx;
}

function tokenPosts(sim: RunningSimulator): number {
  return sim.ctx.traffic.entries().filter((e) => e.service === 'login' && /POST .*oauth2\/v2\.0\/token/.test(e.what)).length;
}

describe('identity against the simulator', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    const s: Scenario = structuredClone(loadScenario('healthy'));
    s.apps.webex!.keyCredentials = { cert: { keyId: '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b', displayName: 'CN=wxmail', start: '-1d', end: '+300d' } };
    sim = await startSimulator({ scenario: s });
  });
  afterAll(async () => sim?.stop());

  it('one token request per resource and identity, however many readers ask', async () => {
    const before = tokenPosts(sim);
    const ctx = ctxFor(configFor(sim));
    const tokens = await Promise.all([
      getAccessToken(ctx, 'webex', 'graph'),
      getAccessToken(ctx, 'reader', 'graph'),
      getAccessToken(ctx, 'webex', 'exchange'),
      getAccessToken(ctx, 'webex', 'graph'),
    ]);
    expect(tokenPosts(sim) - before).toBe(2);
    expect(tokens[2]!.claims.roles).toEqual(['Mail.Send']);
    expect(tokens[0]!.claims.tid).toBe(sim.ctx.scenario.tenant.id);
  });

  it('signs in with a certificate from the PEM file (x5t#S256 assertion)', async () => {
    const pem = sim.ctx.certificates.get('webex')!.get('cert')!.pem;
    const ctx = ctxFor(configFor(sim, { clientSecret: undefined, clientCertificate: { path: 'webex.pem', pem } }));
    const t = await getAccessToken(ctx, 'webex', 'exchange');
    expect(t.claims.appid).toBe(sim.ctx.scenario.apps.webex!.appId);
  });

  it('reads the registration, consent and policy facts with the reader app', async () => {
    const reader = sim.ctx.scenario.apps.reader!;
    const ctx = ctxFor(configFor(sim, { reader: { kind: 'app', clientId: reader.appId, clientSecret: reader.passwordCredentials.main!.value } }));
    const [app, assignments, exchange, policy] = await Promise.all([ctx.get(appRegistrationFact), ctx.get(appRoleAssignmentsFact), ctx.get(exchangeResourceFact), ctx.get(consentPolicyFact)]);
    expect(app.web.redirectUris).toContain(sim.ctx.scenario.doctor.callbackUrl);
    const mailSend = exchange!.appRoles.find((r) => r.value === 'Mail.Send')!;
    expect(assignments.some((a) => a.appRoleId === mailSend.id && a.resourceId === exchange!.id)).toBe(true);
    expect(policy.permissionGrantPoliciesAssigned[0]).toMatch(/legacy/);
    expect(policy.classifications).toBeNull();
  });

  it('the authorize probe is not sent when the registration is readable', async () => {
    const ctx = ctxFor(configFor(sim));
    expect(await ctx.get(authorizeProbeFact)).toEqual({ ran: false });
  });

  it('the device-code reader prints the code on stderr and gets both tokens', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const ctx = ctxFor(configFor(sim, { reader: { kind: 'device-code' } }));
      const [g, e] = await Promise.all([getAccessToken(ctx, 'reader', 'graph'), getAccessToken(ctx, 'reader', 'exchange')]);
      expect(g.identity).toBe('device-code');
      expect(g.clientId).toBe('14d82eec-204b-4c2f-b7e8-296a70dab67e');
      expect(g.claims.scp).toContain('Application.Read.All');
      expect(e.claims.aud).toBe('https://outlook.office365.com');
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(/microsoft\.com\/devicelogin and enter the code/);
  });
});

describe('authorize probe against the simulator', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    const s: Scenario = structuredClone(loadScenario('healthy'));
    s.apps.webex!.web.redirectUris = ['https://contoso.us.webexconnect.io/callback/'];
    sim = await startSimulator({ scenario: s });
  });
  afterAll(async () => sim?.stop());

  it('falls back to the authorize endpoint when the registration cannot be read, and sees AADSTS50011', async () => {
    const ctx = ctxFor(configFor(sim, { clientSecret: 'Wrong8Q~0000000000000000000000000000000' }));
    const err = await ctx.get(appRegistrationFact).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FactError);
    const probe = await ctx.get(authorizeProbeFact);
    expect(probe).toMatchObject({ ran: true, aadsts: 50011, redirectsToCallback: false });
    // No reader: the Webex identity reads, and its refused sign-in is the reason the probe ran.
    expect(probe.registrationError).toMatchObject({ code: 'READER_SIGN_IN_FAILED', evidence: { cause: 'SECRET_INVALID' } });
  });

  it('a registered callback is accepted by the authorize endpoint', async () => {
    const ctx = ctxFor(configFor(sim, { clientSecret: 'Wrong8Q~0000000000000000000000000000000', callbackUrl: 'https://contoso.us.webexconnect.io/callback/' }));
    const probe = await ctx.get(authorizeProbeFact);
    expect(probe.ran).toBe(true);
    // G23: prompt=none without a session → 302 to the callback with login_required (AADSTS50058).
    expect(probe).toMatchObject({ redirectsToCallback: true, redirectError: 'login_required', aadsts: 50058, fromEntra: true });
  });
});
