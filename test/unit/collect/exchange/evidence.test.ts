import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode } from '../../../../src/collect/exchange/evidence-files.js';
import { casMailboxFact, exchangeMailboxFact, outboundSpamFact, remoteDomainsFact, transportConfigFact, transportRulesFact } from '../../../../src/collect/exchange/facts.js';
import { ruleGroupMembershipFact } from '../../../../src/collect/graph/mailbox/group-membership.js';
import { store } from './context.js';

const dir = mkdtempSync(join(tmpdir(), 'wxmail-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOM = '\ufeff';
// As Windows PowerShell 5.1 writes them: BOM, CRLF, enums as numbers, a one-element output as a bare object.
writeFileSync(
  join(dir, 'Get-Mailbox.json'),
  BOM +
    JSON.stringify([
      { Identity: 'Jane', UserPrincipalName: 'jane@contoso.com', PrimarySmtpAddress: 'jane@contoso.com', ForwardingSmtpAddress: null, DeliverToMailboxAndForward: false },
      { Identity: 'John', Name: 'John', UserPrincipalName: 'john@contoso.com', PrimarySmtpAddress: 'john@contoso.com', ForwardingSmtpAddress: 'smtp:a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io', ForwardingAddress: null, DeliverToMailboxAndForward: true, WhenChanged: '/Date(1700000000000)/' },
    ], null, 4).replace(/\n/g, '\r\n'),
);
writeFileSync(join(dir, 'Get-CASMailbox.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ Identity: 'John', PrimarySmtpAddress: 'john@contoso.com', SmtpClientAuthenticationDisabled: false }), 'utf16le')]));
writeFileSync(join(dir, 'Get-TransportConfig.json'), JSON.stringify({ SmtpClientAuthenticationDisabled: true }));
writeFileSync(join(dir, 'Get-HostedOutboundSpamFilterPolicy.json'), JSON.stringify([{ Identity: 'Default', Name: 'Default', IsDefault: true, Enabled: true, AutoForwardingMode: 0 }]));
writeFileSync(join(dir, 'Get-HostedOutboundSpamFilterRule.json'), ''); // no rules: ConvertTo-Json of nothing writes nothing
writeFileSync(join(dir, 'Get-RemoteDomain.json'), '{ "Identity": "Default", "DomainName": "*", "AutoForwardEnabled": true ');

describe('--exchange-evidence files', () => {
  const s = () => store({ exchangeEvidenceDir: dir });

  it('decodes UTF-8 with BOM and UTF-16 LE/BE', () => {
    expect(decode(Buffer.from(`${BOM}{}`, 'utf8'))).toBe('{}');
    expect(decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]))).toBe('{"a":1}');
    const be = Buffer.from('{}', 'utf16le').swap16();
    expect(decode(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe('{}');
  });

  it('picks the asset\'s mailbox out of Get-Mailbox.json and names the source', async () => {
    const o = await s().outcome(exchangeMailboxFact, { mailbox: 'John@Contoso.com' });
    expect(o.ok && o.value).toMatchObject({ identity: 'John', forwardingSmtpAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io', source: 'evidence file Get-Mailbox.json' });
  });

  it('matches Get-CASMailbox.json (UTF-16) through the mailbox names', async () => {
    const o = await s().outcome(casMailboxFact, { mailbox: 'john@contoso.com' });
    expect(o.ok && o.value).toMatchObject({ smtpClientAuthenticationDisabled: false, source: 'evidence file Get-CASMailbox.json' });
  });

  it('a mailbox the evidence was not collected for → INPUT_MISSING naming the ones it has', async () => {
    const o = await s().outcome(exchangeMailboxFact, { mailbox: 'bob@contoso.com' });
    expect(!o.ok && o.error.code).toBe('INPUT_MISSING');
    expect(!o.ok && o.error.details).toContain('`john@contoso.com`');
    expect(!o.ok && o.error.details).toContain('wxmail evidence-script --mailbox bob@contoso.com');
  });

  it('reads tenant facts; an empty file is an empty list; numbers become names', async () => {
    const st = s();
    const t = await st.outcome(transportConfigFact, null);
    expect(t.ok && t.value).toEqual({ smtpClientAuthenticationDisabled: true, source: 'evidence file Get-TransportConfig.json' });
    const o = await st.outcome(outboundSpamFact, null);
    expect(o.ok && o.value).toMatchObject({ policies: [{ name: 'Default', autoForwardingMode: 'Automatic', autoForwardingModeNumber: 0 }], rules: [] });
    expect(o.ok && o.value.source).toBe('evidence file Get-HostedOutboundSpamFilterPolicy.json; evidence file Get-HostedOutboundSpamFilterRule.json');
  });

  it('a missing file → INPUT_MISSING; broken JSON → UNEXPECTED_RESPONSE naming the file', async () => {
    const st = s();
    const missing = await st.outcome(transportRulesFact, null);
    expect(!missing.ok && missing.error.code).toBe('INPUT_MISSING');
    expect(!missing.ok && missing.error.message).toContain('Get-TransportRule.json');
    const broken = await st.outcome(remoteDomainsFact, null);
    expect(!broken.ok && broken.error.code).toBe('UNEXPECTED_RESPONSE');
    expect(!broken.ok && broken.error.message).toContain('Get-RemoteDomain.json');
  });

  it('asks Graph for group membership only when a rule is scoped by group (none here: no call, no token)', async () => {
    const o = await s().outcome(ruleGroupMembershipFact, { mailbox: 'john@contoso.com' });
    expect(o.ok && o.value).toEqual({ groups: [], needed: false });
  });
});
