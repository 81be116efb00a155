import { header, json, type SimRequest, type SimResponse } from '../http/types.js';
import { newGuid } from '../http/ids.js';
import type { SimContext } from '../context.js';

const ids = new WeakMap<SimRequest, { requestId: string; clientRequestId: string }>();

/** One request id per request, shared by the headers and an error body's innerError. */
export function requestIds(req: SimRequest): { requestId: string; clientRequestId: string } {
  let v = ids.get(req);
  if (!v) {
    const requestId = newGuid();
    v = { requestId, clientRequestId: header(req, 'client-request-id') ?? requestId };
    ids.set(req, v);
  }
  return v;
}

export function graphHeaders(req: SimRequest): Record<string, string> {
  const { requestId, clientRequestId } = requestIds(req);
  return { 'request-id': requestId, 'client-request-id': clientRequestId, 'x-ms-ags-diagnostic': '{"ServerInfo":{"DataCenter":"Simulated","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"SIM"}}' };
}

/** Graph's error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` [V]. */
export function graphError(req: SimRequest, status: number, code: string, message: string, now: Date, extra: Record<string, string> = {}): SimResponse {
  const { requestId, clientRequestId } = requestIds(req);
  return json(status, { error: { code, message, innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId } } }, extra);
}

export const GRAPH_ERRORS = {
  denied: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  notFound: (id: string) => ({ status: 404, code: 'Request_ResourceNotFound', message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` }),
  /** [O] Graph for a user without an Exchange Online mailbox (microsoft-graph-docs-contrib#6519). */
  noMailbox: { status: 404, code: 'MailboxNotEnabledForRESTAPI', message: 'REST API is not yet supported for this mailbox.' },
  badSegment: (seg: string) => ({ status: 400, code: 'BadRequest', message: `Resource not found for the segment '${seg}'.` }),
};

/** Graph's answer to an injected status fault: 429 TooManyRequests / 503 serviceNotAvailable. */
export function graphFaultResponse(ctx: SimContext) {
  return (status: number, req: SimRequest): SimResponse => {
    if (status === 429) return graphError(req, 429, 'TooManyRequests', 'Too many requests. Please retry after the time given in the Retry-After header.', ctx.now());
    if (status === 503) return graphError(req, 503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry after the time given in the Retry-After header.', ctx.now());
    if (status >= 500) return graphError(req, status, 'generalException', 'An unspecified error has occurred.', ctx.now());
    return graphError(req, status, 'BadRequest', 'The request could not be processed.', ctx.now());
  };
}

