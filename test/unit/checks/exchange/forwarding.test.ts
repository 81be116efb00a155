import { describe, expect, it } from 'vitest';
import forwarding from '../../../../checks/exchange/forwarding.js';
import { asset, ctx, expectExplained, failed, inboxRule, mailbox, ok, run, WEBEX } from './facts.js';

const noRules = ok({ rules: [] });

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

  it('fails FORWARDING_OVERRIDDEN when ForwardingAddress is also set (it wins)', async () => {
    const r = await run(forwarding, { mailbox: mailbox({ forwardingAddress: 'Jane Doe' }), inboxRules: noRules });
    expect(r.code).toBe('FORWARDING_OVERRIDDEN');
    expect(r.summary).toContain('Jane Doe');
    expect(forwarding.explanations.FORWARDING_OVERRIDDEN?.commands).toContain('Set-Mailbox -Identity <mailbox> -ForwardingAddress $null');
  });

  it('passes on an enabled inbox rule that forwards or redirects to the address, with a note', async () => {
    for (const action of ['forwardTo', 'redirectTo', 'forwardAsAttachmentTo'] as const) {
      const r = await run(forwarding, { mailbox: mailbox({ forwardingSmtpAddress: null }), inboxRules: ok({ rules: [inboxRule({ [action]: [WEBEX] })] }) });
      expect(r.status).toBe('pass');
      expect(r.summary).toContain('inbox rule "To Webex"');
      expect(r.details).toMatch(/alternative/);
    }
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
