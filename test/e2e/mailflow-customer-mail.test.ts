import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf, runCli } from '../helpers/cli.js';

// Issue 11 (G13–G17): the built CLI against scenarios where customer mail and the self-sent probe
// part ways. `npm run build` first.

const MAILBOX = 'john@contoso.com';
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function doctor(scenario: string, extra: string[] = [], env: Record<string, string> = {}) {
  sim = await startSimulator({ scenario });
  return doctorJson(sim, ['--roundtrip-timeout', '4', ...extra], env);
}

const check = (report: ReportModel, id: string) => resultOf(report, id, MAILBOX);

describe('customer mail, not the mailbox, is the message that matters (G13)', () => {
  it('mailflow-customer-mail-blocked: the self-sent probe passes, customer mail is blocked; the fix names this run\'s rule and forwarding domain', async () => {
    const { report, code } = await doctor('mailflow-customer-mail-blocked', ['--send-test']);
    const rules = check(report, 'exchange.transport-rules');
    expect({ status: rules.status, code: rules.code }).toEqual({ status: 'fail', code: 'AUTOFORWARD_BLOCKED_TRANSPORT_RULE' });
    expect(rules.summary).toContain('"Block \'external\' auto-forwarding"');
    expect(rules.details).toMatch(/self-sent `--send-test` probe .* would pass/);
    // The fix: this run's rule name (quoted literal, quote doubled) and forwarding domain, the list kept.
    // After the connection it needs (Connect-ExchangeOnline).
    expect(rules.remediation?.commands[0]).toBe('Connect-ExchangeOnline');
    expect(rules.remediation?.commands[1]).toBe(
      "Set-TransportRule -Identity 'Block ''external'' auto-forwarding' -ExceptIfRecipientDomainIs (@((Get-TransportRule -Identity 'Block ''external'' auto-forwarding').ExceptIfRecipientDomainIs) + mail-eu.imiconnect.io)",
    );
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'pass', code: null });
    expect(trip.details).toMatch(/cannot prove the same for customer mail/);
    expect(code).toBe(1);
    // No example value of another tenant or region in any format of this report.
    const saved = join(mkdtempSync(join(tmpdir(), 'wxmail-e2e-')), 'report.json');
    writeFileSync(saved, JSON.stringify(report));
    for (const format of ['text', 'markdown', 'html', 'junit']) {
      const out = await runCli(['report', saved, '--format', format]);
      expect(out.stdout, format).toContain('mail-eu.imiconnect.io');
      // A command (Set-/New-/Get-…) never carries another region's address or the old sender exception.
      // (HTML's embedded JSON model is one line holding every string of the report: not a command.)
      const shown = out.stdout.replace(/<script type="application\/json"[^>]*>[\s\S]*?<\/script>/, '');
      expect(shown.split('\n').filter((l) => /\b(Set|New|Get)-\w+/.test(l) && /mail-us\.imiconnect\.io|-ExceptIfFrom /.test(l)), format).toEqual([]);
    }
  });

  it('mailflow-customer-mail-exempted: with the forwarding domain in ExceptIfRecipientDomainIs the rule does not apply', async () => {
    const { report } = await doctor('mailflow-customer-mail-exempted', ['--only', 'exchange.transport-rules']);
    const rules = check(report, 'exchange.transport-rules');
    expect({ status: rules.status, code: rules.code }).toEqual({ status: 'pass', code: null });
    expect(rules.details).toMatch(/forwarding domain is excepted \(ExceptIfRecipientDomainIs partner\.example, mail-eu\.imiconnect\.io\)/);
  });
});

describe('rule conditions the doctor cannot evaluate (G16)', () => {
  it('exchange-transport-rule-unevaluable: SCLOver delete and MessageSizeOver reject "may apply" (warn), never fail', async () => {
    const { report, code } = await doctor('exchange-transport-rule-unevaluable', ['--only', 'exchange.transport-rules']);
    const rules = check(report, 'exchange.transport-rules');
    expect({ status: rules.status, code: rules.code }).toEqual({ status: 'warn', code: 'TRANSPORT_RULE_MAY_APPLY' });
    expect(rules.summary).toContain('"Delete high-confidence spam"');
    expect(rules.summary).toContain('SCLOver');
    expect(rules.details).toContain('MessageSizeOver');
    expect(rules.remediation?.commands.join('\n')).toContain("Get-TransportRule -Identity 'Delete high-confidence spam'");
    expect(code).toBe(0);
  });
});

describe('group-scoped rules the reader cannot resolve (G3)', () => {
  it('exchange-transport-rule-group-unresolved: SentToMemberOf without GroupMember.Read.All "may apply", never "does not apply"', async () => {
    const { report } = await doctor('exchange-transport-rule-group-unresolved', ['--only', 'exchange.transport-rules']);
    const rules = check(report, 'exchange.transport-rules');
    expect({ status: rules.status, code: rules.code }).toEqual({ status: 'warn', code: 'TRANSPORT_RULE_MAY_APPLY' });
    expect(rules.summary).toContain('SentToMemberOf (Contact Center Mailboxes)');
    expect(rules.summary).toMatch(/GroupMember\.Read\.All/);
  });
});

describe('NDR attribution and what the probe proves (G14, G15)', () => {
  it('roundtrip-ndr-transport-rule: the bounce with the rule\'s own 5.7.950 names the rule and its exception, not the outbound policy', async () => {
    const { report, code } = await doctor('roundtrip-ndr-transport-rule', ['--send-test']);
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'fail', code: 'FORWARDING_NDR_TRANSPORT_RULE' });
    expect(trip.summary).toContain('mail flow rule "No auto-forwarding outside"');
    expect(trip.summary).toContain('5.7.950');
    const commands = trip.remediation?.commands.join('\n') ?? '';
    expect(commands).toContain("Set-TransportRule -Identity 'No auto-forwarding outside' -ExceptIfRecipientDomainIs");
    expect(commands).toContain('mail-us.imiconnect.io');
    expect(commands).not.toMatch(/HostedOutboundSpamFilter|AutoForwardingMode/);
    expect(code).toBe(1);
  });

  it('roundtrip-ndr-other: a bounce that is neither 5.7.520 nor a rule\'s is quoted as FORWARDING_NDR_OTHER, with no policy or rule fix', async () => {
    const { report } = await doctor('roundtrip-ndr-other', ['--send-test']);
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'fail', code: 'FORWARDING_NDR_OTHER' });
    expect(trip.summary).toContain('550 5.1.1');
    expect(trip.summary).toContain('Recipient address rejected: User unknown');
    expect(trip.remediation?.commands.join('\n')).not.toMatch(/HostedOutboundSpamFilter|Set-TransportRule/);
  });

  it('roundtrip-inbox-rule-no-ndr: inbox-rule forwarding blocked without an NDR is ROUNDTRIP_INCONCLUSIVE, not pass', async () => {
    const { report } = await doctor('roundtrip-inbox-rule-no-ndr', ['--send-test']);
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'warn', code: 'ROUNDTRIP_INCONCLUSIVE' });
    expect(trip.summary).toMatch(/inbox rule/);
    expect(sim!.ctx.mail.external()).toEqual([]);
  });
});

describe('the round trip from outside the organisation (G13): --external-sender-*', () => {
  const PASSWORD = 'Canary-ExtSender-7f3a9c2e1b0d';

  it('roundtrip-external-sender: the probe from an outside account reaches the mailbox, no bounce reaches the sender: pass for real; its password never reaches any output', async () => {
    const { report, stdout, stderr, code } = await doctor('roundtrip-external-sender', ['--send-test']);
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'pass', code: null });
    expect(trip.summary).toContain('from customer@fabrikam.example, outside the organisation');
    expect(trip.evidence).toMatchObject({ externalSender: 'customer@fabrikam.example', externalSent: true, senderInbox: 'read', ndr: null });
    expect(sim!.ctx.mail.inbox(MAILBOX).some((m) => m.from === 'customer@fabrikam.example')).toBe(true);
    expect(code).toBe(0);
    expect(`${stdout}\n${stderr}`).not.toContain(PASSWORD);
    expect(`${stdout}\n${stderr}`).not.toContain(PASSWORD.slice(4, 20));
  });

  it('roundtrip-external-sender-rule-blocked: the self-sent probe would pass, the probe from outside bounces off the named rule', async () => {
    const { report, stdout, stderr } = await doctor('roundtrip-external-sender-rule-blocked', ['--send-test', '--log-level', 'debug']);
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'fail', code: 'FORWARDING_NDR_TRANSPORT_RULE' });
    expect(trip.summary).toContain('mail flow rule "Block \'external\' auto-forwarding"');
    expect(trip.details).toContain('to the external sender customer@fabrikam.example');
    expect(trip.remediation?.commands.find((c) => c.startsWith('Set-TransportRule'))).toContain("-Identity 'Block ''external'' auto-forwarding' -ExceptIfRecipientDomainIs");
    expect(`${stdout}\n${stderr}`).not.toContain(PASSWORD);
  });

  it('roundtrip-external-sender-smtp-auth-off: the mailbox cannot send (smtp.auth fails), yet the probe from outside still shows forwarding works', async () => {
    const { report, code } = await doctor('roundtrip-external-sender-smtp-auth-off', ['--send-test']);
    expect({ status: check(report, 'smtp.auth').status, code: check(report, 'smtp.auth').code }).toEqual({ status: 'fail', code: 'SMTP_AUTH_DISABLED_MAILBOX' });
    expect(check(report, 'smtp.send')).toMatchObject({ status: 'skip', code: 'DEPENDENCY_FAILED' });
    const trip = check(report, 'mailflow.roundtrip');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'pass', code: null });
    expect(trip.evidence).toMatchObject({ externalSender: 'customer@fabrikam.example', externalSent: true });
    expect(code).toBe(1);
  });

  it('the password is taken from a file or the environment, never a flag value; a missing one is a usage error naming the field', async () => {
    sim = await startSimulator({ scenario: 'roundtrip-external-sender' });
    const env = { ...sim.env };
    delete env.WXMAIL_EXTERNAL_SENDER_PASSWORD;
    const r = await runCli(['doctor', '--config', sim.configFile, '--send-test'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wxmail: externalSender\.password \(--external-sender-password-file/m);
    const flag = await runCli(['doctor', '--config', sim.configFile, '--external-sender-password', PASSWORD], { env });
    expect(flag.code).toBe(2);
    expect(flag.stdout + flag.stderr).not.toContain(PASSWORD);
  });
});
