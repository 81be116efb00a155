import { describe, expect, it } from 'vitest';
import check from '../../../../checks/smtp/connect.js';
import type { SmtpEndpointProbe } from '../../../../src/collect/smtp/connect-probe.js';
import { ctx } from './fixtures.js';

function probe(over: Partial<SmtpEndpointProbe> = {}): SmtpEndpointProbe {
  return {
    host: 'smtp.office365.com',
    port: 587,
    via: 'direct',
    proxy: null,
    failure: null,
    banner: '220 BN9PR03CA0123.outlook.office365.com Microsoft ESMTP MAIL Service ready',
    capabilities: ['BN9PR… Hello', 'SIZE 157286400', 'STARTTLS'],
    tlsCapabilities: ['SIZE 157286400', 'AUTH LOGIN XOAUTH2'],
    authMechanisms: ['LOGIN', 'XOAUTH2'],
    tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
    transcript: ['S: 220 …', 'C: EHLO [10.0.0.1]'],
    durationMs: 120,
    ...over,
  };
}

describe('smtp.connect', () => {
  it('passes when STARTTLS and AUTH XOAUTH2 are offered', async () => {
    const o = await check.run({ probe: probe() }, ctx());
    expect(o.code).toBeNull();
    expect(o.summary).toContain('AUTH XOAUTH2');
    expect(o.evidence).toMatchObject({ tls: { protocol: 'TLSv1.3' }, transcript: expect.any(Array) });
  });

  it.each([
    ['dns', 2, 'DNS lookup for smtp.office365.com:587 failed (ENOTFOUND)'],
    ['banner', 21, 'no banner (220 greeting) within 17 s'],
    ['ehlo', 22, 'no answer to EHLO'],
    ['tls', 29, "the server's TLS certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN)"],
    ['auth-mechanisms', 28, 'AUTH XOAUTH2 is not advertised after STARTTLS (offered: LOGIN)'],
  ] as const)('names stage %s as SMTP_UNREACHABLE with swaks code %d', async (stage, swaksCode, cause) => {
    const o = await check.run({ probe: probe({ failure: { stage, swaksCode, cause, reply: null, errorCode: null } }) }, ctx());
    expect(o.code).toBe('SMTP_UNREACHABLE');
    expect(o.summary).toContain(`stage "${stage}"`);
    expect(o.summary).toContain(cause);
    expect(o.evidence).toMatchObject({ stage, swaksExitCode: swaksCode, transcript: expect.any(Array) });
  });

  it('says when the path went through the proxy', async () => {
    const o = await check.run({ probe: probe({ via: 'proxy', proxy: 'http://proxy.corp:3128' }) }, ctx());
    expect(o.summary).toContain('through http://proxy.corp:3128');
  });

  it('explains every code it emits', () => {
    expect(Object.keys(check.explanations)).toEqual(['SMTP_UNREACHABLE']);
  });
});
