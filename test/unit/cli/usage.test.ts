import { describe, expect, it } from 'vitest';
import { closest, usageLine } from '../../../src/cli/usage-messages.js';
import { missingInput } from '../../../src/cli/preflight.js';
import { defaultRunConfig } from '../../../src/config/defaults.js';
import { shapeProblem } from '../../../src/collect/exchange/evidence-files.js';

const OPTIONS = ['tenant-id', 'client-id', 'client-secret-file', 'mailbox', 'cloud', 'format', 'output', 'timeout'];
const COMMANDS = ['doctor', 'checks', 'explain', 'report', 'diff', 'simulate'];

describe('usage messages (issue 13 item 4)', () => {
  it('did you mean: synonyms, prefixes and typos', () => {
    expect(closest('tenant', OPTIONS)).toBe('tenant-id');
    expect(closest('app-id', OPTIONS)).toBe('client-id');
    expect(closest('mailbx', OPTIONS)).toBe('mailbox');
    expect(closest('doctr', COMMANDS)).toBe('doctor');
    expect(closest('zzzzzz', OPTIONS)).toBeUndefined();
  });
  it('choices name the option and list them', () => {
    const line = usageLine('Invalid values:\n  Argument: cloud, Given: "mars", Choices: "global", "usgov"', OPTIONS, COMMANDS, ['doctor', '--cloud', 'mars']);
    expect(line).toBe('cloud (--cloud): "mars" is not one of global, usgov');
  });
  it('an unknown first word is a mistyped command; an unknown flag an option', () => {
    expect(usageLine('Unknown argument: doctr', OPTIONS, COMMANDS, ['doctr'])).toMatch(/unknown command doctr \(did you mean doctor\?\)/);
    expect(usageLine('Unknown arguments: app-id, appId', OPTIONS, COMMANDS, ['doctor', '--app-id', 'x'])).toBe('unknown option --app-id (did you mean --client-id?) (see --help)');
  });
});

describe('missing inputs before the run (issue 13 item 3)', () => {
  const base = () => defaultRunConfig({ clientId: '0f47778c-61c2-4b0a-8e94-3f05e737a1dd', tenantId: 'contoso.onmicrosoft.com' });
  it('no secret: named when a selected check signs in, not for webex checks', () => {
    expect(missingInput(base(), ['entra.token'], { offline: false })).toMatch(/WXMAIL_CLIENT_SECRET.*--client-secret-file/);
    expect(missingInput(base(), ['webex.callback-url', 'webex.forwarding-address'], { offline: false })).toBeNull();
    expect(missingInput(base(), ['entra.token'], { offline: true })).toBeNull();
  });
  it('no mailbox: named for mailbox checks only', () => {
    const c = { ...base(), clientSecret: 'abc~secret-value' };
    expect(missingInput(c, ['exchange.forwarding'], { offline: false })).toMatch(/^mailbox \(--mailbox \/ WXMAIL_MAILBOX\): exchange\.forwarding/);
    expect(missingInput(c, ['entra.token', 'smtp.send'], { offline: false })).toBeNull();
  });
  it('an evidence folder that does not exist', () => {
    const c = { ...base(), clientSecret: 'abc~secret-value', assets: [{ mailbox: 'john@contoso.com' }], exchangeEvidenceDir: '/nonexistent/wxmail-evidence' };
    expect(missingInput(c, ['exchange.smtp-auth'], { offline: false })).toMatch(/exchangeEvidence.*ENOENT/);
    expect(missingInput(c, ['entra.token'], { offline: false })).toBeNull();
  });
});

describe('evidence file shapes (issue 8 item 3)', () => {
  const cas = { Identity: 'john', PrimarySmtpAddress: 'john@contoso.com', SmtpClientAuthenticationDisabled: false };
  it.each([
    ['null', null],
    ['a string', 'x'],
    ['a number list', [1, 2]],
    ['[{}]', [{}]],
    ['too deep', JSON.parse(`${'['.repeat(40)}{}${']'.repeat(40)}`)],
  ])('%s is not Get-CASMailbox output', (_n, doc) => expect(shapeProblem('Get-CASMailbox', doc)).not.toBeNull());
  it("another cmdlet's output is told apart", () => {
    expect(shapeProblem('Get-CASMailbox', cas)).toBeNull();
    expect(shapeProblem('Get-TransportConfig', cas)).toMatch(/PrimarySmtpAddress/);
    expect(shapeProblem('Get-Mailbox', cas)).toMatch(/none of/);
    expect(shapeProblem('Get-TransportConfig', { SmtpClientAuthenticationDisabled: true })).toBeNull();
  });
});

describe('files from others load no code (issue 8 item 1: scenario files)', () => {
  it('a scenario naming a plugin, an endpoint or a CA is rejected, not honoured', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadScenario } = await import('../../../src/simulator/scenario/load.js');
    const dir = mkdtempSync(join(tmpdir(), 'wxscn-'));
    for (const key of ['plugins: [./evil.mjs]', 'endpoints: { login: "https://evil.example" }', 'caFile: /tmp/evil.pem']) {
      const file = join(dir, `s${key.length}.yaml`);
      writeFileSync(file, `extends: healthy\nname: s\ndescription: d\n${key}\n`);
      expect(() => loadScenario(file)).toThrow(/unrecognized|unknown|Unrecognized/i);
    }
  });
});
