import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

/** A minimal HTTP CONNECT proxy on loopback that counts the tunnels it opens, per target. */
async function countingProxy(): Promise<{ url: string; tunnels: Map<string, number>; close(): Promise<void> }> {
  const tunnels = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.set(target, (tunnels.get(target) ?? 0) + 1);
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('sign-in traffic honours HTTPS_PROXY', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('token requests (and Graph reads) go through the configured CONNECT proxy', async () => {
    const sim = await startSimulator({ scenario: 'healthy' });
    cleanups.push(() => sim.stop());
    const proxy = await countingProxy();
    cleanups.push(() => proxy.close());
    const loginTarget = new URL(sim.urls.login).host;
    const graphTarget = new URL(sim.urls.graph).host;

    const { report } = await doctorJson(sim, ['--only', 'entra.token,entra.implicit-grant'], { HTTPS_PROXY: proxy.url }, { cli: true });
    expect(resultOf(report, 'entra.token').status).toBe('pass');
    expect(resultOf(report, 'entra.implicit-grant').status).toBe('pass');
    expect(proxy.tunnels.get(loginTarget) ?? 0).toBeGreaterThan(0);
    expect(proxy.tunnels.get(graphTarget) ?? 0).toBeGreaterThan(0);
  });

  it('NO_PROXY exempts the login host: no tunnel, still a token', async () => {
    const sim = await startSimulator({ scenario: 'healthy' });
    cleanups.push(() => sim.stop());
    const proxy = await countingProxy();
    cleanups.push(() => proxy.close());
    const { report } = await doctorJson(sim, ['--only', 'entra.token'], { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, { cli: true });
    expect(resultOf(report, 'entra.token').status).toBe('pass');
    expect([...proxy.tunnels.values()].reduce((a, b) => a + b, 0)).toBe(0);
  });
});
