import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNet } from '../../../src/net/create-net.js';
import { generateTlsMaterial, type TlsMaterial } from '../../../src/simulator/certs.js';
import { startConnectProxy, type CountingProxy } from '../../integration/smtp/connect-proxy.js';
import { caught } from '../collect/identity/ctx.js';

/**
 * The transport itself (src/net/https-transport.ts) against loopback servers: connection reuse,
 * the CONNECT tunnel, timeouts, abort, body cap and compressed bodies. nock is switched off in
 * this file: it wraps every request in an Agent of its own (one connection per request, no
 * asynchronous connect), which would hide exactly what is tested here. Every server is on
 * 127.0.0.1, so nothing can reach a network.
 */

interface Loopback {
  url: string;
  /** TCP connections the server accepted. */
  connections: number;
  /** Headers of the requests it received. */
  seen: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function serve(handler: http.RequestListener, tlsMaterial?: TlsMaterial): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const server = tlsMaterial ? https.createServer({ cert: tlsMaterial.cert, key: tlsMaterial.key }) : http.createServer();
  const lb: Loopback = { url: '', connections: 0, seen: [], close: () => Promise.resolve() };
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    lb.seen.push(req.headers);
    handler(req, res);
  });
  // 'connection' is the TCP accept for both (for https, before the TLS handshake).
  server.on('connection', (s: Socket) => {
    lb.connections++;
    sockets.add(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  lb.url = `${tlsMaterial ? 'https' : 'http'}://127.0.0.1:${port}`;
  lb.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return lb;
}

/** Accepts TCP and never says anything (no HTTP answer, no TLS handshake). */
async function silent(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function freedPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const json = (body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

const cleanups: (() => Promise<void> | void)[] = [];
const PROXY_VARS = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'ALL_PROXY', 'all_proxy', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_http_proxy'];
const savedEnv = new Map(PROXY_VARS.map((k) => [k, process.env[k]]));
let material: TlsMaterial;

beforeAll(async () => {
  nock.restore();
  for (const k of PROXY_VARS) delete process.env[k];
  material = await generateTlsMaterial('wxmail transport test');
});
afterAll(() => {
  nock.activate();
  for (const [k, v] of savedEnv) if (v !== undefined) process.env[k] = v;
});
afterEach(async () => {
  for (const k of PROXY_VARS) delete process.env[k];
  while (cleanups.length) await cleanups.pop()!();
});

function netFor(opts: Parameters<typeof createNet>[1] = {}, extraCaPems: string[] = []) {
  const n = createNet({ extraCaPems }, opts);
  cleanups.push(() => n.close());
  return n;
}

describe('https transport: connections', () => {
  it('reuses one kept-alive connection for sequential requests (http and https)', async () => {
    const plain = await serve(json({ ok: 1 }));
    const secure = await serve(json({ ok: 2 }), material);
    cleanups.push(() => plain.close(), () => secure.close());
    const n = netFor({}, [material.cert]);
    for (let i = 0; i < 3; i++) {
      expect((await n.request<{ ok: number }>({ method: 'GET', url: `${plain.url}/a${i}` })).body.ok).toBe(1);
      expect((await n.request<{ ok: number }>({ method: 'GET', url: `${secure.url}/a${i}` })).body.ok).toBe(2);
    }
    expect(plain.connections).toBe(1);
    expect(secure.connections).toBe(1);
    // identity bodies only: nothing asks for compression
    expect(plain.seen.map((h) => h['accept-encoding'])).toEqual([undefined, undefined, undefined]);
  });

  it('sends a request again on a new connection when the kept-alive one was closed by the server', async () => {
    // The second request on every connection meets a closed socket, as when a server drops an
    // idle keep-alive connection just as it is reused.
    const perSocket = new WeakMap<Socket, number>();
    const lb = await serve((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n > 1) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n }));
    });
    cleanups.push(() => lb.close());
    const n = netFor();
    expect((await n.request<{ n: number }>({ method: 'GET', url: `${lb.url}/1` })).body.n).toBe(1);
    expect((await n.request<{ n: number }>({ method: 'POST', url: `${lb.url}/2`, body: { a: 1 } })).body.n).toBe(1);
    expect(lb.connections).toBe(2);
  });

  it('trusts an extra CA through the shared context, and refuses the same server without it', async () => {
    const secure = await serve(json({ ok: true }), material);
    cleanups.push(() => secure.close());
    expect((await netFor({}, [material.cert]).request<{ ok: boolean }>({ method: 'GET', url: `${secure.url}/x` })).body.ok).toBe(true);
    const e = await caught(netFor().request({ method: 'GET', url: `${secure.url}/x` }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/^Could not reach 127\.0\.0\.1:\d+: TLS certificate not trusted \(/);
    expect(e.details).toMatch(/--ca-file/);
  });

  it('never follows a redirect: the 302 is the answer', async () => {
    const lb = await serve((_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end());
    cleanups.push(() => lb.close());
    const res = await netFor().request({ method: 'GET', url: `${lb.url}/authorize`, expect: 'text' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://127.0.0.1:1/elsewhere');
  });

  it('joins repeated response headers with ", " under lower-case names', async () => {
    const lb = await serve((_req, res) => {
      res.setHeader('X-Thing', ['a', 'b']);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    cleanups.push(() => lb.close());
    const res = await netFor().request({ method: 'GET', url: `${lb.url}/h` });
    expect(res.headers['x-thing']).toBe('a, b');
    expect(res.headers['content-type']).toBe('application/json');
  });
});

describe('https transport: proxy', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startConnectProxy();
  });
  afterAll(() => proxy.close());

  it('tunnels through HTTPS_PROXY with CONNECT (TLS to the target inside), once for kept-alive requests', async () => {
    const secure = await serve(json({ via: 'tunnel' }), material);
    cleanups.push(() => secure.close());
    process.env.HTTPS_PROXY = proxy.url;
    const before = proxy.tunnels.length;
    const n = netFor({}, [material.cert]);
    expect((await n.request<{ via: string }>({ method: 'GET', url: `${secure.url}/1` })).body.via).toBe('tunnel');
    expect((await n.request<{ via: string }>({ method: 'GET', url: `${secure.url}/2` })).body.via).toBe('tunnel');
    const port = new URL(secure.url).port;
    expect(proxy.tunnels.slice(before).map((t) => t.target)).toEqual([`127.0.0.1:${port}`]);
    expect(secure.connections).toBe(1);
  });

  it('tunnels http: targets through HTTP_PROXY; NO_PROXY bypasses the proxy', async () => {
    const plain = await serve(json({ ok: true }));
    cleanups.push(() => plain.close());
    process.env.HTTP_PROXY = proxy.url;
    const before = proxy.tunnels.length;
    await netFor().request({ method: 'GET', url: `${plain.url}/via-proxy` });
    expect(proxy.tunnels.length - before).toBe(1);

    process.env.NO_PROXY = '127.0.0.1';
    const res = await netFor().request<{ ok: boolean }>({ method: 'GET', url: `${plain.url}/direct` });
    expect(res.body.ok).toBe(true);
    expect(proxy.tunnels.length - before).toBe(1);
  });

  it('a refused proxy is named as the proxy, not the target', async () => {
    const port = await freedPort();
    process.env.HTTPS_PROXY = `http://user:secret@127.0.0.1:${port}`;
    const e = await caught(netFor().request({ method: 'GET', url: 'https://graph.microsoft.test/v1.0/x' }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toBe(`Could not reach the proxy http://***@127.0.0.1:${port} (HTTPS_PROXY, for graph.microsoft.test): connection refused.`);
    expect(e.message).not.toContain('secret');
  });

  it('a proxy that refuses CONNECT (407) says so in its own words', async () => {
    const strict = await startConnectProxy({ requireAuth: 'Basic Zm9vOmJhcg==' });
    cleanups.push(() => strict.close());
    process.env.HTTPS_PROXY = strict.url;
    const e = await caught(netFor().request({ method: 'GET', url: 'https://graph.microsoft.test/v1.0/x' }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/requires authentication \(407/);
    expect(strict.tunnels).toHaveLength(0);
  });
});

describe('https transport: timeouts and abort', () => {
  it('a server that accepts TCP but never completes TLS is a connect timeout', async () => {
    const s = await silent();
    cleanups.push(() => s.close());
    const n = netFor({ timeoutMs: 1_000 });
    // The answer timeout (30 s) is far away: only the connect timeout (1 s) can end this.
    const e = await caught(n.request({ method: 'GET', url: `https://127.0.0.1:${s.port}/x`, timeoutMs: 30_000 }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe(`Could not connect to 127.0.0.1:${s.port} within 1 s.`);
  });

  it('a server that accepts and never answers is an answer timeout', async () => {
    const s = await silent();
    cleanups.push(() => s.close());
    const n = netFor({ timeoutMs: 30_000 });
    const e = await caught(n.request({ method: 'GET', url: `http://127.0.0.1:${s.port}/x`, timeoutMs: 1_000 }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe(`No answer from 127.0.0.1:${s.port} within 1 s.`);
  });

  it('the run signal and the request signal abort a waiting request', async () => {
    const s = await silent();
    cleanups.push(() => s.close());
    const run = new AbortController();
    const n = netFor({ timeoutMs: 60_000, signal: run.signal });
    const p = caught(n.request({ method: 'GET', url: `http://127.0.0.1:${s.port}/run` }));
    setTimeout(() => run.abort(), 200);
    const e = await p;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe(`The run deadline passed before 127.0.0.1:${s.port} answered.`);

    const mine = new AbortController();
    const q = caught(netFor({ timeoutMs: 60_000 }).request({ method: 'GET', url: `http://127.0.0.1:${s.port}/req`, signal: mine.signal }));
    setTimeout(() => mine.abort(), 200);
    expect((await q).code).toBe('TIMEOUT');

    // Already aborted: no request leaves.
    const gone = new AbortController();
    gone.abort();
    expect((await caught(netFor().request({ method: 'GET', url: `http://127.0.0.1:${s.port}/late`, signal: gone.signal }))).code).toBe('TIMEOUT');
  });

  it('connection refused is NETWORK naming the target', async () => {
    const port = await freedPort();
    const e = await caught(netFor().request({ method: 'GET', url: `http://127.0.0.1:${port}/x` }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toBe(`Could not reach 127.0.0.1:${port}: connection refused.`);
  });
});

describe('https transport: bodies', () => {
  it('a body over the cap is UNEXPECTED_RESPONSE naming the host, plain or compressed', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(8_000) });
    const lb = await serve((req, res) => {
      if (req.url === '/gz') res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(big));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(big);
    });
    cleanups.push(() => lb.close());
    const n = netFor({ maxBodyBytes: 4_096 });
    for (const path of ['/plain', '/gz']) {
      const e = await caught(n.request({ method: 'GET', url: `${lb.url}${path}` }));
      expect(e.code).toBe('UNEXPECTED_RESPONSE');
      expect(e.message).toBe(`${new URL(lb.url).host} sent a body larger than the 4 KB this tool reads.`);
    }
    // Under the cap, the same body is read.
    expect((await netFor().request<{ pad: string }>({ method: 'GET', url: `${lb.url}/gz` })).body.pad).toHaveLength(8_000);
  });

  it('a gzip or deflate body sent anyway is decompressed; a UTF-8 BOM is dropped', async () => {
    const { deflateSync } = await import('node:zlib');
    const lb = await serve((req, res) => {
      const body = JSON.stringify({ where: req.url });
      if (req.url === '/gz') res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(body));
      else if (req.url === '/deflate') res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' }).end(deflateSync(body));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(`\uFEFF${body}`);
    });
    cleanups.push(() => lb.close());
    const n = netFor();
    for (const path of ['/gz', '/deflate', '/bom']) {
      expect((await n.request<{ where: string }>({ method: 'GET', url: `${lb.url}${path}` })).body).toEqual({ where: path });
    }
  });

  it('sends the body encoded with its content type and length', async () => {
    const got: { type?: string; length?: string; body: string }[] = [];
    const lb = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ type: req.headers['content-type'], length: req.headers['content-length'], body });
        res.writeHead(204).end();
      });
    });
    cleanups.push(() => lb.close());
    const n = netFor();
    await n.request({ method: 'POST', url: `${lb.url}/form`, body: new URLSearchParams({ a: 'é' }) });
    await n.request({ method: 'PATCH', url: `${lb.url}/json`, body: { b: 'ü' }, headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(got).toEqual([
      { type: 'application/x-www-form-urlencoded', length: '8', body: 'a=%C3%A9' },
      { type: 'application/merge-patch+json', length: '10', body: '{"b":"ü"}' },
    ]);
  });
});
