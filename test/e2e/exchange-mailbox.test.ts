import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf, runCli } from '../helpers/cli.js';

// Issue 11, Exchange mailbox side (G3, G11, G12, G15, G17): the built CLI against the simulator.

async function withSim<T>(scenario: string, fn: (sim: Awaited<ReturnType<typeof startSimulator>>) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ scenario });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

const exchangeCmdlets = (sim: Awaited<ReturnType<typeof startSimulator>>) =>
  sim.ctx.traffic.entries().filter((e) => e.service === 'exchange').map((e) => e.what.split(' ').pop());

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('outbound spam policy on real tenants', () => {
  it('exchange-outbound-policy-subdomain: SenderDomainIs fabrikam.net covers desk@support.fabrikam.net (G11) → pass', async () => {
    await withSim('exchange-outbound-policy-subdomain', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.outbound-spam-policy']);
      const o = resultOf(r.report, 'exchange.outbound-spam-policy', 'desk@support.fabrikam.net');
      expect(o).toMatchObject({ status: 'pass', code: null });
      expect(o.details).toContain('subdomains included, so support.fabrikam.net is covered');
    });
  });

  it('exchange-outbound-policy-unresolved: groups come back with only their id (G3) → warn naming GroupMember.Read.All, never "does not apply"', async () => {
    await withSim('exchange-outbound-policy-unresolved', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.outbound-spam-policy']);
      const o = resultOf(r.report, 'exchange.outbound-spam-policy', 'john@contoso.com');
      expect(o).toMatchObject({ status: 'warn', code: 'OUTBOUND_POLICY_UNRESOLVED' });
      expect(o.details).toContain('came back with only their id');
      expect(o.details).toContain('GroupMember.Read.All');
      expect(o.details).not.toContain('does not apply');
      expect(o.remediation?.commands.join('\n')).toContain("Get-HostedOutboundSpamFilterRule -Identity 'Webex Connect forwarding'");
      expect(r.code).toBe(0);
    });
  });
});

describe('ForwardingAddress is a recipient (G12)', () => {
  it('exchange-forwarding-mail-contact: a mail contact with the Webex Connect address passes; Get-Recipient is read once', async () => {
    await withSim('exchange-forwarding-mail-contact', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.forwarding']);
      const o = resultOf(r.report, 'exchange.forwarding', 'john@contoso.com');
      expect(o).toMatchObject({ status: 'pass', code: null });
      expect(o.summary).toContain('"Webex Connect inbound", a MailContact');
      expect(o.remediation).toBeFalsy();
      expect(exchangeCmdlets(sim).filter((c) => c === 'Get-Recipient')).toHaveLength(1);
      expect(r.code).toBe(0);
    });
  });

  it('exchange-forwarding-recipient-unresolved: no recipient answers → warn FORWARDING_RECIPIENT_UNRESOLVED naming Get-Recipient', async () => {
    await withSim('exchange-forwarding-recipient-unresolved', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.forwarding']);
      const o = resultOf(r.report, 'exchange.forwarding', 'john@contoso.com');
      expect(o).toMatchObject({ status: 'warn', code: 'FORWARDING_RECIPIENT_UNRESOLVED' });
      expect(o.details).toContain("Get-Recipient -Identity 'Former helpdesk'");
      expect(o.remediation?.commands.join('\n')).toContain("Get-Recipient -Identity 'Former helpdesk'");
    });
  });

  it("exchange-forwarding-contact-elsewhere: FORWARDING_OVERRIDDEN, and every format's fix names this run's mailbox and address, never an example", async () => {
    await withSim('exchange-forwarding-contact-elsewhere', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.forwarding']);
      const o = resultOf(r.report, 'exchange.forwarding', 'desk@support.fabrikam.net');
      expect(o).toMatchObject({ status: 'fail', code: 'FORWARDING_OVERRIDDEN' });
      expect(o.summary).toContain('resolves to intake@oldvendor.example (MailContact)');
      for (const format of ['text', 'json', 'markdown', 'html', 'junit']) {
        const out = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--only', 'exchange.forwarding'], { env: sim.env });
        expect(out.code, format).toBe(1);
        expect(out.stdout, format).toContain('Set-Mailbox -Identity desk@support.fabrikam.net -ForwardingAddress $null -ForwardingSmtpAddress 0c9e2b7d41f35a68e0b1c2d3e4f5a6b7@mail-eu.imiconnect.io');
        for (const example of ['john@contoso.com', 'mail-us.imiconnect.io', 'a41a0ba3566ed2091155f13e48e6d4f8']) expect(out.stdout, `${format} ${example}`).not.toContain(example);
      }
    });
  });

  it('--exchange-evidence: Get-Recipient.json gives the live verdict; without it the doctor cannot tell and names the cmdlet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxmail-evidence-'));
    tmp.push(dir);
    const healthy = fileURLToPath(new URL('../../fixtures/evidence/healthy', import.meta.url));
    for (const f of readdirSync(healthy)) copyFileSync(join(healthy, f), join(dir, f));
    const mbx = readFileSync(join(dir, 'Get-Mailbox.json'), 'utf8')
      .replace(/"ForwardingSmtpAddress":\s*"[^"]*"/, '"ForwardingSmtpAddress":  null')
      .replace(/"ForwardingAddress":\s*null/, '"ForwardingAddress":  "Webex Connect inbound"');
    writeFileSync(join(dir, 'Get-Mailbox.json'), mbx);
    writeFileSync(
      join(dir, 'Get-Recipient.json'),
      JSON.stringify({ Identity: 'Webex Connect inbound', Name: 'Webex Connect inbound', Alias: 'webexconnectinbound', DisplayName: 'Webex Connect inbound', RecipientTypeDetails: 'MailContact', PrimarySmtpAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io', ExternalEmailAddress: 'SMTP:a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' }),
    );
    await withSim('exchange-forwarding-mail-contact', async (sim) => {
      const live = await doctorJson(sim, ['--only', 'exchange.forwarding']);
      const offline = await doctorJson(sim, ['--only', 'exchange.forwarding', '--exchange-evidence', dir]);
      expect(resultOf(offline.report, 'exchange.forwarding').status).toBe(resultOf(live.report, 'exchange.forwarding').status);
      expect(resultOf(offline.report, 'exchange.forwarding').details).toContain('evidence file Get-Recipient.json');
      rmSync(join(dir, 'Get-Recipient.json'));
      const missing = await doctorJson(sim, ['--only', 'exchange.forwarding', '--exchange-evidence', dir]);
      const o = resultOf(missing.report, 'exchange.forwarding');
      expect(o).toMatchObject({ status: 'warn', code: 'FORWARDING_RECIPIENT_UNRESOLVED' });
      expect(o.details).toContain('Get-Recipient.json');
    });
  });
});

describe('inbox-rule forwarding (G15, G17)', () => {
  it('exchange-forwarding-inbox-rule-conditional: a rule limited to some subjects → warn FORWARDING_RULE_CONDITIONAL naming the condition and the contested AutoForward match', async () => {
    await withSim('exchange-forwarding-inbox-rule-conditional', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.forwarding']);
      const o = resultOf(r.report, 'exchange.forwarding', 'john@contoso.com');
      expect(o).toMatchObject({ status: 'warn', code: 'FORWARDING_RULE_CONDITIONAL' });
      expect(o.summary).toContain('subjectContains (`order`)');
      expect(o.details).toContain('[V, contested]');
      expect(o.remediation?.portal.join('\n')).toContain("Rules → 'Orders to Webex Connect'");
    });
  });

  it('exchange-forwarding-inbox-rule: an unconditional rule passes, saying what a self-sent probe cannot prove', async () => {
    await withSim('exchange-forwarding-inbox-rule', async (sim) => {
      const r = await doctorJson(sim, ['--only', 'exchange.forwarding']);
      const o = resultOf(r.report, 'exchange.forwarding', 'john@contoso.com');
      expect(o).toMatchObject({ status: 'pass', code: null });
      expect(o.details).toContain('no NDR to internal senders');
      expect(o.details).toContain('[V, contested]');
    });
  });
});
