import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createNet } from '../../../src/net/create-net.js';
import { caught } from '../../helpers/caught.js';
import { trustedCas } from '../../../src/net/tls-trust.js';
import { rootCertificates } from 'node:tls';

const ORIGIN = 'https://graph.example.test';


describe('net', () => {
  afterEach(() => {
    nock.cleanAll();
    delete process.env.HTTPS_PROXY;
    delete process.env.NO_PROXY;
  });

  it('returns non-2xx answers with their parsed body and request id', async () => {
    const scope = nock(ORIGIN).get('/v1.0/x').reply(403, { error: { code: 'Authorization_RequestDenied' } }, { 'content-type': 'application/json', 'request-id': 'r-1' });
    const net = createNet({ extraCaPems: [] });
    const res = await net.request<{ error: { code: string } }>({ method: 'GET', url: `${ORIGIN}/v1.0/x` });
    expect(res).toMatchObject({ status: 403, requestId: 'r-1', body: { error: { code: 'Authorization_RequestDenied' } } });
    expect(scope.isDone()).toBe(true);
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    const scope = nock(ORIGIN)
      .get('/a')
      .reply(429, { error: 'slow down' }, { 'retry-after': '0', 'content-type': 'application/json' })
      .get('/a')
      .reply(503, '<html>busy</html>', { 'retry-after': '0', 'content-type': 'text/html' })
      .get('/a')
      .reply(200, { ok: true }, { 'content-type': 'application/json' });
    const net = createNet({ extraCaPems: [] });
    const res = await net.request<{ ok: boolean }>({ method: 'GET', url: `${ORIGIN}/a` });
    expect(res.body.ok).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('gives up with THROTTLED when Retry-After exceeds the budget', async () => {
    nock(ORIGIN).get('/b').reply(429, {}, { 'retry-after': '300', 'request-id': 'r-9' });
    const net = createNet({ extraCaPems: [] }, { retryBudgetMs: 1_000 });
    const e = await caught(net.request({ method: 'GET', url: `${ORIGIN}/b` }));
    expect(e.code).toBe('THROTTLED');
    expect(e.evidence).toMatchObject({ status: 429, retryAfter: '300' });
    expect(e.requestIds).toEqual(['r-9']);
  });

  it('an HTML body where JSON was expected is UNEXPECTED_RESPONSE naming status and content type', async () => {
    nock(ORIGIN).get('/c').query({ secret: 'zzz' }).reply(200, '<html>proxy login</html>', { 'content-type': 'text/html; charset=utf-8' });
    const net = createNet({ extraCaPems: [] });
    const e = await caught(net.request({ method: 'GET', url: `${ORIGIN}/c?secret=zzz` }));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.message).toBe('graph.example.test answered 200 with text/html where JSON was expected.');
    expect(e.evidence.url).toBe(`${ORIGIN}/c`);
  });

  it('connection refused is NETWORK; a server that never answers is TIMEOUT', async () => {
    const net = createNet({ extraCaPems: [] }, { timeoutMs: 300 });
    // A port just freed: nothing listens there. (node:http has no "bad port" list as fetch had:
    // any port is tried.)
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await caught(net.request({ method: 'GET', url: `http://127.0.0.1:${closedPort}/x` }));
    expect(refused.code).toBe('NETWORK');
    expect(refused.message).toMatch(/connection refused/);

    const server = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const hung = await caught(net.request({ method: 'GET', url: `http://127.0.0.1:${port}/x` }));
    expect(hung.code).toBe('TIMEOUT');
    server.closeAllConnections();
    server.close();
  });

  it('extra CAs are added to the public roots, never instead of them', () => {
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    delete process.env.NODE_EXTRA_CA_CERTS;
    try {
      expect(trustedCas([])).toBeUndefined();
      const cas = trustedCas(['-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n'])!;
      expect(cas.length).toBe(rootCertificates.length + 1);
    } finally {
      if (saved !== undefined) process.env.NODE_EXTRA_CA_CERTS = saved;
    }
  });

  it('proxyFor honours HTTPS_PROXY and NO_PROXY for SMTP/IMAP hosts', () => {
    process.env.HTTPS_PROXY = 'http://proxy.local:3128';
    process.env.NO_PROXY = 'internal.contoso.com';
    const net = createNet({ extraCaPems: [] });
    expect(net.proxyFor('smtp.office365.com', 587)?.href).toBe('http://proxy.local:3128/');
    expect(net.proxyFor('internal.contoso.com', 587)).toBeNull();
  });
});
