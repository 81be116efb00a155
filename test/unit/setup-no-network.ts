import nock from 'nock';

/**
 * Every unit test runs with nock's net-connect guard (issue 10, item 16): an HTTP request that no
 * nock interceptor answers fails with NetConnectNotAllowedError instead of reaching a network.
 * nock sees Node's global fetch — the project's one HTTP path (src/net/create-net.ts) — and
 * node:http(s); it cannot see undici.request (libraries.md §5b).
 *
 * Allowed through: loopback (unit tests that start a server on 127.0.0.1) and names under the
 * special-use TLDs of RFC 6761 (.test, .invalid, .localhost, .example), which never resolve on a
 * real network; unit tests that serve such a name from an undici MockAgent keep working, since the
 * request then reaches the MockAgent dispatcher it carries.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const SPECIAL_USE = /\.(?:test|invalid|localhost|example)$/;

export function isOfflineHost(hostWithPort: string): boolean {
  const host = hostWithPort.replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK.has(host) || SPECIAL_USE.test(host);
}

nock.disableNetConnect();
nock.enableNetConnect(isOfflineHost);
