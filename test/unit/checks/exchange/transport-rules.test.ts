import { describe, expect, it } from 'vitest';
import transportRules from '../../../../checks/exchange/transport-rules.js';
import { evaluateTransportRules } from '../../../../checks/exchange/lib/transport-rules.js';
import { fillPlaceholders } from '../../../../src/core/fix-values.js';
import { ADMIN_API_SOURCE, type ExchangeMailbox, type TransportRule } from '../../../../src/collect/exchange/types.js';
import type { InboxRules } from '../../../../src/collect/graph/mailbox/inbox-rules.js';
import type { FactOutcome } from '../../../../src/core/check.js';
import { asset, ctx, expectExplained, failed, groups, inboxRule, mailbox, ok, run, transportRule as tr, WEBEX } from './facts.js';

const noInboxRules = ok<InboxRules>({ rules: [] });
const check = (rules: TransportRule[], g = groups(), c = ctx(), mbx: ExchangeMailbox = mailbox(), inbox: FactOutcome<InboxRules> = noInboxRules) =>
  run(transportRules, { mailbox: mbx, transport: { rules, source: ADMIN_API_SOURCE }, groups: g, inboxRules: inbox }, c);
const noReject = { rejectMessageReasonText: null, rejectMessageEnhancedStatusCode: null };

describe('exchange.transport-rules: the customer message (G13)', () => {
  it('fails AUTOFORWARD_BLOCKED_TRANSPORT_RULE naming a rule that rejects auto-forwarded mail to the outside', async () => {
    const r = await check([tr('Block auto-forwarding')]);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect(r.summary).toContain('"Block auto-forwarding"');
    expect(r.summary).toMatch(/rejects the forwarded copy of customer mail/);
    expect(r.values).toEqual({ 'rule-name': 'Block auto-forwarding' });
    expectExplained(transportRules, r.code);
  });

  it('ExceptIfFrom the mailbox does NOT exempt customer mail (its From is the customer), though it exempts the self-sent probe', async () => {
    const r = await check([tr('Except John', { exceptIfFrom: ['john@contoso.com'] })]);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect(r.details).toMatch(/self-sent `--send-test` probe .* would pass "Except John"/);
    expect((r.evidence!.rules as { selfSentProbe: string; customerMail: string }[])[0]).toMatchObject({ customerMail: 'applies', selfSentProbe: 'does-not-apply' });
  });

  it('the recommended exception (ExceptIfRecipientDomainIs the forwarding domain, or a parent domain) makes the rule not apply', async () => {
    for (const d of ['mail-us.imiconnect.io', 'imiconnect.io']) {
      const r = await check([tr('Except imi', { exceptIfRecipientDomainIs: ['partner.example', d] })]);
      expect(r.status).toBe('pass');
      expect((r.evidence!.rules as { forwardingDomainExcepted: boolean }[])[0]!.forwardingDomainExcepted).toBe(true);
    }
    expect((await check([tr('Except addr', { exceptIfSentTo: [WEBEX] })])).status).toBe('pass');
    expect((await check([tr('Except other', { exceptIfRecipientDomainIs: ['partner.example'] })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
  });

  it('the fix adds the forwarding domain to the exceptions already there, with the run\'s rule name as a quoted literal', () => {
    const cmd = transportRules.explanations.AUTOFORWARD_BLOCKED_TRANSPORT_RULE!.commands![0]!;
    const filled = fillPlaceholders(cmd, { 'rule-name': "Block 'ext' fwd", 'forwarding-domain': 'tenant7.eu.webexconnect.io' });
    expect(filled).toBe(
      "Set-TransportRule -Identity 'Block ''ext'' fwd' -ExceptIfRecipientDomainIs (@((Get-TransportRule -Identity 'Block ''ext'' fwd').ExceptIfRecipientDomainIs) + tenant7.eu.webexconnect.io)",
    );
    expect(JSON.stringify(transportRules.explanations)).not.toMatch(/ExceptIfFrom <mailbox>|"Block auto-forwarding"/);
  });

  it('sender scope: FromScope NotInOrganization matches customer mail; InOrganization (the probe) does not', async () => {
    expect((await check([tr('Outside', { fromScope: 'NotInOrganization' })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    const inside = await check([tr('Inside', { fromScope: 'InOrganization' })]);
    expect(inside.status).toBe('pass');
    expect(inside.details).toMatch(/stops the self-sent probe but not customer mail/);
    expect((await check([tr('Except outside', { exceptIfFromScope: 'NotInOrganization' })])).status).toBe('pass');
  });

  it('From / SenderDomainIs name particular senders: not customers in general', async () => {
    const r = await check([tr('Mailbox only', { from: ['john@contoso.com'] })]);
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/names particular senders/);
    expect((await check([tr('Own domain', { senderDomainIs: ['contoso.com'] })])).status).toBe('pass');
    expect((await check([tr('Except own domain', { exceptIfSenderDomainIs: ['contoso.com'] })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
  });

  it('SenderAddressLocation Envelope: a sender condition on the forwarded copy cannot be decided (SRS rewrites the envelope)', async () => {
    const r = await check([tr('Env', { exceptIfFrom: ['john@contoso.com'], senderAddressLocation: 'Envelope' })]);
    expect(r.code).toBe('TRANSPORT_RULE_MAY_APPLY');
    expect(r.summary).toMatch(/SenderAddressLocation Envelope/);
  });

  it('an inbound rule on mail to the mailbox stops customer mail before it is forwarded', async () => {
    const r = await check([tr('Quarantine external', { ...noReject, quarantine: true, messageTypeMatches: null, sentToScope: 'InOrganization', fromScope: 'NotInOrganization' })]);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect(r.summary).toMatch(/quarantines customer mail to the mailbox/);
  });

  it('delete, quarantine and redirect elsewhere also block; redirect to the forwarding address does not; no action passes', async () => {
    expect((await check([tr('Del', { ...noReject, deleteMessage: true })])).summary).toMatch(/deletes/);
    expect((await check([tr('Q', { ...noReject, quarantine: true })])).summary).toMatch(/quarantines/);
    expect((await check([tr('R', { ...noReject, redirectMessageTo: ['audit@contoso.com'] })])).summary).toMatch(/redirects/);
    expect((await check([tr('R', { ...noReject, redirectMessageTo: [WEBEX.toUpperCase()] })])).status).toBe('pass');
    expect((await check([tr('Tag', { ...noReject })])).status).toBe('pass');
  });

  it('ignores disabled rules and rules in Audit modes', async () => {
    expect((await check([tr('Off', { state: 'Disabled' })])).status).toBe('pass');
    expect((await check([tr('Audit', { mode: 'Audit' })])).status).toBe('pass');
    const r = await check([tr('Notify', { mode: 'AuditAndNotify' })]);
    expect(r.status).toBe('pass');
    expect(r.details).toContain('Mode AuditAndNotify');
  });

  it('message type and recipient scope conditions', async () => {
    expect((await check([tr('OOF', { messageTypeMatches: 'OOF' })])).status).toBe('pass');
    expect((await check([tr('Internal', { sentToScope: 'InOrganization' })])).status).toBe('pass');
    expect((await check([tr('All external', { messageTypeMatches: null })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('Except AF', { messageTypeMatches: null, exceptIfMessageTypeMatches: 'AutoForward' })])).status).toBe('pass');
    expect((await check([tr('To imi', { recipientDomainIs: ['imiconnect.io'] })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('To gmail', { recipientDomainIs: ['gmail.com'] })])).status).toBe('pass');
  });
});

describe('exchange.transport-rules: priority, StopRuleProcessing, Mode (G16)', () => {
  it('lists every blocking rule, in priority order; the first names <rule-name>', async () => {
    const r = await check([tr('Second', { priority: 2 }), tr('First', { priority: 1, ...noReject, deleteMessage: true })]);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect(r.summary).toContain('"First"');
    expect(r.details).toContain('"Second"');
    expect(r.values).toEqual({ 'rule-name': 'First' });
  });

  it('a matching rule with StopRuleProcessing hides the rules after it', async () => {
    const stop = tr('Tag and stop', { priority: 0, ...noReject, stopRuleProcessing: true });
    const r = await check([tr('Block', { priority: 1 }), stop]);
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/not reached: "Tag and stop" matches first/);
    // The same stop rule after the blocking one changes nothing.
    expect((await check([tr('Block', { priority: 0 }), { ...stop, priority: 1 }])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
  });

  it('a stop rule that only may match makes the later block "may apply"', async () => {
    const r = await check([tr('Maybe stop', { priority: 0, ...noReject, stopRuleProcessing: true, otherConditions: ['SubjectContainsWords'] }), tr('Block', { priority: 1 })]);
    expect(r.code).toBe('TRANSPORT_RULE_MAY_APPLY');
    expect(r.summary).toMatch(/unless "Maybe stop" \(StopRuleProcessing\) matched first/);
  });
});

describe('exchange.transport-rules: conditions the doctor cannot evaluate (G16)', () => {
  it('warns TRANSPORT_RULE_MAY_APPLY naming the condition, never fails', async () => {
    for (const c of ['SubjectContainsWords', 'SCLOver', 'MessageSizeOver', 'SenderIpRanges', 'HeaderContainsMessageHeader', 'WithImportance', 'ADComparisonAttribute', 'HasSenderOverride']) {
      const r = await check([tr('Cond', { otherConditions: [c] })]);
      expect(r.code).toBe('TRANSPORT_RULE_MAY_APPLY');
      expect(r.summary).toContain(c);
      expect(r.values).toEqual({ 'rule-name': 'Cond' });
    }
    expectExplained(transportRules, 'TRANSPORT_RULE_MAY_APPLY');
  });

  it('a rule that only deletes high-spam-confidence mail does not fail the tenant', async () => {
    const r = await check([tr('Delete spam', { ...noReject, deleteMessage: true, messageTypeMatches: null, sentToScope: null, otherConditions: ['SCLOver'] })]);
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/SCLOver/);
  });

  it('an unevaluated exception also makes it "may apply"', async () => {
    expect((await check([tr('Except subject', { otherExceptions: ['ExceptIfSubjectContainsWords'] })])).code).toBe('TRANSPORT_RULE_MAY_APPLY');
  });
});

describe('exchange.transport-rules: group-scoped conditions (G3)', () => {
  const cc = { id: '7b6a5f4e-3d2c-4b1a-9f0e-8d7c6b5a4f3e', displayName: 'Contact Center Mailboxes' };
  const limited = { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', displayName: '' };

  it('SentToMemberOf: customer mail to a member mailbox matches; an unreadable group is "may apply", never "does not apply"', async () => {
    const rule = tr('To CC group', { ...noReject, deleteMessage: true, messageTypeMatches: null, sentToScope: null, sentToMemberOf: ['Contact Center Mailboxes'] });
    expect((await check([rule], groups(cc))).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([rule], groups({ id: cc.id, displayName: 'Sales' }))).status).toBe('pass');
    const unresolved = await check([rule], groups({ id: 'x', displayName: 'Sales' }, limited));
    expect(unresolved.code).toBe('TRANSPORT_RULE_MAY_APPLY');
    expect(unresolved.summary).toMatch(/GroupMember.Read.All/);
    expect((await check([rule], failed())).code).toBe('TRANSPORT_RULE_MAY_APPLY');
  });

  it('FromMemberOf selects the self-sent probe through the mailbox\'s groups; customer mail is not From a member', async () => {
    const rule = tr('From CC group', { fromMemberOf: ['Contact Center Mailboxes'] });
    const r = await check([rule], groups(cc));
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/stops the self-sent probe but not customer mail/);
    const probe = evaluateTransportRules([rule], { mailbox: mailbox(), configuredMailbox: 'john@contoso.com', forwardingAddress: WEBEX, forwardingPath: 'mailbox', groups: groups(limited) }, 'mailbox');
    expect(probe.uncertain.map((v) => v.rule.name)).toEqual(['From CC group']);
  });
});

describe('exchange.transport-rules: forwarding by inbox rule (G17)', () => {
  it('MessageTypeMatches AutoForward with inbox-rule forwarding is contested: may apply, and the details say so', async () => {
    const mbx = mailbox({ forwardingSmtpAddress: null });
    const inbox = ok<InboxRules>({ rules: [inboxRule({ forwardTo: [WEBEX] })] });
    const r = await check([tr('Block auto-forwarding')], groups(), ctx(), mbx, inbox);
    expect(r.code).toBe('TRANSPORT_RULE_MAY_APPLY');
    expect(r.summary).toMatch(/contested/);
    expect(r.details).toMatch(/not by auto-forwarding rules that users configure in Outlook/);
    expect(r.evidence).toMatchObject({ forwardingPath: 'inbox-rule' });
    // The same rule without a message type condition applies to the inbox-rule forward as well.
    expect((await check([tr('All external', { messageTypeMatches: null })], groups(), ctx(), mbx, inbox)).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
  });
});

describe('exchange.transport-rules: no rules, no forwarding address', () => {
  it('passes without rules', async () => {
    const r = await check([]);
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('There are no mail flow rules.');
  });

  it('uses the mailbox forwarding address when none is configured', async () => {
    const r = await check([tr('Except imi', { exceptIfRecipientDomainIs: ['imiconnect.io'] })], groups(), ctx(asset({ forwardingAddress: undefined })));
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ forwardingAddress: WEBEX });
  });
});
