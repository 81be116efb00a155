import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';
import { startConnectProxy, type CountingProxy } from '../integration/smtp/connect-proxy.js';

// SMTP and IMAP go through an HTTP CONNECT proxy when HTTPS_PROXY applies to their host, and not when NO_PROXY exempts it.

let sim: RunningSimulator | undefined;
let proxy: CountingProxy | undefined;
afterEach(async () => {
  await sim?.stop();
  await proxy?.close();
  sim = undefined;
  proxy = undefined;
});

const toPort = (p: CountingProxy, port: number) => p.tunnels.filter((t) => t.target === `127.0.0.1:${port}`).length;

describe('wxmail doctor behind an HTTP CONNECT proxy', () => {
  it('tunnels smtp.connect through HTTPS_PROXY', async () => {
    sim = await startSimulator({ scenario: 'healthy' });
    proxy = await startConnectProxy();
    const r = await doctorJson(sim, ['--only', 'smtp.connect'], { HTTPS_PROXY: proxy.url }, { cli: true });
    const connect = resultOf(r.report, 'smtp.connect');
    expect(connect.status).toBe('pass');
    expect(connect.evidence).toMatchObject({ via: 'proxy', proxy: proxy.url });
    expect(toPort(proxy, sim.smtp.port)).toBe(1);
  });

  it('goes direct when NO_PROXY names the host', async () => {
    sim = await startSimulator({ scenario: 'healthy' });
    proxy = await startConnectProxy();
    const r = await doctorJson(sim, ['--only', 'smtp.connect'], { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, { cli: true });
    const connect = resultOf(r.report, 'smtp.connect');
    expect(connect.status).toBe('pass');
    expect(connect.evidence).toMatchObject({ via: 'direct' });
    expect(proxy.tunnels).toHaveLength(0);
  });

  it('tunnels the SMTP login, the probe and the IMAP round trip too, with Proxy-Authorization from the URL', async () => {
    sim = await startSimulator({ scenario: 'healthy-app-smtp' });
    proxy = await startConnectProxy({ requireAuth: `Basic ${Buffer.from('wx:s3cret').toString('base64')}` });
    const url = proxy.url.replace('http://', 'http://wx:s3cret@');
    const r = await doctorJson(sim, ['--send-test', '--roundtrip-timeout', '4', '--only', 'smtp.*', '--only', 'mailflow.*'], { HTTPS_PROXY: url }, { cli: true });
    for (const id of ['smtp.connect', 'smtp.auth', 'smtp.send', 'mailflow.roundtrip']) expect(resultOf(r.report, id).status, id).toBe('pass');
    expect(toPort(proxy, sim.smtp.port)).toBe(2); // the connect probe + one login for auth and send
    expect(toPort(proxy, sim.imap.port)).toBe(1);
    expect(r.stdout + r.stderr).not.toContain('s3cret');
  });
});
