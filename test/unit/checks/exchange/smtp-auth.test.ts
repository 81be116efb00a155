import { describe, expect, it } from 'vitest';
import smtpAuth from '../../../../checks/exchange/smtp-auth.js';
import { evidenceSource } from '../../../../src/collect/exchange/types.js';
import { asset, cas, ctx, expectExplained, failed, ok, run } from './facts.js';

const org = (disabled: boolean | null, source = 'Exchange admin API (undocumented, observed shape)') => ({ smtpClientAuthenticationDisabled: disabled, source });
const sdOff = ok({ isEnabled: false });

describe('exchange.smtp-auth', () => {
  it('fails SMTP_AUTH_DISABLED_MAILBOX when the mailbox turns it off, whatever the organisation says', async () => {
    for (const tenant of [true, false, null]) {
      const r = await run(smtpAuth, { cas: cas(true), org: org(tenant), securityDefaults: sdOff });
      expect(r.status).toBe('fail');
      expect(r.code).toBe('SMTP_AUTH_DISABLED_MAILBOX');
      expectExplained(smtpAuth, r.code);
    }
  });

  it('fails SMTP_AUTH_DISABLED_TENANT when the mailbox inherits a disabled organisation setting', async () => {
    const r = await run(smtpAuth, { cas: cas(null), org: org(true), securityDefaults: sdOff });
    expect(r.code).toBe('SMTP_AUTH_DISABLED_TENANT');
    expect(r.summary).toContain('john@contoso.com');
    expect(r.evidence).toMatchObject({ casMailboxSmtpClientAuthenticationDisabled: null, transportConfigSmtpClientAuthenticationDisabled: true });
  });

  it('passes when the mailbox enables it over a disabled organisation, calling it an intended exception', async () => {
    const r = await run(smtpAuth, { cas: cas(false), org: org(true), securityDefaults: sdOff });
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/intended exception/);
    expect(r.details).toMatch(/ScubaGear/);
  });

  it('passes when both allow it, noting the baseline wants it off tenant-wide', async () => {
    const r = await run(smtpAuth, { cas: cas(null), org: org(false), securityDefaults: sdOff });
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/off tenant-wide/);
    expect(r.details).toContain('Set-CASMailbox -Identity john@contoso.com -SmtpClientAuthenticationDisabled $false');
  });

  it('notes security defaults without failing (they block basic auth, not OAuth)', async () => {
    const r = await run(smtpAuth, { cas: cas(false), org: org(true), securityDefaults: ok({ isEnabled: true }) });
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/security defaults are on/);
    expect(r.details).toMatch(/basic/);
    const unreadable = await run(smtpAuth, { cas: cas(false), org: org(true), securityDefaults: failed('MISSING_PERMISSION', 'lacks Policy.Read.All') });
    expect(unreadable.status).toBe('pass');
    expect(unreadable.details).toMatch(/could not be read \(MISSING_PERMISSION: lacks Policy.Read.All\)/);
  });

  it('names where the verdict comes from', async () => {
    const live = await run(smtpAuth, { cas: cas(true), org: org(false), securityDefaults: sdOff });
    expect(live.details).toContain('source: Exchange admin API (undocumented, observed shape)');
    expect(live.evidence?.source).toBe('Exchange admin API (undocumented, observed shape)');
    const fromFiles = await run(smtpAuth, {
      cas: { ...cas(null), source: evidenceSource('Get-CASMailbox.json') },
      org: org(true, evidenceSource('Get-TransportConfig.json')),
      securityDefaults: sdOff,
    });
    expect(fromFiles.details).toContain('source: evidence file Get-CASMailbox.json; evidence file Get-TransportConfig.json');
  });

  it('is skipped with INPUT_MISSING without a mailbox', async () => {
    const r = await run(smtpAuth, {}, ctx(asset({ mailbox: undefined })));
    expect(r.code).toBe('INPUT_MISSING');
    expect(r.status).toBe('skip');
  });

  it('remediation names the guide path, Set-CASMailbox and why a per-mailbox exception', () => {
    for (const code of ['SMTP_AUTH_DISABLED_MAILBOX', 'SMTP_AUTH_DISABLED_TENANT']) {
      const e = smtpAuth.explanations[code]!;
      expect(e.portal?.join()).toContain('Users → Active users → the user → Mail → Manage email apps → Authenticated SMTP');
      expect(e.commands).toContain('Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false');
      expect(e.fix).toMatch(/intended exception/);
      expect(e.fix).toMatch(/CIS/);
      expect(e.seen).toContain('5.7.139');
      expect(e.step).toBe(3);
    }
    expect(smtpAuth.explanations.MISSING_PERMISSION?.fix).toMatch(/--reader-client-id.*evidence-script/s);
  });
});
