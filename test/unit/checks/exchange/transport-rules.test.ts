import { describe, expect, it } from 'vitest';
import transportRules from '../../../../checks/exchange/transport-rules.js';
import { ADMIN_API_SOURCE, type TransportRule } from '../../../../src/collect/exchange/types.js';
import { asset, ctx, expectExplained, failed, groups, mailbox, run, transportRule as tr } from './facts.js';

const check = (rules: TransportRule[], g = groups(), c = ctx()) => run(transportRules, { mailbox: mailbox(), transport: { rules, source: ADMIN_API_SOURCE }, groups: g }, c);

describe('exchange.transport-rules', () => {
  it('fails AUTOFORWARD_BLOCKED_TRANSPORT_RULE naming a rule that rejects auto-forwarded mail to the outside', async () => {
    const r = await check([tr('Block auto-forwarding')]);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect(r.summary).toContain('"Block auto-forwarding"');
    expect(r.summary).toMatch(/rejects/);
    expectExplained(transportRules, r.code);
  });

  it('delete, quarantine and redirect elsewhere also block; redirect to the forwarding address does not', async () => {
    const noReject = { rejectMessageReasonText: null, rejectMessageEnhancedStatusCode: null };
    expect((await check([tr('Del', { ...noReject, deleteMessage: true })])).summary).toMatch(/deletes/);
    expect((await check([tr('Q', { ...noReject, quarantine: true })])).summary).toMatch(/quarantines/);
    expect((await check([tr('R', { ...noReject, redirectMessageTo: ['audit@contoso.com'] })])).summary).toMatch(/redirects/);
    expect((await check([tr('R', { ...noReject, redirectMessageTo: ['A41A0BA3566ED2091155F13E48E6D4F8@mail-us.imiconnect.io'] })])).status).toBe('pass');
    expect((await check([tr('Tag', { ...noReject })])).status).toBe('pass');
  });

  it('ignores disabled rules and rules in Audit modes', async () => {
    expect((await check([tr('Off', { state: 'Disabled' })])).status).toBe('pass');
    expect((await check([tr('Audit', { mode: 'Audit' })])).status).toBe('pass');
    const r = await check([tr('Notify', { mode: 'AuditAndNotify' })]);
    expect(r.status).toBe('pass');
    expect(r.details).toContain('Mode AuditAndNotify');
  });

  it('respects message type and recipient scope conditions', async () => {
    expect((await check([tr('OOF', { messageTypeMatches: 'OOF' })])).status).toBe('pass');
    expect((await check([tr('Internal', { sentToScope: 'InOrganization' })])).status).toBe('pass');
    // No message type condition: it acts on all mail to the outside, forwarded copies included.
    expect((await check([tr('All external', { messageTypeMatches: null })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('Except AF', { messageTypeMatches: null, exceptIfMessageTypeMatches: 'AutoForward' })])).status).toBe('pass');
  });

  it('respects From conditions and exceptions', async () => {
    expect((await check([tr('Others', { from: ['jane@contoso.com'] })])).status).toBe('pass');
    expect((await check([tr('John', { from: ['John'] })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('Except John', { exceptIfFrom: ['john@contoso.com'] })])).status).toBe('pass');
    expect((await check([tr('Inside', { fromScope: 'InOrganization' })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('Outside', { fromScope: 'NotInOrganization' })])).status).toBe('pass');
  });

  it('respects recipient conditions and exceptions against the forwarding address', async () => {
    expect((await check([tr('To imi', { recipientDomainIs: ['imiconnect.io'] })])).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('To gmail', { recipientDomainIs: ['gmail.com'] })])).status).toBe('pass');
    expect((await check([tr('Except imi', { exceptIfRecipientDomainIs: ['imiconnect.io'] })])).status).toBe('pass');
    expect((await check([tr('Except addr', { exceptIfSentTo: ['a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io'] })])).status).toBe('pass');
  });

  it('FromMemberOf: resolved through groups; unresolved is reported, not failed', async () => {
    const cc = { id: '7b6a5f4e-3d2c-4b1a-9f0e-8d7c6b5a4f3e', displayName: 'Contact Center Mailboxes' };
    expect((await check([tr('Group', { fromMemberOf: ['Contact Center Mailboxes'] })], groups(cc))).code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect((await check([tr('Group', { fromMemberOf: ['Sales'] })], groups(cc))).status).toBe('pass');
    const unresolved = await check([tr('Group', { fromMemberOf: ['Contact Center Mailboxes'] })], failed());
    expect(unresolved.status).toBe('pass');
    expect(unresolved.summary).toMatch(/1 could not be decided/);
    expect(unresolved.details).toMatch(/confirm by hand/);
  });

  it('a rule with conditions the doctor does not evaluate is reported as undecided', async () => {
    const r = await check([tr('Subject', { otherConditions: ['SubjectContainsWords'] })]);
    expect(r.status).toBe('pass');
    expect(r.details).toContain('SubjectContainsWords');
  });

  it('lists every blocking rule, in priority order', async () => {
    const r = await check([tr('Second', { priority: 2 }), tr('First', { priority: 1, deleteMessage: true, rejectMessageReasonText: null, rejectMessageEnhancedStatusCode: null })]);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_TRANSPORT_RULE');
    expect(r.summary).toContain('"First"');
    expect(r.details).toContain('"Second"');
  });

  it('passes without rules', async () => {
    const r = await check([]);
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('There are no mail flow rules.');
  });

  it('uses the mailbox forwarding address when none is configured', async () => {
    const r = await check([tr('Except imi', { exceptIfRecipientDomainIs: ['imiconnect.io'] })], groups(), ctx(asset({ forwardingAddress: undefined })));
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' });
  });
});
