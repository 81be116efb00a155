import { describe, expect, it } from 'vitest';
import { diagnoseSmtpReply } from '../../../../src/collect/errors/smtp.js';
import { REPLY } from '../../../../src/simulator/smtp/replies.js';

// G28 [O]: three replies with their own cause, in THE table.
describe('SMTP reply table: G28 rows', () => {
  it('535 5.7.139 … the user credentials were incorrect → SMTP_AUTH_FAILED (credentials), not a policy', () => {
    const d = diagnoseSmtpReply('535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [SN4PR0201CA0001.namprd02.prod.outlook.com]', 'auth');
    expect(d).toMatchObject({ reason: 'SMTP_AUTH_FAILED', rule: 'credentials-incorrect', narrows: true });
    expect(d.meaning).toMatch(/not a policy/);
    // The policy lines of 5.7.139 keep their code.
    expect(diagnoseSmtpReply('535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.', 'auth').reason).toBe('SMTP_AUTH_BLOCKED_BY_POLICY');
    expect(diagnoseSmtpReply('535 5.7.139 Authentication unsuccessful, something new', 'auth').reason).toBe('SMTP_AUTH_BLOCKED_BY_POLICY');
  });

  it('430 4.2.0 STOREDRV mailbox logon failure → SMTP_AUTH_FAILED naming FullAccess and the service principal, at AUTH or after DATA', () => {
    for (const phase of ['auth', 'send'] as const) {
      const d = diagnoseSmtpReply('430 4.2.0 STOREDRV; mailbox logon failure; Cannot open mailbox /o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=abc-desk. [Hostname=AM0PR01MB0001.eurprd01.prod.exchangelabs.com]', phase);
      expect(d, phase).toMatchObject({ reason: 'SMTP_AUTH_FAILED', rule: 'mailbox-logon-failure' });
      expect(d.causes.join(' ')).toContain('FullAccess');
      expect(d.causes.join(' ')).toContain('New-ServicePrincipal');
    }
    // Another 4xx stays "temporary".
    expect(diagnoseSmtpReply('451 4.7.500 Server busy. Please try again later.', 'send').reason).toBe('UNEXPECTED_RESPONSE');
  });

  it('432 4.3.2 Concurrent connections limit exceeded → THROTTLED; 421 4.3.2 Service not available stays temporary', () => {
    const d = diagnoseSmtpReply('432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information. [Hostname=BY5PR00MB0001.namprd00.prod.outlook.com]', 'auth');
    expect(d).toMatchObject({ reason: 'THROTTLED', rule: 'concurrent-connections' });
    expect(diagnoseSmtpReply('421 4.3.2 Service not available, closing transmission channel', 'auth').reason).toBe('UNEXPECTED_RESPONSE');
  });

  it("the simulator's replies are the lines the table knows", () => {
    expect(diagnoseSmtpReply(`535 ${REPLY.credentialsIncorrect}`, 'auth').rule).toBe('credentials-incorrect');
    expect(diagnoseSmtpReply(`432 ${REPLY.concurrentConnections}`, 'auth').rule).toBe('concurrent-connections');
    expect(diagnoseSmtpReply(`430 ${REPLY.mailboxLogonFailure('desk@support.fabrikam.net')}`, 'send').rule).toBe('mailbox-logon-failure');
  });
});
