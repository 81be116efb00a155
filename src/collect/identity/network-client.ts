import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { FactError } from '../../core/fact-error.js';
import type { Net } from '../../net/net.js';

/**
 * What one sign-in exchange looked like on the wire, kept beside msal so a failure can be
 * diagnosed from Microsoft's own answer: msal turns a thrown transport error into a bare
 * `network_error` and hides the AADSTS body of a failed metadata request (reference A3b).
 * Keyed by msal's correlation id, which we set per acquisition.
 */
export interface WireRecord {
  /** The last non-2xx JSON body (Microsoft's error shape), or the 2xx body without tokens. */
  lastStatus?: number;
  lastErrorBody?: unknown;
  /** Transport faults (NETWORK, TIMEOUT, THROTTLED, UNEXPECTED_RESPONSE) thrown by Net. */
  transportError?: FactError;
  /** The server's `Date` header of the last answer and our clock when it arrived (clock skew). */
  serverDate?: string;
  receivedAt?: number;
  requestIds: string[];
}

export class WireLog {
  readonly #records = new Map<string, WireRecord>();

  record(correlationId: string | undefined): WireRecord {
    const key = correlationId ?? '';
    let r = this.#records.get(key);
    if (!r) {
      r = { requestIds: [] };
      this.#records.set(key, r);
    }
    return r;
  }

  get(correlationId: string): WireRecord | undefined {
    return this.#records.get(correlationId);
  }
}

/**
 * msal's INetworkModule on the project's one HTTP path (`Net.request`, node:https with the run's
 * keep-alive Agents), so proxy, extra CA, timeouts, retries and the run deadline apply to
 * sign-in exactly as to every other request, and nock can serve sign-in in unit tests.
 */
export function netNetworkClient(net: Net, wire: WireLog, signal: AbortSignal): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    const rec = wire.record(options?.correlationId);
    try {
      const res = await net.request<unknown>({
        method,
        url,
        ...(options?.headers ? { headers: options.headers } : {}),
        ...(options?.body !== undefined ? { body: options.body } : {}),
        ...(timeout ? { timeoutMs: timeout } : {}),
        signal,
      });
      if (res.headers.date) {
        rec.serverDate = res.headers.date;
        rec.receivedAt = Date.now();
      }
      const id = res.headers['x-ms-request-id'] ?? res.requestId;
      if (id && !rec.requestIds.includes(id)) rec.requestIds.push(id);
      rec.lastStatus = res.status;
      if (res.status >= 300) rec.lastErrorBody = res.body;
      // msal reads `body.x` unguarded; an empty answer must still be an object.
      const body = (res.body ?? {}) as T;
      return { status: res.status, headers: res.headers, body };
    } catch (err) {
      if (err instanceof FactError) rec.transportError = err;
      throw err;
    }
  }
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>('GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}
