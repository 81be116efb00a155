import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { probeSmtpEndpoint } from '../../../src/collect/smtp/connect-probe.js';
import { startMail, type MailSim } from './harness.js';

let sim: MailSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('probeSmtpEndpoint against the simulated smtp.office365.com', () => {
  it('walks banner, EHLO, STARTTLS, TLS, EHLO and finds AUTH XOAUTH2', async () => {
    sim = await startMail('healthy');
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: sim.net, budgetMs: 5000 });
    expect(p.failure).toBeNull();
    expect(p.banner).toMatch(/^220 .*Microsoft ESMTP MAIL Service ready/);
    expect(p.capabilities.map((c) => c.toUpperCase())).toContain('STARTTLS');
    expect(p.authMechanisms).toContain('XOAUTH2');
    expect(p.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(p.transcript.some((l) => l.startsWith('C: STARTTLS'))).toBe(true);
  });

  it('stops at stage tls when the certificate is not trusted', async () => {
    sim = await startMail('healthy');
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: { ...sim.net, tlsCa: undefined }, budgetMs: 5000 });
    expect(p.failure).toMatchObject({ stage: 'tls', swaksCode: 29 });
    expect(p.failure?.cause).toMatch(/not trusted/);
  });

  it('ends a hanging server at stage banner within its budget', async () => {
    sim = await startMail('healthy', [{ service: 'smtp', path: 'CONNECT', kind: 'hang' }]);
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: sim.net, budgetMs: 800 });
    expect(p.failure).toMatchObject({ stage: 'banner', swaksCode: 21, errorCode: 'TIMEOUT' });
  });

  it('ends at the run deadline when it comes first', async () => {
    sim = await startMail('healthy', [{ service: 'smtp', path: 'CONNECT', kind: 'hang' }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: sim.net, budgetMs: 60_000, signal: ac.signal });
    expect(p.failure).toMatchObject({ stage: 'banner', errorCode: 'ABORTED' });
  });

  it('names a connection reset before the banner', async () => {
    sim = await startMail('healthy', [{ service: 'smtp', path: 'CONNECT', kind: 'reset' }]);
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: sim.net, budgetMs: 5000 });
    // The RST can beat or follow the client's 'connect' event: either stage is right, the cause is the reset.
    expect(['tcp', 'banner']).toContain(p.failure?.stage);
    expect(p.failure?.cause).toMatch(/reset|closed/);
  });
});

describe('probeSmtpEndpoint: other stages', () => {
  it('reports a refused port at stage tcp', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port, net: { proxyFor: () => null, tlsCa: undefined }, budgetMs: 5000 });
    expect(p.failure).toMatchObject({ stage: 'tcp', swaksCode: 2, errorCode: 'ECONNREFUSED' });
  });

  it('reports a name that does not resolve at stage dns', async () => {
    const p = await probeSmtpEndpoint({ host: 'smtp.wxmail-test.invalid', port: 587, net: { proxyFor: () => null, tlsCa: undefined }, budgetMs: 5000 });
    expect(p.failure?.stage).toBe('dns');
  });

  it('reports a server without STARTTLS, and one without XOAUTH2', async () => {
    const sim2 = await startMail('healthy');
    const { cert, key } = sim2.ctx.tls;
    await sim2.stop();
    const cases: [SMTPServerOptions, string][] = [
      [{ disabledCommands: ['STARTTLS'], authOptional: true }, 'starttls'],
      [{ authMethods: ['LOGIN', 'PLAIN'], key, cert }, 'auth-mechanisms'],
    ];
    for (const [opts, stage] of cases) {
      const server = new SMTPServer({ logger: false, ...opts });
      server.on('error', () => undefined);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.server.address() as net.AddressInfo).port;
      try {
        const p = await probeSmtpEndpoint({ host: '127.0.0.1', port, net: { proxyFor: () => null, tlsCa: [cert] }, budgetMs: 5000 });
        expect(p.failure?.stage).toBe(stage);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });
});
