import { describe, expect, it } from 'vitest';
import { diagnoseSmtpReply, parseSmtpReply, SMTP_REPLY_TABLE } from '../../../../src/collect/errors/smtp.js';
import { statusOfCode } from '../../../../src/core/codes.js';

// The reply lines of reference/microsoft-365.md B4, verbatim.
const B4 = {
  authUnsuccessful: '535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]',
  tenantDisabled:
    '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
  mailboxDisabled: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled …',
  securityDefaults: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
  criteria: '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.',
  basicAuth: '535 5.7.139 Authentication unsuccessful, basic authentication is disabled',
  notAuthenticated: '530 5.7.57 Client not authenticated to send mail.',
  sendAs5760: '550 5.7.60 SMTP; Client does not have permissions to send as this sender',
  sendAsDenied:
    '554 5.2.252 SendAsDenied; a@x not allowed to send as b@x; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; …',
  sendAsOld: '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message',
  throttled: '550 5.2.254 Sender throttled due to continuous too many recipients errors',
  tenantThreshold: '550 5.7.705 Access denied, tenant has exceeded threshold',
  ipBlocked: '550 5.7.708 Access denied, traffic not accepted from this IP',
  badSender: '550 5.1.8 Bad outbound sender',
  forwarding:
    '550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)',
};

describe('SMTP reply table (reference B4 lines)', () => {
  it.each([
    ['authUnsuccessful', 'auth', 'SMTP_AUTH_FAILED', 'auth-unsuccessful'],
    ['tenantDisabled', 'auth', 'SMTP_AUTH_DISABLED_TENANT', 'smtp-auth-disabled-tenant'],
    ['mailboxDisabled', 'auth', 'SMTP_AUTH_DISABLED_MAILBOX', 'smtp-auth-disabled-mailbox'],
    ['securityDefaults', 'auth', 'SMTP_AUTH_BLOCKED_BY_POLICY', 'security-defaults'],
    ['criteria', 'auth', 'SMTP_AUTH_BLOCKED_BY_POLICY', 'did-not-meet-criteria'],
    ['basicAuth', 'auth', 'SMTP_AUTH_BLOCKED_BY_POLICY', 'basic-auth-disabled'],
    ['notAuthenticated', 'send', 'SMTP_AUTH_FAILED', 'client-not-authenticated'],
    ['sendAs5760', 'send', 'SEND_AS_DENIED', 'send-as-no-permission'],
    ['sendAsDenied', 'send', 'SEND_AS_DENIED', 'send-as-denied'],
    ['sendAsOld', 'send', 'SEND_AS_DENIED', 'send-as-denied-storedrv'],
    ['throttled', 'send', 'SEND_REJECTED', 'continuous-error-throttling'],
    ['tenantThreshold', 'send', 'SEND_REJECTED', 'tenant-threshold'],
    ['ipBlocked', 'send', 'SEND_REJECTED', 'ip-not-accepted'],
    ['badSender', 'send', 'SEND_REJECTED', 'bad-outbound-sender'],
    ['forwarding', 'ndr', 'FORWARDING_NDR', 'external-forwarding-blocked'],
  ] as const)('%s → %s', (key, phase, code, rule) => {
    const d = diagnoseSmtpReply(B4[key], phase);
    expect(d.reason).toBe(code);
    expect(d.rule).toBe(rule);
  });

  it('matches 5.7.139 on keywords, whatever the casing or the trailing server name', () => {
    const line = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is DISABLED FOR THE MAILBOX. Visit https://aka.ms/smtp_auth_disabled for more information. [BN9PR03CA0123.namprd03.prod.outlook.com]';
    expect(diagnoseSmtpReply(line, 'auth').reason).toBe('SMTP_AUTH_DISABLED_MAILBOX');
    expect(diagnoseSmtpReply('535 5.7.139 Authentication unsuccessful, something new', 'auth').reason).toBe('SMTP_AUTH_BLOCKED_BY_POLICY');
  });

  it('finds the enhanced code inside an NDR sentence', () => {
    const d = diagnoseSmtpReply(`Remote Server returned '${B4.forwarding}'`, 'ndr');
    expect(d.reason).toBe('FORWARDING_NDR');
    expect(d.reply.enhanced).toBe('5.7.520');
  });

  it('5.7.1 and 5.7.9xx in an NDR are a mail flow rule\'s reject (G14); in a live reply 5.7.1 is not', () => {
    expect(diagnoseSmtpReply("Remote Server returned '550 5.7.1 Delivery not authorized, message refused'", 'ndr')).toMatchObject({ reason: 'FORWARDING_NDR_TRANSPORT_RULE', rule: 'transport-rule-rejected' });
    expect(diagnoseSmtpReply('550 5.7.950 Blocked by policy', 'ndr')).toMatchObject({ reason: 'FORWARDING_NDR_TRANSPORT_RULE', rule: 'transport-rule-custom-status' });
    expect(diagnoseSmtpReply('550 5.7.1 Service unavailable, Client host blocked', 'send')).toMatchObject({ reason: 'SEND_REJECTED', rule: 'fallback-send' });
  });

  it('falls back per phase for lines it does not know', () => {
    expect(diagnoseSmtpReply('535 5.7.8 Error: authentication failed', 'auth')).toMatchObject({ reason: 'SMTP_AUTH_FAILED', rule: 'fallback-auth' });
    expect(diagnoseSmtpReply('550 5.1.10 RESOLVER.ADR.RecipientNotFound', 'send')).toMatchObject({ reason: 'SEND_REJECTED', rule: 'fallback-send' });
    expect(diagnoseSmtpReply('421 4.3.2 Service not available, closing transmission channel', 'auth').reason).toBe('UNEXPECTED_RESPONSE');
    expect(diagnoseSmtpReply('554 5.4.14 Hop count exceeded', 'ndr').reason).toBe('FORWARDING_NDR');
  });

  it('gives 5.7.3 its usual causes', () => {
    expect(diagnoseSmtpReply(B4.authUnsuccessful, 'auth').causes.join(' ')).toMatch(/SMTP\.SendAsApp.*New-ServicePrincipal.*FullAccess/s);
  });

  it('parses the reply code and the enhanced code', () => {
    expect(parseSmtpReply(B4.criteria)).toMatchObject({ basic: 535, enhanced: '5.7.139' });
    expect(parseSmtpReply('250-first\n250 2.0.0 OK')).toMatchObject({ basic: 250, enhanced: null, text: 'first OK' });
    expect(parseSmtpReply('no code here')).toMatchObject({ basic: null, enhanced: null });
  });

  it('only produces codes with a fixed status', () => {
    for (const rule of SMTP_REPLY_TABLE) expect(statusOfCode(rule.reason), rule.id).toBeDefined();
    expect(statusOfCode('SEND_REJECTED')).toBe('fail');
  });
});
