import { describe, expect, it } from 'vitest';
import check from '../../../../checks/smtp/auth.js';
import type { SmtpLogin } from '../../../../src/collect/smtp/login-fact.js';
import { appCredential, config, ctx, delegatedCredential, MAILBOX } from './fixtures.js';

function login(over: Partial<SmtpLogin> = {}): SmtpLogin {
  return {
    mailbox: MAILBOX,
    host: 'smtp.office365.com',
    port: 587,
    credential: appCredential(),
    attempted: true,
    ok: true,
    response: '235 2.7.0 Authentication successful',
    failure: null,
    via: 'direct',
    proxy: null,
    transcript: ['C: AUTH XOAUTH2 [redacted]', 'S: 235 2.7.0 Authentication successful'],
    durationMs: 80,
    ...over,
  };
}

const refused = (reply: string): Partial<SmtpLogin> => ({ ok: false, response: null, failure: { stage: 'auth', reply, errorCode: 'EAUTH', message: `Invalid login: ${reply}` } });

describe('smtp.auth', () => {
  it('passes on 235 and says which token was used', async () => {
    const o = await check.run({ login: login() }, ctx());
    expect(o.code).toBeNull();
    expect(o.summary).toContain("app-only token with SMTP.SendAsApp");
    expect(o.evidence).toMatchObject({ tokenKind: 'app', roles: expect.arrayContaining(['SMTP.SendAsApp']) });
  });

  it('is NOT_APPLICABLE without SMTP.SendAsApp or a delegated token, and says how to enable an app-only test', async () => {
    const o = await check.run({ login: login({ attempted: false, ok: false, response: null, credential: appCredential({ kind: 'none', carriesNeeded: false, roles: ['Mail.Send'] }) }) }, ctx());
    expect(o.code).toBe('NOT_APPLICABLE');
    expect(o.summary).toContain('roles: Mail.Send');
    expect(o.details).toContain('Webex Connect signs in as the mailbox user');
    expect(o.details).toContain('New-ServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62 -ObjectId 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14');
    expect(o.details).toContain(`Add-MailboxPermission -Identity ${MAILBOX} -User 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14 -AccessRights FullAccess`);
    expect(o.details).toContain('--access-token-file');
  });

  it('is INPUT_MISSING without a mailbox', () => {
    expect(check.precondition?.(ctx({}, null))?.code).toBe('INPUT_MISSING');
    expect(check.precondition?.(ctx())).toBeNull();
  });

  it.each([
    ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.', 'SMTP_AUTH_DISABLED_MAILBOX'],
    ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.', 'SMTP_AUTH_DISABLED_TENANT'],
    ["535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", 'SMTP_AUTH_BLOCKED_BY_POLICY'],
    ['535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.', 'SMTP_AUTH_BLOCKED_BY_POLICY'],
    ['535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]', 'SMTP_AUTH_FAILED'],
  ])('maps %s to %s', async (reply, code) => {
    const o = await check.run({ login: login(refused(reply)) }, ctx());
    expect(o.code).toBe(code);
    expect(o.summary).toContain(reply);
    expect(o.evidence).toMatchObject({ reply, transcript: expect.any(Array) });
  });

  it('points 5.7.3 with an app token that has SMTP.SendAsApp at the Exchange service principal and FullAccess', async () => {
    const o = await check.run({ login: login(refused('535 5.7.3 Authentication unsuccessful')) }, ctx());
    expect(o.details).toContain('Exchange Online most likely does not know the service principal');
    expect(o.details).toContain('New-ServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62 -ObjectId 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14');
    expect(o.details).toContain('FullAccess');
  });

  it('points 5.7.3 with a delegated token of another user at the wrong user', async () => {
    const o = await check.run({ login: login({ ...refused('535 5.7.3 Authentication unsuccessful'), credential: delegatedCredential({ upn: 'mary@contoso.com' }) }) }, ctx());
    expect(o.code).toBe('SMTP_AUTH_FAILED');
    expect(o.details).toContain('belongs to mary@contoso.com');
  });

  it('points 5.7.3 with a delegated token without SMTP.Send at the scope', async () => {
    const o = await check.run(
      { login: login({ ...refused('535 5.7.3 Authentication unsuccessful'), credential: delegatedCredential({ carriesNeeded: false, scopes: ['IMAP.AccessAsUser.All'] }) }) },
      ctx(),
    );
    expect(o.details).toContain('no SMTP.Send scope (scp: IMAP.AccessAsUser.All)');
  });

  it('points 5.7.3 with a Graph token at the audience', async () => {
    const o = await check.run(
      { login: login({ ...refused('535 5.7.3 Authentication unsuccessful'), credential: delegatedCredential({ audience: 'https://graph.microsoft.com' }) }) },
      ctx(),
    );
    expect(o.details).toContain('the token is for Microsoft Graph');
  });

  it('reports a temporary 4xx as UNEXPECTED_RESPONSE and a dead connection as NETWORK/TIMEOUT', async () => {
    expect((await check.run({ login: login(refused('421 4.3.2 Service not available, closing transmission channel')) }, ctx())).code).toBe('UNEXPECTED_RESPONSE');
    const net = await check.run({ login: login({ ok: false, response: null, failure: { stage: 'connect', reply: null, errorCode: 'ECONNREFUSED', message: 'refused' } }) }, ctx());
    expect(net.code).toBe('NETWORK');
    const slow = await check.run({ login: login({ ok: false, response: null, failure: { stage: 'greeting', reply: null, errorCode: 'TIMEOUT', message: 'no answer' } }) }, ctx());
    expect(slow.code).toBe('TIMEOUT');
  });

  it('needs entra.token only when it uses the app token', () => {
    const requires = check.requires as (c: ReturnType<typeof config>) => string[];
    expect(requires(config())).toEqual(['smtp.connect', 'entra.token']);
    expect(requires(config({ accessToken: 'x' }))).toEqual(['smtp.connect']);
  });

  it('explains every code the SMTP table can give it', () => {
    for (const code of ['SMTP_AUTH_DISABLED_MAILBOX', 'SMTP_AUTH_DISABLED_TENANT', 'SMTP_AUTH_BLOCKED_BY_POLICY', 'SMTP_AUTH_FAILED']) {
      expect(check.explanations[code], code).toBeDefined();
      expect(check.explanations[code]!.fix.length).toBeGreaterThan(20);
    }
    expect(check.explanations.SMTP_AUTH_DISABLED_MAILBOX!.commands).toContain('Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false');
  });
});

describe('smtp.auth and the reply table', () => {
  it('turns a send-phase row seen at login into SMTP_AUTH_FAILED (it only emits what it explains)', async () => {
    const reply = '550 5.7.60 SMTP; Client does not have permissions to send as this sender';
    const o = await check.run(
      { login: { ...login(), ok: false, response: null, failure: { stage: 'auth', reply, errorCode: 'EAUTH', message: reply } } },
      ctx(),
    );
    expect(o.code).toBe('SMTP_AUTH_FAILED');
    expect(Object.keys(check.explanations).sort()).toEqual(['SMTP_AUTH_BLOCKED_BY_POLICY', 'SMTP_AUTH_DISABLED_MAILBOX', 'SMTP_AUTH_DISABLED_TENANT', 'SMTP_AUTH_FAILED']);
  });
});
