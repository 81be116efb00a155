import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseSmtpReply } from '../../../src/collect/errors/smtp.js';
import { buildProbeMessage } from '../../../src/collect/smtp/probe-message.js';
import { SmtpSession } from '../../../src/collect/smtp/session.js';
import { Transcript } from '../../../src/collect/smtp/transcript.js';
import { appToken, scenario, startMail, type MailSim } from './harness.js';

const MAILBOX = 'john@contoso.com';
let sim: MailSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function login(s: MailSim, token: string, transcript = new Transcript()) {
  return SmtpSession.login({ host: '127.0.0.1', port: s.smtpPort, net: s.net, user: MAILBOX, accessToken: token, budgetMs: 5000, transcript });
}

describe('SmtpSession against the simulated Exchange Online', () => {
  it('logs in with XOAUTH2 and sends the probe on the same session', async () => {
    sim = await startMail('healthy-app-smtp');
    const token = await appToken(sim.ctx);
    const t = new Transcript();
    const { attempt, session } = await login(sim, token, t);
    expect(attempt).toMatchObject({ ok: true, via: 'direct' });
    expect(attempt.response).toMatch(/^235 2\.7\.0/);
    const msg = buildProbeMessage(MAILBOX, new Date());
    const sent = await session!.send({ from: MAILBOX, to: MAILBOX, raw: msg.raw, budgetMs: 5000 });
    session!.close();
    expect(sent.ok).toBe(true);
    expect(sent.response).toMatch(/^250 2\.0\.0 OK/);
    // one login for both
    expect(sim.ctx.traffic.entries().filter((e) => e.what === 'AUTH XOAUTH2')).toHaveLength(1);
    const lines = t.lines().join('\n');
    expect(lines).toContain('C: AUTH XOAUTH2');
    expect(lines).not.toContain(token);
    expect(lines).not.toContain(token.slice(0, 40));
    expect(sim.ctx.mail.inbox(MAILBOX).some((m) => m.subject === msg.subject)).toBe(true);
  });

  it('hands over the 5.7.139 line when SMTP AUTH is disabled for the mailbox', async () => {
    sim = await startMail(scenario('healthy-app-smtp', (s) => (s.users.john!.mailbox!.smtpClientAuthenticationDisabled = true)));
    const { attempt, session } = await login(sim, await appToken(sim.ctx));
    expect(session).toBeNull();
    expect(attempt.failure?.stage).toBe('auth');
    expect(diagnoseSmtpReply(attempt.failure!.reply!, 'auth').reason).toBe('SMTP_AUTH_DISABLED_MAILBOX');
  });

  it('hands over 5.7.139 … Tenant when the mailbox inherits a disabled tenant', async () => {
    sim = await startMail(scenario('healthy-app-smtp', (s) => (s.users.john!.mailbox!.smtpClientAuthenticationDisabled = null)));
    const { attempt } = await login(sim, await appToken(sim.ctx));
    expect(diagnoseSmtpReply(attempt.failure!.reply!, 'auth').reason).toBe('SMTP_AUTH_DISABLED_TENANT');
  });

  it('hands over 5.7.3 when the service principal is not registered in Exchange', async () => {
    sim = await startMail(scenario('healthy-app-smtp', (s) => (s.apps.webex!.exchangeServicePrincipal = false)));
    const { attempt } = await login(sim, await appToken(sim.ctx));
    expect(attempt.failure?.reply).toMatch(/^535 5\.7\.3 /);
    expect(diagnoseSmtpReply(attempt.failure!.reply!, 'auth').reason).toBe('SMTP_AUTH_FAILED');
  });

  it('hands over 554 5.2.252 SendAsDenied for a foreign sender', async () => {
    sim = await startMail('healthy-app-smtp');
    const { session } = await login(sim, await appToken(sim.ctx));
    const msg = buildProbeMessage('mary@contoso.com', new Date());
    const sent = await session!.send({ from: 'mary@contoso.com', to: MAILBOX, raw: msg.raw, budgetMs: 5000 });
    session!.close();
    expect(sent.ok).toBe(false);
    expect(sent.failure?.reply).toMatch(/^554 5\.2\.252 SendAsDenied/);
    expect(diagnoseSmtpReply(sent.failure!.reply!, 'send').reason).toBe('SEND_AS_DENIED');
  });

  it('gives up on a server that hangs after the login, within its budget', async () => {
    sim = await startMail('healthy-app-smtp', [{ service: 'smtp', path: 'MAIL', kind: 'hang' }]);
    const { session } = await login(sim, await appToken(sim.ctx));
    const sent = await session!.send({ from: MAILBOX, to: MAILBOX, raw: buildProbeMessage(MAILBOX, new Date()).raw, budgetMs: 500 });
    session!.close();
    expect(sent.ok).toBe(false);
    expect(sent.failure?.errorCode).toBe('TIMEOUT');
  });
});
