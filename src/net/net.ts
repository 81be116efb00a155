/** One HTTP request through the run's Net. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as is; an object is sent as JSON; URLSearchParams as a form. */
  body?: string | URLSearchParams | Record<string, unknown>;
  /** Per-request timeout (headers + body), ms. Default: the Net's. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Retry 429/503/504 honouring Retry-After within the budget. Default true. */
  retry?: boolean;
  /** Parse the body as JSON (default) or return text. */
  expect?: 'json' | 'text';
}

export interface HttpResponse<T> {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: T;
  /** Microsoft request / correlation id when the response carries one. */
  requestId?: string;
}

/**
 * The one way the tool talks HTTP(S). Non-2xx responses are returned, not thrown, so collectors
 * can read Microsoft's error bodies; transport faults throw FactError with code NETWORK or
 * TIMEOUT, a retry budget spent throws THROTTLED, and a body that is not the JSON expected throws
 * UNEXPECTED_RESPONSE naming the status and content type.
 */
export interface Net {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
  /** Closes the kept-alive connections; the run calls it once all requests are done. */
  close(): Promise<void>;
  /** CA list for raw TLS sockets (SMTP, IMAP): Node's roots plus the extra CAs, or undefined. */
  tlsCa: string[] | undefined;
  /** The HTTP CONNECT proxy to use for a host (HTTPS_PROXY / NO_PROXY), or null for direct. */
  proxyFor(host: string, port: number): URL | null;
}
