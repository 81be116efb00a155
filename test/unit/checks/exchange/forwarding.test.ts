import { describe, expect, it } from 'vitest';
import forwarding from '../../../../checks/exchange/forwarding.js';
import type { ForwardingRecipient, ForwardingRecipientResolution } from '../../../../src/collect/exchange/types.js';
import type { CheckContext } from '../../../../src/core/check.js';
import { ADMIN_API_SOURCE } from '../../../../src/collect/exchange/types.js';
import { asset, ctx, expectExplained, failed, inboxRule, mailbox, ok, run as runCheck, WEBEX } from './facts.js';

const noRules = ok({ rules: [] });
const noRecipient = ok<ForwardingRecipientResolution>({ identity: null, recipient: null, source: ADMIN_API_SOURCE });
/** The check with no ForwardingAddress to resolve unless a test gives one. */
const run = (check: typeof forwarding, facts: Record<string, unknown>, c?: CheckContext) => runCheck(check, { recipient: noRecipient, ...facts }, c);

function contact(name: string, external: string, over: Partial<ForwardingRecipient> = {}): ForwardingRecipient {
  return { identity: name, name, alias: name.replace(/\s+/g, ''), displayName: name, recipientTypeDetails: 'MailContact', primarySmtpAddress: external, externalEmailAddress: external, address: external, names: [name.toLowerCase(), external.toLowerCase()], ...over };
}
const resolved = (identity: string, r: ForwardingRecipient | null) => ok<ForwardingRecipientResolution>({ identity, recipient: r, source: ADMIN_API_SOURCE });

describe('exchange.forwarding', () => {
  it('passes when ForwardingSmtpAddress is the Webex address (smtp: prefix and case ignored) and reports the copy', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: WEBEX.toUpperCase() }), inboxRules: noRules }, ctx(asset({ forwardingAddress: `smtp:${WEBEX}` })));
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/DeliverToMailboxAndForward = True/);
    expect(r.evidence).toMatchObject({ deliverToMailboxAndForward: true, expectedForwardingAddress: WEBEX });
    const noCopy = await run(forwarding, { mailbox: mailbox({ deliverToMailboxAndForward: false }), inboxRules: noRules });
    expect(noCopy.details).toMatch(/No copy stays in the mailbox/);
  });

  it('fails FORWARDING_MISSING without forwarding', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: noRules });
    expect(r.code).toBe('FORWARDING_MISSING');
    expect(r.status).toBe('fail');
    expectExplained(forwarding, r.code);
  });

  it('fails FORWARDING_WRONG_ADDRESS showing both addresses', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: 'someone@elsewhere.example' }), inboxRules: noRules });
    expect(r.code).toBe('FORWARDING_WRONG_ADDRESS');
    expect(r.summary).toContain('someone@elsewhere.example');
    expect(r.summary).toContain(WEBEX);
    expect(r.details).toContain('someone@elsewhere.example');
  });

  it('fails FORWARDING_OVERRIDDEN when ForwardingAddress resolves to another recipient (it wins)', async () => {
    const jane = { identity: 'Jane Doe', name: 'Jane Doe', alias: 'jane', displayName: 'Jane Doe', recipientTypeDetails: 'UserMailbox', primarySmtpAddress: 'jane@contoso.com', externalEmailAddress: null, address: 'jane@contoso.com', names: ['jane doe'] };
    const r = await run(forwarding, { mailbox: mailbox({ forwardingAddress: 'Jane Doe' }), inboxRules: noRules, recipient: resolved('Jane Doe', jane) });
    expect(r.code).toBe('FORWARDING_OVERRIDDEN');
    expect(r.summary).toContain('"Jane Doe"');
    expect(r.summary).toContain('resolves to jane@contoso.com (UserMailbox)');
    expect(r.summary).toContain(`ForwardingSmtpAddress (${WEBEX}) is ignored`);
    expect(r.values).toEqual({ 'forwarding-recipient': 'Jane Doe' });
    expect(forwarding.explanations.FORWARDING_OVERRIDDEN?.commands).toContain('Set-Mailbox -Identity <mailbox> -ForwardingAddress $null -ForwardingSmtpAddress <forwarding-address>');
  });

  it('passes when ForwardingAddress is a mail contact whose ExternalEmailAddress is the Webex address (G12), and never says to clear it', async () => {
    for (const fwdSmtp of [null, WEBEX, 'old@elsewhere.example']) {
      const r = await run(forwarding, {
        mailbox: mailbox({ forwardingAddress: 'Webex Connect inbound', forwardingSmtpAddress: fwdSmtp }),
        inboxRules: noRules,
        recipient: resolved('Webex Connect inbound', contact('Webex Connect inbound', WEBEX.toUpperCase())),
      });
      expect(r.status, String(fwdSmtp)).toBe('pass');
      expect(r.summary).toContain(`through ForwardingAddress "Webex Connect inbound", a MailContact`);
      expect(r.details).toContain('leave it set');
      expect(r.details).not.toMatch(/clear|\$null/i);
    }
  });

  it('a mail contact that points elsewhere is FORWARDING_OVERRIDDEN, naming its external address', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingAddress: 'Old vendor' }), inboxRules: noRules, recipient: resolved('Old vendor', contact('Old vendor', 'inbound@vendor.example')) });
    expect(r.code).toBe('FORWARDING_OVERRIDDEN');
    expect(r.details).toContain('MailContact "Old vendor" (ExternalEmailAddress inbound@vendor.example)');
  });

  it('cannot tell (warn FORWARDING_RECIPIENT_UNRESOLVED, naming Get-Recipient) when the recipient could not be read or does not exist', async () => {
    const missing = failed<ForwardingRecipientResolution>('INPUT_MISSING', 'The Exchange evidence folder has no Get-Recipient.json.');
    const a = await run(forwarding, { mailbox: mailbox({ forwardingAddress: "O'Brien contact" }), inboxRules: noRules, recipient: missing });
    expect(a.code).toBe('FORWARDING_RECIPIENT_UNRESOLVED');
    expect(a.status).toBe('warn');
    expect(a.details).toContain('Get-Recipient.json');
    expect(a.details).toContain("Get-Recipient -Identity 'O''Brien contact'");
    expect(a.values).toEqual({ 'forwarding-recipient': "O'Brien contact" });
    expectExplained(forwarding, a.code);
    const b = await run(forwarding, { mailbox: mailbox({ forwardingAddress: 'Gone' }), inboxRules: noRules, recipient: resolved('Gone', null) });
    expect(b.code).toBe('FORWARDING_RECIPIENT_UNRESOLVED');
    expect(b.summary).toContain('no recipient answers to that name');
    // Every quote PowerShell honours is doubled in the command shown (G21).
    const curly = await run(forwarding, { mailbox: mailbox({ forwardingAddress: 'O\u2019Brien' }), inboxRules: noRules, recipient: missing });
    expect(curly.details).toContain("Get-Recipient -Identity 'O\u2019\u2019Brien'");
  });

  it('passes on an enabled inbox rule that forwards or redirects to the address, with a note', async () => {
    for (const action of ['forwardTo', 'redirectTo', 'forwardAsAttachmentTo'] as const) {
      const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: ok({ rules: [inboxRule({ [action]: [WEBEX] })] }) });
      expect(r.status).toBe('pass');
      expect(r.summary).toContain('inbox rule "To Webex"');
      expect(r.details).toMatch(/alternative/);
    }
  });

  it('an inbox rule limited by conditions or exceptions only forwards some mail: warn FORWARDING_RULE_CONDITIONAL naming them (G15)', async () => {
    const limited = inboxRule({ displayName: 'VIP only', forwardTo: [WEBEX], conditions: [{ name: 'senderContains', values: ['vip'] }, { name: 'subjectContains', values: ['order'] }] });
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: ok({ rules: [limited] }) });
    expect(r.code).toBe('FORWARDING_RULE_CONDITIONAL');
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('only messages matching senderContains (`vip`) and subjectContains (`order`)');
    expect(r.details).toMatch(/contested/);
    expect(r.details).toContain('MessageTypeMatches AutoForward');
    expect(r.values).toEqual({ 'rule-name': 'VIP only' });
    expectExplained(forwarding, r.code);
    const excepted = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: ok({ rules: [inboxRule({ redirectTo: [WEBEX], exceptions: [{ name: 'fromAddresses', values: ['boss@contoso.com'] }] })] }) });
    expect(excepted.code).toBe('FORWARDING_RULE_CONDITIONAL');
    expect(excepted.summary).toContain('except messages matching fromAddresses (`boss@contoso.com`)');
    // An unconditional rule beside it forwards everything: pass, with the contested note.
    const both = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: ok({ rules: [limited, inboxRule({ displayName: 'All', forwardTo: [WEBEX] })] }) });
    expect(both.status).toBe('pass');
    expect(both.summary).toContain('"All"');
    expect(both.details).toMatch(/no NDR to internal senders/);
    // Mailbox forwarding of everything makes the rule irrelevant.
    expect((await run(forwarding, { mailbox: mailbox(), inboxRules: ok({ rules: [limited] }) })).status).toBe('pass');
  });

  it('names a disabled or erroring inbox rule and still fails', async () => {
    const rules = ok({ rules: [inboxRule({ displayName: 'Off rule', isEnabled: false, forwardTo: [WEBEX] }), inboxRule({ displayName: 'Broken rule', hasError: true, redirectTo: [WEBEX] })] });
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: rules });
    expect(r.code).toBe('FORWARDING_MISSING');
    expect(r.summary).toContain('Off rule');
    expect(r.details).toContain('inbox rule "Off rule" (disabled)');
    expect(r.details).toContain('inbox rule "Broken rule" (in error');
  });

  it('G8: inbox rules hidden by an application access policy → MAILBOX_ACCESS_SCOPED (warn), not FORWARDING_MISSING; a missing permission stays FORWARDING_MISSING', async () => {
    const scoped = failed<never>('MAILBOX_ACCESS_SCOPED', 'An Exchange application access policy keeps the reader app out of the mailbox.');
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: scoped });
    expect({ code: r.code, status: r.status }).toEqual({ code: 'MAILBOX_ACCESS_SCOPED', status: 'warn' });
    expect(r.summary).toContain('cannot be told');
    expectExplained(forwarding, r.code);
    const denied = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: failed('MISSING_PERMISSION', 'lacks MailboxSettings.Read') });
    expect(denied.code).toBe('FORWARDING_MISSING');
    // With mailbox forwarding set, the hidden rules do not change the pass.
    expect((await run(forwarding, { mailbox: mailbox(), inboxRules: scoped })).status).toBe('pass');
  });

  it('ignores an inbox rule that forwards elsewhere', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: ok({ rules: [inboxRule({ forwardTo: ['boss@contoso.com'] })] }) });
    expect(r.code).toBe('FORWARDING_MISSING');
  });

  it('says when inbox rules could not be read', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: failed('MISSING_PERMISSION', 'lacks MailboxSettings.Read') });
    expect(r.code).toBe('FORWARDING_MISSING');
    expect(r.details).toContain('Inbox rules were not read (MISSING_PERMISSION: lacks MailboxSettings.Read)');
  });

  it('is skipped with INPUT_MISSING without a forwarding address or mailbox', async () => {
    expect((await run(forwarding, {}, ctx(asset({ forwardingAddress: undefined })))).code).toBe('INPUT_MISSING');
    expect((await run(forwarding, {}, ctx(asset({ mailbox: '' })))).code).toBe('INPUT_MISSING');
  });

  it('names its source', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ source: 'evidence file Get-Mailbox.json' }), inboxRules: noRules });
    expect(r.details).toContain('source: evidence file Get-Mailbox.json');
  });
});
