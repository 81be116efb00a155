import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import { Agent, request, type Dispatcher } from 'undici';
import type { MailStore, SimContext } from '../../src/simulator/context.js';
import { createSimContext, type SimContextOptions } from '../../src/simulator/index.js';
import { createMailStore } from '../../src/simulator/mail/index.js';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import type { Scenario } from '../../src/simulator/scenario/schema.js';

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
