import { afterEach, describe, expect, it } from 'vitest';
import { openImapSession } from '../../../src/collect/imap/session.js';
import { probeSmtpEndpoint } from '../../../src/collect/smtp/connect-probe.js';
import { SmtpSession } from '../../../src/collect/smtp/session.js';
import { openSocket, SocketOpenError } from '../../../src/net/connect-tunnel.js';
import { createNet } from '../../../src/net/create-net.js';
import { startConnectProxy, type CountingProxy } from './connect-proxy.js';
import { appToken, startMail, type MailSim } from './harness.js';

let sim: MailSim | undefined;
let proxy: CountingProxy | undefined;
afterEach(async () => {
  await sim?.stop();
  await proxy?.close();
  sim = undefined;
  proxy = undefined;
});

describe('SMTP and IMAP through an HTTP CONNECT proxy', () => {
  it('tunnels the SMTP probe, the SMTP login and the IMAP login through the proxy', async () => {
    sim = await startMail('healthy-app-smtp');
    proxy = await startConnectProxy();
    const viaProxy = { tlsCa: sim.net.tlsCa, proxyFor: () => new URL(proxy!.url) };
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: viaProxy, budgetMs: 5000 });
    expect(p.failure).toBeNull();
    expect(p).toMatchObject({ via: 'proxy', proxy: proxy.url });
    const token = await appToken(sim.ctx);
    const { attempt, session } = await SmtpSession.login({ host: '127.0.0.1', port: sim.smtpPort, net: viaProxy, user: 'john@contoso.com', accessToken: token, budgetMs: 5000 });
    session?.close();
    expect(attempt).toMatchObject({ ok: true, via: 'proxy' });
    const imap = await openImapSession({ host: '127.0.0.1', port: sim.imapPort, net: viaProxy, user: 'john@contoso.com', accessToken: token, budgetMs: 5000 });
    expect(imap.failure).toBeNull();
    await imap.client!.logout();
    expect(proxy.tunnels.map((t) => t.target)).toEqual([`127.0.0.1:${sim.smtpPort}`, `127.0.0.1:${sim.smtpPort}`, `127.0.0.1:${sim.imapPort}`]);
  });

  it('sends Proxy-Authorization from the URL userinfo, and never shows the credentials', async () => {
    sim = await startMail('healthy');
    proxy = await startConnectProxy({ requireAuth: `Basic ${Buffer.from('alice:p@ss word').toString('base64')}` });
    const withAuth = new URL(proxy.url);
    withAuth.username = 'alice';
    withAuth.password = encodeURIComponent('p@ss word');
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: { tlsCa: sim.net.tlsCa, proxyFor: () => withAuth }, budgetMs: 5000 });
    expect(p.failure).toBeNull();
    expect(proxy.tunnels).toHaveLength(1);
    expect(JSON.stringify(p)).not.toContain('alice');
  });

  it('names the proxy stage when the proxy wants credentials it did not get', async () => {
    sim = await startMail('healthy');
    proxy = await startConnectProxy({ requireAuth: 'Basic x' });
    const p = await probeSmtpEndpoint({ host: '127.0.0.1', port: sim.smtpPort, net: { tlsCa: sim.net.tlsCa, proxyFor: () => new URL(proxy!.url) }, budgetMs: 5000 });
    expect(p.failure).toMatchObject({ stage: 'proxy', errorCode: 'HTTP_407' });
    expect(p.failure?.cause).toContain('requires authentication');
  });

  it('names the proxy stage when the proxy is down', async () => {
    proxy = await startConnectProxy();
    const url = new URL(proxy.url);
    await proxy.close();
    proxy = undefined;
    await expect(openSocket({ host: 'smtp.office365.com', port: 587, net: { tlsCa: undefined, proxyFor: () => url }, timeoutMs: 2000 })).rejects.toMatchObject({
      stage: 'proxy',
      errorCode: 'ECONNREFUSED',
    });
    await expect(openSocket({ host: 'x', port: 1, net: { tlsCa: undefined, proxyFor: () => new URL('socks5://127.0.0.1:1') }, timeoutMs: 2000 })).rejects.toBeInstanceOf(SocketOpenError);
  });
});

describe('the proxy decision (Net.proxyFor: HTTPS_PROXY, NO_PROXY)', () => {
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('uses HTTPS_PROXY for the mail hosts and bypasses it for NO_PROXY hosts', () => {
    delete process.env.https_proxy;
    delete process.env.no_proxy;
    process.env.HTTPS_PROXY = 'http://proxy.corp.example:3128';
    process.env.NO_PROXY = 'outlook.office365.com';
    const net = createNet({ extraCaPems: [] });
    expect(net.proxyFor('smtp.office365.com', 587)?.host).toBe('proxy.corp.example:3128');
    expect(net.proxyFor('outlook.office365.com', 993)).toBeNull();
  });
});
