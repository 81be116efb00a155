import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadOptions } from '../../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'wxcfg-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const load = (flags: LoadOptions['flags'], env: NodeJS.ProcessEnv = {}, stdin = '') => {
  const warnings: string[] = [];
  const config = loadConfig({ flags, env, readStdin: () => stdin, warn: (l) => warnings.push(l) });
  return { config, warnings };
};
const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
const CLIENT = '56ba9bac-67be-4bd2-b551-47258e7ead62';

describe('configuration', () => {
  it('flags > env > file > defaults', () => {
    const cfg = file('a.yaml', `tenantId: contoso.onmicrosoft.com\nclientId: ${CLIENT}\ncallbackUrl: https://file.us.webexconnect.io/callback\ncloud: usgov\n`);
    const { config } = load({ config: cfg, callbackUrl: 'https://flag.us.webexconnect.io/callback' }, { WXMAIL_TENANT_ID: TENANT, WXMAIL_CALLBACK_URL: 'https://env.us.webexconnect.io/callback' });
    expect(config.tenantId).toBe(TENANT);
    expect(config.clientId).toBe(CLIENT);
    expect(config.callbackUrl).toBe('https://flag.us.webexconnect.io/callback');
    expect(config.cloud).toBe('usgov');
    expect(config.endpoints.graph).toBe('https://graph.microsoft.us');
    expect(config.timeoutMs).toBe(60_000);
    expect(config.secretWarnDays).toBe(30);
  });

  it('--mailbox / --forwarding-address replace the file assets', () => {
    const cfg = file('b.yaml', 'assets:\n  - mailbox: a@contoso.com\n  - mailbox: b@contoso.com\n');
    expect(load({ config: cfg }).config.assets).toHaveLength(2);
    const { config } = load({ config: cfg, mailbox: 'c@contoso.com' }, { WXMAIL_FORWARDING_ADDRESS: 'x@mail-us.imiconnect.io' });
    expect(config.assets).toEqual([{ mailbox: 'c@contoso.com', forwardingAddress: 'x@mail-us.imiconnect.io' }]);
  });

  it('endpoint overrides are base URLs; the deadline grows by the round-trip timeout with --send-test', () => {
    const { config } = load({ loginUrl: 'https://127.0.0.1:8443/', smtpPort: '2525', sendTest: true, roundtripTimeout: '30' });
    expect(config.endpoints.login).toBe('https://127.0.0.1:8443');
    expect(config.endpointOverrides.login).toBe(true);
    expect(config.endpoints.smtpPort).toBe(2525);
    expect(config.endpoints.graph).toBe('https://graph.microsoft.com');
    expect(config.timeoutMs).toBe(90_000);
  });

  it('the secret comes from a file, stdin or env; a flag value warns', () => {
    expect(load({ clientSecretFile: file('s', 'abcdefghij\n') }).config.clientSecret).toBe('abcdefghij');
    expect(load({ clientSecretFile: '-' }, {}, 'fromstdin123\n').config.clientSecret).toBe('fromstdin123');
    expect(load({}, { WXMAIL_CLIENT_SECRET: 'envsecret' }).config.clientSecret).toBe('envsecret');
    const w = load({ clientSecret: 'flagsecret' });
    expect(w.warnings[0]).toMatch(/--client-secret leaves the secret in shell history/);
    expect(w.warnings[0]).not.toContain('flagsecret');
  });

  it.each([
    [{ callbackUrl: 'http://x' }, /^callbackUrl \(--callback-url\): must be an https:\/\/ URL$/],
    [{ tenantId: 'not a tenant' }, /^tenantId \(--tenant-id\): must be the tenant GUID/],
    [{ clientId: '1234' }, /^clientId \(--client-id\): must be a GUID/],
    [{ mailbox: 'john' }, /^assets\[0\]\.mailbox .*: must be an email address/],
    [{ cloud: 'mars' }, /^cloud \(--cloud\): must be one of global, usgov, usgovdod, china$/],
    [{ loginUrl: 'https://login.example.com/tenant' }, /^endpoints\.login .*: must be a base URL/],
    [{ smtpPort: '70000' }, /^endpoints\.smtpPort .*: must be a port/],
    [{ timeout: '-1' }, /^timeout \(--timeout\): must be a positive number/],
    [{ caFile: '/nonexistent/ca.pem' }, /^caFile .*: cannot read \/nonexistent\/ca.pem: ENOENT$/],
    [{ clientSecretFile: '/nonexistent' }, /^clientSecret \(--client-secret-file\): cannot read/],
    [{ readerClientId: CLIENT }, /^reader\.clientSecret .*: a reader app needs a secret or a certificate$/],
  ] as const)('rejects %o with one line naming the field', (flags, message) => {
    expect(() => load(flags as never)).toThrow(message);
  });

  it('a file with an unknown key, a bad value or a YAML syntax error names the file and field', () => {
    expect(() => load({ config: file('u.yaml', 'tenantID: x\n') })).toThrow(/config file .*u\.yaml: tenantID: unknown key/);
    expect(() => load({ config: file('v.yaml', 'endpoints:\n  smtpPort: abc\n') })).toThrow(/config file .*v\.yaml: endpoints\.smtpPort: /);
    expect(() => load({ config: file('w.yaml', 'tenantId: [unclosed\n') })).toThrow(/config file .*w\.yaml: syntax error/);
    expect(() => load({ config: join(dir, 'missing.yaml') })).toThrow(/config \(--config\): cannot read .*ENOENT/);
    expect(() => load({ config: file('x.json', `{"tenantId": "${TENANT}", "reader": {"deviceCode": true}}`) })).not.toThrow();
  });

  it('extra CA is read and kept beside the public roots (never instead of them)', () => {
    const pem = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(load({ caFile: pem }).config.extraCaPems).toHaveLength(1);
    expect(() => load({ caFile: file('notpem', 'hello') })).toThrow(/does not contain a PEM certificate/);
  });
});
