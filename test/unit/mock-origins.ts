import nock from 'nock';
import { afterEach } from 'vitest';

/**
 * Canned answers per origin for unit tests, on nock: the production Net (node:https) sends the
 * request and nock answers it, so these tests run the same HTTP path as a real run.
 *
 * The shape is the one the collector tests were written against (undici's MockAgent:
 * `origins.get(origin).intercept({ path, method }).reply(…)`), so their bodies and assertions
 * did not change when the Net left undici. Differences from MockAgent that matter:
 * - a string `path` must equal the request's path and query exactly; a function gets them both;
 * - interceptors are process-wide in nock: every test's leftovers are removed after it.
 */

type PathMatcher = string | ((path: string) => boolean);

export interface InterceptedRequest {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface DynamicReply {
  statusCode: number;
  data?: string | Record<string, unknown> | unknown[];
  responseOptions?: { headers?: Record<string, string> };
}

type ReplyBody = string | Record<string, unknown> | unknown[] | null | undefined;

export interface Interception {
  /** Answer `n` matching requests in all (the first included). */
  times(n: number): Interception;
}

export interface OriginMock {
  intercept(match: { path: PathMatcher; method: string }): {
    reply(status: number, body?: ReplyBody, options?: { headers?: Record<string, string> }): Interception;
    reply(answer: (req: InterceptedRequest) => DynamicReply): Interception;
  };
}

export interface MockOrigins {
  get(origin: string): OriginMock;
  /** Throws naming every interceptor no request reached. */
  assertNoPendingInterceptors(): void;
}

afterEach(() => {
  nock.cleanAll();
});

export function mockOrigins(): MockOrigins {
  const scopes: nock.Scope[] = [];
  return {
    get(origin: string): OriginMock {
      return {
        intercept({ path, method }) {
          const matches = typeof path === 'string' ? (p: string) => p === path : path;
          return {
            reply(statusOrAnswer: number | ((req: InterceptedRequest) => DynamicReply), body?: ReplyBody, options?: { headers?: Record<string, string> }): Interception {
              const register = (): void => {
                const scope = nock(origin).intercept(matches, method.toUpperCase());
                scopes.push(
                  typeof statusOrAnswer === 'number'
                    ? scope.reply(statusOrAnswer, encode(body), options?.headers ?? {})
                    : scope.reply(function (this: { req: { headers: Record<string, string>; method: string } }, uri: string, requestBody: unknown) {
                        const r = statusOrAnswer({ path: uri, method: this.req.method, headers: this.req.headers, body: requestBody === undefined || requestBody === '' ? undefined : typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody) });
                        return [r.statusCode, encode(r.data), r.responseOptions?.headers ?? {}];
                      }),
                );
              };
              register();
              const interception: Interception = {
                times(n: number) {
                  for (let i = 1; i < n; i++) register();
                  return interception;
                },
              };
              return interception;
            },
          };
        },
      };
    },
    assertNoPendingInterceptors(): void {
      const pending = scopes.flatMap((s) => s.pendingMocks());
      if (pending.length > 0) throw new Error(`interceptors never reached:\n${pending.join('\n')}`);
    },
  };
}

/** As MockAgent did: an object is sent as JSON text, and no content type is added for it. */
function encode(body: ReplyBody): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}
