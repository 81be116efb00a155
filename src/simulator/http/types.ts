import type { IncomingHttpHeaders } from 'node:http';

/** A request as the simulator's handlers see it: the body is read in full before dispatch. */
export interface SimRequest {
  method: string;
  /** The decoded path without the query string, e.g. `/v1.0/applications(appId='…')`. */
  path: string;
  /** Path plus query, as received (what fault `path` regexes match). */
  rawUrl: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `https://127.0.0.1:PORT` of the listener that got the request. */
  base: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (set content-type yourself). */
  body?: unknown;
}

export type SimHandler = (req: SimRequest) => Promise<SimResponse> | SimResponse;

export function header(req: Pick<SimRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } };
}

export function readForm(req: SimRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

export function readJson(req: SimRequest): unknown {
  const text = req.body.toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
