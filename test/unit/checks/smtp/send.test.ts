import { describe, expect, it } from 'vitest';
import check from '../../../../checks/smtp/send.js';
import type { SmtpProbeSend } from '../../../../src/collect/smtp/send-fact.js';
import { ctx, MAILBOX } from './fixtures.js';

function send(over: Partial<SmtpProbeSend> = {}): SmtpProbeSend {
  return {
    mailbox: MAILBOX,
    attempted: true,
    ok: true,
    messageId: '<wxmail-probe-0123456789abcdef@wxmail.invalid>',
    serverMessageId: null,
    nonce: '0123456789abcdef',
    subject: '[wxmail probe] Webex Connect mail-flow test 0123456789abcdef',
    sentAt: '2026-11-28T10:00:01.000Z',
    response: '250 2.0.0 OK <wxmail-probe-0123456789abcdef@wxmail.invalid> [Hostname=BN9PR03MB1234.namprd03.prod.outlook.com]',
    failure: null,
    reusedSession: true,
    relogin: null,
    transcript: ['C: MAIL FROM:<john@contoso.com>'],
    durationMs: 40,
    ...over,
  };
}

const refusedAtData = (reply: string): Partial<SmtpProbeSend> => ({ ok: false, sentAt: null, response: null, failure: { stage: 'data', reply, errorCode: 'EMESSAGE', message: `Message failed: ${reply}` } });

describe('smtp.send', () => {
  it('is opt-in and follows smtp.auth', () => {
    expect(check.optIn).toBe('sendTest');
    expect(check.requires).toEqual(['smtp.auth']);
  });

  it('passes with the Message-ID the round trip will look for', async () => {
    const o = await check.run({ send: send() }, ctx());
    expect(o.code).toBeNull();
    expect(o.summary).toContain('<wxmail-probe-0123456789abcdef@wxmail.invalid>');
    expect(o.evidence).toMatchObject({ messageId: '<wxmail-probe-0123456789abcdef@wxmail.invalid>', reusedSession: true });
  });

  it.each([
    ['554 5.2.252 SendAsDenied; john@contoso.com not allowed to send as mary@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; …', 'SEND_AS_DENIED'],
    ['550 5.7.60 SMTP; Client does not have permissions to send as this sender', 'SEND_AS_DENIED'],
    ['550 5.1.8 Bad outbound sender', 'SEND_REJECTED'],
  ])('maps %s to %s', async (reply, code) => {
    const o = await check.run({ send: send(refusedAtData(reply)) }, ctx());
    expect(o.code).toBe(code);
    expect(o.summary).toContain('refused at DATA');
  });

  it('maps a refused re-login through the auth table', async () => {
    const reply = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.';
    const o = await check.run({ send: send({ ok: false, reusedSession: false, failure: { stage: 'auth', reply, errorCode: 'EAUTH', message: reply } }) }, ctx());
    expect(o.code).toBe('SMTP_AUTH_DISABLED_MAILBOX');
  });

  it('explains the send codes', () => {
    expect(check.explanations.SEND_AS_DENIED?.commands?.join(' ')).toContain('Add-MailboxPermission');
    expect(check.explanations.SEND_REJECTED).toBeDefined();
  });
});
