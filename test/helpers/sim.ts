import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import { Agent, request, type Dispatcher } from 'undici';
import type { MailStore, SimContext } from '../../src/simulator/context.js';
import type { SimClaims } from '../../src/simulator/tokens.js';
import { createSimContext, startSimulator, type RunningSimulator, type SimContextOptions } from '../../src/simulator/index.js';
import { createMailStore } from '../../src/simulator/mail/index.js';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import type { Fault, Scenario } from '../../src/simulator/scenario/schema.js';

/**
 * A SimContext for tests that drive one part of the simulator directly (no listeners).
 * `scenario` is a Scenario or a scenario name; `overrides` may replace the mail store, TLS
 * material, add faults, fix the start time, or replace the clock.
 */
export async function makeSimContext(scenario: Scenario | string, overrides: Partial<SimContextOptions> & Partial<Pick<SimContext, 'now'>> = {}): Promise<SimContext> {
  const s = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
  const { now, ...opts } = overrides;
  const mail: MailStore = opts.mail ?? createMailStore();
  const ctx = await createSimContext(s, { ...opts, mail });
  if (now) ctx.now = now;
  return ctx;
}


/** An undici Agent that trusts the simulator's CA (tests only: replaces the default roots). */
export function simAgent(caPem: string): Agent {
  return new Agent({ connect: { ca: caPem } });
}

const flat = (h: Record<string, string | string[] | undefined>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));

/** msal-node's network module on an undici dispatcher (libraries.md §2). */
export function msalNetworkClient(dispatcher: Dispatcher): INetworkModule {
  const parse = async (r: Dispatcher.ResponseData) => {
    const text = await r.body.text();
    try {
      return text ? (JSON.parse(text) as unknown) : {};
    } catch {
      return {};
    }
  };
  return {
    async sendGetRequestAsync<T>(url: string, o?: { headers?: Record<string, string> }): Promise<NetworkResponse<T>> {
      const r = await request(url, { method: 'GET', headers: o?.headers, dispatcher });
      return { status: r.statusCode, headers: flat(r.headers), body: (await parse(r)) as T };
    },
    async sendPostRequestAsync<T>(url: string, o?: { headers?: Record<string, string>; body?: string }): Promise<NetworkResponse<T>> {
      const r = await request(url, { method: 'POST', headers: o?.headers, body: o?.body, dispatcher });
      return { status: r.statusCode, headers: flat(r.headers), body: (await parse(r)) as T };
    },
  };
}

/**
 * An Exchange Online access token as Entra would issue it to the Webex app (app-only, with the
 * SMTP/IMAP app roles) or to john (delegated), signed by the simulator; `claims` override.
 */
export async function mintExchangeToken(ctx: SimContext, claims: Partial<SimClaims> & { delegated?: boolean } = {}): Promise<string> {
  const { delegated, ...over } = claims;
  const app = ctx.scenario.apps.webex!;
  const now = Math.floor(Date.now() / 1000);
  const base: SimClaims = {
    aud: 'https://outlook.office365.com',
    iss: `https://sts.windows.net/${ctx.scenario.tenant.id}/`,
    tid: ctx.scenario.tenant.id,
    appid: app.appId,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    ...(delegated
      ? { idtyp: 'user' as const, scp: 'SMTP.Send IMAP.AccessAsUser.All', upn: 'john@contoso.com', oid: ctx.scenario.users.john!.id }
      : { idtyp: 'app' as const, oid: app.servicePrincipalId, roles: ['Mail.Send', 'SMTP.SendAsApp', 'IMAP.AccessAsApp'] }),
  };
  return ctx.tokens.sign({ ...base, ...over });
}

/** A client-credentials token from the simulator's token endpoint for one app of the scenario (its `main` secret). */
export async function clientCredentialsToken(loginUrl: string, tenant: string, dispatcher: Dispatcher, scenario: Scenario, appKey: string, scope: string): Promise<string> {
  const app = scenario.apps[appKey]!;
  const r = await request(`${loginUrl}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.appId, client_secret: app.passwordCredentials.main!.value, scope }).toString(),
  });
  return ((await r.body.json()) as { access_token: string }).access_token;
}

/** Runs `fn` against a simulator started for it (scenario name or object, extra faults), then stops it. */
export async function withSimulator<T>(scenario: Scenario | string, faults: Fault[], fn: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ scenario, faults });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}
