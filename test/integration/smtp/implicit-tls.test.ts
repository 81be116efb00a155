import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpSession } from '../../../src/collect/smtp/session.js';
import { Transcript } from '../../../src/collect/smtp/transcript.js';
import { trustedCas } from '../../../src/net/tls-trust.js';
import { generateTlsMaterial } from '../../../src/simulator/certs.js';

/** An outside provider's submission endpoint with TLS from the first byte (port 465 style). */
async function implicitTlsServer(): Promise<{ server: SMTPServer; port: number; ca: string; logins: string[] }> {
  const tls = await generateTlsMaterial('wxmail implicit tls test');
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: true,
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (auth, session, cb) => {
      logins.push(`${auth.username} tls=${session.secure}`);
      cb(null, { user: auth.username });
    },
    logger: false,
  });
  // The plain-text client below gives up mid-handshake: the server reports that, as it should.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, ca: tls.cert, logins };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('the external sender on an implicit-TLS port', () => {
  it('implicitTls: TLS before the greeting, then AUTH; STARTTLS against the same port never gets a greeting', async () => {
    const s = await implicitTlsServer();
    stop = () => new Promise((resolve) => s.server.close(() => resolve()));
    const net = { proxyFor: () => null, tlsCa: trustedCas([s.ca]) };
    const base = { host: '127.0.0.1', port: s.port, net, user: 'wxmail-test@example.net', password: 'not-a-real-password' };
    const t = new Transcript();
    const ok = await SmtpSession.login({ ...base, budgetMs: 10_000, transcript: t, implicitTls: true });
    ok.session?.close();
    expect(ok.attempt).toMatchObject({ ok: true });
    expect(s.logins).toEqual(['wxmail-test@example.net tls=true']);
    expect(t.lines().join('\n')).not.toContain('not-a-real-password');
    // The STARTTLS dialogue waits for a plain-text greeting a TLS port never sends: it fails, within its budget.
    const plain = await SmtpSession.login({ ...base, budgetMs: 1_500 });
    expect(plain.attempt.ok).toBe(false);
    expect(s.logins).toHaveLength(1);
  });
});
