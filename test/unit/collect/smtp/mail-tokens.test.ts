import { describe, expect, it } from 'vitest';
import { chooseMailToken, type MailTokens } from '../../../../src/collect/smtp/mail-tokens.js';

const app = (roles: string[]): MailTokens => ({
  delegated: null,
  app: { kind: 'app', token: 'app-token', claims: { aud: 'https://outlook.office365.com', appid: 'app-1', oid: 'sp-1', roles, idtyp: 'app' } },
});

describe('chooseMailToken', () => {
  it('uses the app token when it carries the protocol role', () => {
    const r = chooseMailToken(app(['SMTP.SendAsApp']), 'smtp');
    expect(r.token?.kind).toBe('app');
    expect(r.summary).toMatchObject({ kind: 'app', needed: 'SMTP.SendAsApp', carriesNeeded: true, appId: 'app-1', servicePrincipalId: 'sp-1' });
  });

  it('has no token when the app lacks the role, and says what it carries', () => {
    const r = chooseMailToken(app(['Mail.Send', 'SMTP.SendAsApp']), 'imap');
    expect(r.token).toBeNull();
    expect(r.summary).toMatchObject({ kind: 'none', needed: 'IMAP.AccessAsApp', carriesNeeded: false, roles: ['Mail.Send', 'SMTP.SendAsApp'] });
  });

  it('prefers a delegated token and checks its scope', () => {
    const tokens: MailTokens = { delegated: { kind: 'delegated', token: 't', claims: { scp: 'SMTP.Send offline_access', upn: 'john@contoso.com' } }, app: null };
    expect(chooseMailToken(tokens, 'smtp').summary).toMatchObject({ kind: 'delegated', carriesNeeded: true, upn: 'john@contoso.com', servicePrincipalId: null });
    expect(chooseMailToken(tokens, 'imap').summary).toMatchObject({ kind: 'delegated', needed: 'IMAP.AccessAsUser.All', carriesNeeded: false });
  });

  it('cannot judge an opaque delegated token', () => {
    const tokens: MailTokens = { delegated: { kind: 'delegated', token: 'opaque', claims: {} }, app: null };
    expect(chooseMailToken(tokens, 'smtp').summary.carriesNeeded).toBeNull();
  });
});
