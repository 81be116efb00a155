import nock from 'nock';

/**
 * Every unit test runs with nock's net-connect guard (issue 10, item 16): an HTTP request that no
 * nock interceptor answers fails with NetConnectNotAllowedError instead of reaching a network.
 * nock sees node:http(s) — the project's one HTTP path (src/net/create-net.ts) — and Node's
 * global fetch; it cannot see undici.request (libraries.md §5b). Unit tests answer with nock
 * (test/unit/mock-origins.ts), so they run the production Net.
 *
 * Allowed through: loopback (unit tests that start a server on 127.0.0.1) and names under the
 * special-use TLDs of RFC 6761 (.test, .invalid, .localhost, .example), which never resolve on a
 * real network: a request to such a name that no interceptor answers fails (no match, or DNS).
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const SPECIAL_USE = /\.(?:test|invalid|localhost|example)$/;

export function isOfflineHost(hostWithPort: string): boolean {
  const host = hostWithPort.replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK.has(host) || SPECIAL_USE.test(host);
}

nock.disableNetConnect();
nock.enableNetConnect(isOfflineHost);
