import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadOptions } from '../../../src/config/load.js';
import { redactor } from '../../../src/core/redact.js';
import { UsageError } from '../../../src/core/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'wxext-'));
const load = (flags: LoadOptions['flags'], env: NodeJS.ProcessEnv = {}, stdin = '') => loadConfig({ flags, env, readStdin: () => stdin, warn: () => undefined });
const ENV = { WXMAIL_EXTERNAL_SENDER_SMTP_HOST: 'smtp.example.net', WXMAIL_EXTERNAL_SENDER_USER: 'tester@example.net' };
const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error('no usage error');
};

describe('externalSender configuration (issue 11)', () => {
  it('reads host, user and the password from the environment, with the default ports; the password is registered for redaction', () => {
    const secret = 'ext-sender-pw-0a9b8c7d6e5f';
    const c = load({}, { ...ENV, WXMAIL_EXTERNAL_SENDER_PASSWORD: secret, WXMAIL_EXTERNAL_SENDER_IMAP_HOST: 'imap.example.net' });
    expect(c.externalSender).toEqual({ smtpHost: 'smtp.example.net', smtpPort: 587, user: 'tester@example.net', password: secret, imapHost: 'imap.example.net', imapPort: 993 });
    expect(redactor.text(`login ${secret}`)).not.toContain(secret);
  });

  it('takes the password or the token from a file (or stdin), flags over env', () => {
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'from-a-file-123456\n');
    expect(load({ externalSenderPasswordFile: pw, externalSenderSmtpPort: '2525' }, ENV).externalSender).toMatchObject({ password: 'from-a-file-123456', smtpPort: 2525 });
    expect(load({ externalSenderTokenFile: '-' }, ENV, 'eyJ.token.sig\n').externalSender).toMatchObject({ token: 'eyJ.token.sig' });
    expect(load({ externalSenderUser: 'other@example.org' }, { ...ENV, WXMAIL_EXTERNAL_SENDER_TOKEN: 't' }).externalSender?.user).toBe('other@example.org');
  });

  it('rejects an incomplete or contradictory sender with one line naming the field', () => {
    expect(usage(() => load({}, ENV))).toMatch(/^externalSender\.password \(--external-sender-password-file \/ WXMAIL_EXTERNAL_SENDER_PASSWORD/);
    expect(usage(() => load({}, { ...ENV, WXMAIL_EXTERNAL_SENDER_PASSWORD: 'p', WXMAIL_EXTERNAL_SENDER_TOKEN: 't' }))).toMatch(/^externalSender\.password \/ externalSender\.token: give one/);
    expect(usage(() => load({}, { WXMAIL_EXTERNAL_SENDER_SMTP_HOST: 'smtp.example.net', WXMAIL_EXTERNAL_SENDER_PASSWORD: 'p' }))).toMatch(/^externalSender\.user/);
    expect(usage(() => load({}, { ...ENV, WXMAIL_EXTERNAL_SENDER_USER: 'not-an-address', WXMAIL_EXTERNAL_SENDER_PASSWORD: 'p' }))).toMatch(/^externalSender\.user \(WXMAIL_EXTERNAL_SENDER_\*\): must be an email address/);
    expect(usage(() => load({ externalSenderPasswordFile: join(dir, 'missing') }, ENV))).toMatch(/^externalSender\.password \(--external-sender-password-file\): cannot read/);
  });

  it('is absent when nothing is given', () => {
    expect(load({}, {}).externalSender).toBeUndefined();
  });
});
