import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** `wxmail explain` finds the entry from what the user saw (issue 12, item 1), through the built CLI. */
describe('wxmail explain by what the user saw', () => {
  it('AADSTS7000222 and 7000222 find the expired-secret entry', async () => {
    for (const topic of ['AADSTS7000222', '7000222']) {
      const r = await runCli(['explain', topic]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^SECRET_EXPIRED \(fail\)/);
      expect(r.stdout).toContain('AADSTS7000222: The provided client secret keys');
    }
  });

  it('5.7.139 lists the SMTP AUTH entries; the full reply line picks one', async () => {
    const status = await runCli(['explain', '5.7.139']);
    expect(status.code).toBe(0);
    for (const code of ['SMTP_AUTH_DISABLED_MAILBOX', 'SMTP_AUTH_DISABLED_TENANT', 'SMTP_AUTH_BLOCKED_BY_POLICY']) expect(status.stdout).toContain(code);
    const line = await runCli(['explain', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant']);
    expect(line.stdout).toMatch(/^SMTP_AUTH_DISABLED_TENANT \(fail\)/);
  });

  it('a pasted 5.7.520 bounce finds the forwarding entry, quoted or as separate words', async () => {
    const text = '550 5.7.520 Access denied, Your organization does not allow external forwarding';
    for (const args of [[text], text.split(' ')]) {
      const r = await runCli(['explain', ...args]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^FORWARDING_NDR \(fail\)/);
      expect(r.stdout).toContain('AUTOFORWARD_BLOCKED_POLICY');
    }
  });

  it('an unknown AADSTS number gets the generic entry with Microsoft\'s lookup link; a typo gets a suggestion, exit 2', async () => {
    const generic = await runCli(['explain', 'AADSTS90055']);
    expect(generic.code).toBe(0);
    expect(generic.stdout).toContain('https://login.microsoftonline.com/error?code=90055');
    const typo = await runCli(['explain', 'smtp-auth']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean exchange\.smtp-auth/);
  });

  it('--list shows every entry by step', async () => {
    const r = await runCli(['explain', '--list']);
    expect(r.code).toBe(0);
    const steps = [...r.stdout.matchAll(/^(Step \d|Any step)/gm)].map((m) => m[1]);
    expect(steps).toEqual(['Step 1', 'Step 2', 'Step 3', 'Step 4', 'Any step']);
    expect(r.stdout.indexOf('CALLBACK_URL_INVALID')).toBeLessThan(r.stdout.indexOf('SECRET_EXPIRED'));
    expect(r.stdout).toMatch(/^ {2}MISSING_PERMISSION +skip/m);
  });
});
