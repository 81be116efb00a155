import { createServer, connect, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTlsMaterial, type TlsMaterial } from '../../../src/simulator/certs.js';
import { tlsTrustOptions, trustedCas } from '../../../src/net/tls-trust.js';

/** A loopback TLS server presenting its own self-signed certificate. */
async function serve(material: TlsMaterial): Promise<{ server: Server; port: number }> {
  const server = createServer({ key: material.key, cert: material.cert }, (s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The handshake's outcome: 'ok' or the certificate error code. */
function handshake(port: number, options: ReturnType<typeof tlsTrustOptions>): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
      socket.destroy();
      resolve('ok');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('TLS trust: extra CAs are added to the public roots (issue 9: without re-parsing them)', () => {
  let trusted: TlsMaterial;
  let other: TlsMaterial;
  const servers: Server[] = [];
  beforeAll(async () => {
    [trusted, other] = await Promise.all([generateTlsMaterial('wxmail trust test'), generateTlsMaterial('wxmail untrusted test')]);
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it('a server whose CA was added is trusted; one whose CA was not is refused', async () => {
    const a = await serve(trusted);
    const b = await serve(other);
    servers.push(a.server, b.server);
    const ca = trustedCas([trusted.cert])!;
    expect(ca.length).toBeGreaterThan(100);
    const options = tlsTrustOptions(ca);
    expect(await handshake(a.port, options)).toBe('ok');
    expect(await handshake(b.port, options)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    // Without the extra CA the same server is refused: the trust came from the added CA.
    expect(await handshake(a.port, tlsTrustOptions(undefined))).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('one shared context per CA list; a list of its own (not from trustedCas) still works through `ca`', async () => {
    const ca = trustedCas([trusted.cert])!;
    expect(tlsTrustOptions(ca).secureContext).toBe(tlsTrustOptions(ca).secureContext);
    const a = await serve(trusted);
    servers.push(a.server);
    expect(await handshake(a.port, tlsTrustOptions([trusted.cert]))).toBe('ok');
  });
});
