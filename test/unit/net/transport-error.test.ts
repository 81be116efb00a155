import { describe, expect, it } from 'vitest';
import { SocketOpenError } from '../../../src/net/connect-tunnel.js';
import { TRANSPORT_CODES } from '../../../src/net/https-transport.js';
import { transportError } from '../../../src/net/transport-error.js';

const URL_ = 'https://graph.microsoft.com/v1.0/users?$filter=secret';
const PROXY = 'http://user:pw@proxy.corp.test:3128';
const coded = (code: string, message = `${code} happened`) => Object.assign(new Error(message), { code });

describe('transportError: Node socket and TLS failures', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused', /HTTPS_PROXY/],
    ['ENOTFOUND', 'DNS lookup failed (ENOTFOUND)', /Check DNS/],
    ['EAI_AGAIN', 'DNS lookup failed (EAI_AGAIN)', /Check DNS/],
    ['ECONNRESET', 'connection reset', /^$/],
    ['EPROTO', 'TLS handshake failed (EPROTO)', /^$/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)', /--ca-file/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)', /--ca-file/],
    ['CERT_HAS_EXPIRED', 'TLS certificate not trusted (CERT_HAS_EXPIRED)', /--ca-file/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS certificate not valid for this host name (ERR_TLS_CERT_ALTNAME_INVALID)', /--ca-file/],
  ])('%s is NETWORK naming the target: %s', (code, words, hint) => {
    const e = transportError(coded(code), URL_, 15_000, 10_000);
    expect(e.code).toBe('NETWORK');
    expect(e.message).toBe(`Could not reach graph.microsoft.com: ${words}.`);
    expect(e.details ?? '').toMatch(hint);
    expect(e.evidence).toMatchObject({ url: 'https://graph.microsoft.com/v1.0/users', cause: code });
  });

  it('a failure on the target behind a working tunnel names the target, not the proxy', () => {
    expect(transportError(coded('ECONNRESET'), URL_, 15_000, 10_000, PROXY).message).toBe('Could not reach graph.microsoft.com: connection reset.');
  });

  it('connect timeout, answer timeout and the run deadline are TIMEOUT, each with its own words', () => {
    expect(transportError(coded(TRANSPORT_CODES.connectTimeout), URL_, 15_000, 10_000).message).toBe('Could not connect to graph.microsoft.com within 10 s.');
    expect(transportError(coded(TRANSPORT_CODES.answerTimeout), URL_, 15_000, 10_000).message).toBe('No answer from graph.microsoft.com within 15 s.');
    expect(transportError(coded('ETIMEDOUT'), URL_, 15_000, 10_000).code).toBe('TIMEOUT');
    const aborted = transportError(coded(TRANSPORT_CODES.aborted), URL_, 15_000, 10_000);
    expect([aborted.code, aborted.message]).toEqual(['TIMEOUT', 'The run deadline passed before graph.microsoft.com answered.']);
  });

  it('a body over the cap is UNEXPECTED_RESPONSE naming the host and the cap', () => {
    const e = transportError(Object.assign(coded(TRANSPORT_CODES.bodyTooLarge), { limitBytes: 32 * 1024 * 1024 }), URL_, 15_000);
    expect([e.code, e.message]).toEqual(['UNEXPECTED_RESPONSE', 'graph.microsoft.com sent a body larger than the 32 MB this tool reads.']);
  });
});

describe('transportError: the CONNECT tunnel', () => {
  const proxyName = 'the proxy http://***@proxy.corp.test:3128 (HTTPS_PROXY, for graph.microsoft.com)';

  it('a proxy that cannot be reached is named as the proxy, without its password', () => {
    const refused = transportError(new SocketOpenError('proxy', 'ECONNREFUSED', 'connection to the proxy refused'), URL_, 15_000, 10_000, PROXY);
    expect(refused.message).toBe(`Could not reach ${proxyName}: connection refused.`);
    const dns = transportError(new SocketOpenError('proxy', 'ENOTFOUND', 'DNS lookup for the proxy failed'), URL_, 15_000, 10_000, PROXY);
    expect(dns.message).toBe(`Could not reach ${proxyName}: DNS lookup failed (ENOTFOUND).`);
    const slow = transportError(new SocketOpenError('proxy', 'TIMEOUT', 'no connection'), URL_, 15_000, 10_000, PROXY);
    expect([slow.code, slow.message]).toEqual(['TIMEOUT', `Could not connect to ${proxyName} within 10 s.`]);
    expect(JSON.stringify([refused, dns, slow].map((e) => [e.message, e.evidence]))).not.toContain('pw');
  });

  it("a proxy's refusal of CONNECT is told in the tunnel's words", () => {
    const e = transportError(new SocketOpenError('proxy', 'HTTP_403', 'the proxy http://proxy.corp.test:3128 refused CONNECT graph.microsoft.com:443: 403 Forbidden'), URL_, 15_000, 10_000, PROXY);
    expect(e.code).toBe('NETWORK');
    expect(e.message).toBe('Could not reach graph.microsoft.com: the proxy http://proxy.corp.test:3128 refused CONNECT graph.microsoft.com:443: 403 Forbidden.');
  });
});
