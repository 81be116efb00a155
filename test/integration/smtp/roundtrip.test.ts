import { afterEach, describe, expect, it } from 'vitest';
import { openImapSession } from '../../../src/collect/imap/session.js';
import { watchForProbe } from '../../../src/collect/imap/watch.js';
import { buildProbeMessage } from '../../../src/collect/smtp/probe-message.js';
import { SmtpSession } from '../../../src/collect/smtp/session.js';
import type { Scenario } from '../../../src/simulator/scenario/schema.js';
import { appToken, scenario, startMail, type MailSim } from './harness.js';

const MAILBOX = 'john@contoso.com';
let sim: MailSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** healthy-app-smtp with a change: app-only SMTP and IMAP work, the mail flow is what `edit` makes it. */
const appSmtp = (edit: (s: Scenario) => void = () => undefined) => scenario('healthy-app-smtp', edit);

async function sendProbe(s: MailSim) {
  const { session } = await SmtpSession.login({ host: '127.0.0.1', port: s.smtpPort, net: s.net, user: MAILBOX, accessToken: await appToken(s.ctx), budgetMs: 5000 });
  const msg = buildProbeMessage(MAILBOX, new Date());
  const sent = await session!.send({ from: MAILBOX, to: MAILBOX, raw: msg.raw, budgetMs: 5000 });
  session!.close();
  expect(sent.ok).toBe(true);
  return { messageIds: [msg.messageId, ...(sent.serverMessageId ? [sent.serverMessageId] : [])], nonce: msg.nonce };
}

async function watch(s: MailSim, probe: { messageIds: string[]; nonce: string }, timeoutMs = 3000) {
  const imap = await openImapSession({ host: '127.0.0.1', port: s.imapPort, net: s.net, user: MAILBOX, accessToken: await appToken(s.ctx), budgetMs: 5000 });
  expect(imap.failure).toBeNull();
  try {
    return await watchForProbe(imap.client!, probe, { timeoutMs, graceMs: 300, pollMs: 100 });
  } finally {
    await imap.client!.logout();
  }
}

describe('the round trip against the simulated mail flow', () => {
  it('sees the copy, waits only the grace period, and finds no NDR when forwarding is allowed', async () => {
    sim = await startMail('healthy-app-smtp');
    const w = await watch(sim, await sendProbe(sim), 20_000);
    expect(w.copy).not.toBeNull();
    expect(w.ndr).toBeNull();
    expect(w.ended).toBe('copy-grace');
    expect(sim.ctx.mail.external().length).toBe(1);
  });

  it('finds the 5.7.520 NDR when the outbound spam policy blocks forwarding', async () => {
    sim = await startMail(appSmtp((s) => (s.exchange.outboundSpamRules['Webex Connect forwarding']!.state = 'Disabled')));
    const w = await watch(sim, await sendProbe(sim));
    expect(w.ended).toBe('ndr');
    expect(w.ndr?.diagnostic.enhanced).toBe('5.7.520');
    expect(w.ndr?.diagnostic.line).toMatch(/^550 5\.7\.520 Access denied, Your organization does not allow external forwarding/);
  });

  it('sees neither copy nor NDR when a remote domain drops the forward and no copy is kept', async () => {
    sim = await startMail(
      appSmtp((s) => {
        s.exchange.remoteDomains.Default!.autoForwardEnabled = false;
        s.users.john!.mailbox!.deliverToMailboxAndForward = false;
      }),
    );
    const w = await watch(sim, await sendProbe(sim), 800);
    expect(w).toMatchObject({ copy: null, ndr: null, ended: 'timeout' });
    expect(sim.ctx.mail.external()).toHaveLength(0);
  });

  it('reports "User is authenticated but not connected." without FullAccess', async () => {
    sim = await startMail(appSmtp((s) => (s.users.john!.mailbox!.fullAccessApps = [])));
    const imap = await openImapSession({ host: '127.0.0.1', port: sim.imapPort, net: sim.net, user: MAILBOX, accessToken: await appToken(sim.ctx), budgetMs: 5000 });
    expect(imap.client).toBeNull();
    expect(imap.failure).toMatchObject({ stage: 'auth', notConnected: true });
  });

  it('reports a refused IMAP login', async () => {
    sim = await startMail('healthy-app-smtp');
    const imap = await openImapSession({ host: '127.0.0.1', port: sim.imapPort, net: sim.net, user: MAILBOX, accessToken: 'not-a-token', budgetMs: 5000 });
    expect(imap.failure).toMatchObject({ stage: 'auth', notConnected: false });
    expect(imap.transcript.lines().join('\n')).not.toContain('not-a-token');
  });
});
