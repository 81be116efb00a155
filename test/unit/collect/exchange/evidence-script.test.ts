import { describe, expect, it } from 'vitest';
import { evidenceScript, isMailboxAddress, MailboxNotAddress } from '../../../../src/collect/exchange/evidence-script.js';

/** The mailbox list the script decodes at run time (what PowerShell's FromBase64String + -split would give). */
function decodedMailboxes(script: string): string[] {
  const m = /FromBase64String\('([A-Za-z0-9+/=]*)'\)/.exec(script);
  if (!m) throw new Error('no base64 mailbox list in the script');
  return Buffer.from(m[1]!, 'base64').toString('utf8').split('\n').filter(Boolean);
}

describe('evidenceScript', () => {
  const script = evidenceScript({ mailboxes: ['john@contoso.com', "o'brien@contoso.com"] });

  it('connects, then writes one JSON file per cmdlet with ConvertTo-Json -Depth 5 and UTF-8', () => {
    expect(script).toContain('Connect-ExchangeOnline');
    expect(script).toContain('Disconnect-ExchangeOnline');
    for (const cmdlet of ['Get-Mailbox', 'Get-CASMailbox', 'Get-TransportConfig', 'Get-HostedOutboundSpamFilterPolicy', 'Get-HostedOutboundSpamFilterRule', 'Get-RemoteDomain', 'Get-TransportRule']) {
      const line = script.split('\n').find((l) => l.includes(`'${cmdlet}.json'`));
      expect(line, cmdlet).toBeDefined();
      expect(line).toContain('| ConvertTo-Json -Depth 5 | Out-File -Encoding utf8');
      expect(line).toContain(cmdlet.startsWith('Get-Mailbox') || cmdlet === 'Get-CASMailbox' ? `${cmdlet} -Identity $_` : `${cmdlet} |`);
    }
  });

  it('requires ExchangeOnlineManagement 3.0.0 or later (G19)', () => {
    expect(script).toContain("#Requires -Modules @{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.0.0' }");
  });

  it('passes mailboxes as data (base64), never as code, and writes enums as names', () => {
    expect(decodedMailboxes(script)).toEqual(['john@contoso.com', "o'brien@contoso.com"]);
    expect(script).not.toContain("o'brien");
    expect(script).not.toContain('john@contoso.com');
    expect(script).toContain("@{n='AutoForwardingMode';e={[string]$_.AutoForwardingMode}}");
    expect(script).toContain("@{n='State';e={[string]$_.State}}");
    // Read-only: no cmdlet that changes Exchange (New-Item only creates the output folder).
    expect(script).not.toMatch(/\b(?:Set|New|Remove|Enable|Disable|Add)-(?!Item\b|ExchangeOnline\b)/);
  });

  it('rejects a value that is not an address, naming the field (usage error)', () => {
    const hostile = [
      'x@y.com\nRemove-Mailbox',
      'x@y.com\r\nRemove-Mailbox -Identity a',
      '$(Remove-Mailbox a)@y.com',
      "x@y.com'; Remove-Mailbox a; '",
      'x\u2019; Remove-Mailbox a; \u2018@y.com',
      'x\u201a@y.com',
      'x\u201b@y.com',
      'x"@y.com',
      'john',
      'a@b',
      'a@-b.com',
      'a@b.com extra',
      'a@b.com`nRemove-Mailbox',
    ];
    for (const v of hostile) {
      expect(isMailboxAddress(v), JSON.stringify(v)).toBe(false);
      expect(() => evidenceScript({ mailboxes: ['ok@contoso.com', v] }), JSON.stringify(v)).toThrow(MailboxNotAddress);
    }
    expect(() => evidenceScript({ mailboxes: ['john'] })).toThrow(/^mailbox \(--mailbox\): "john" is not an e-mail address$/);
  });

  it("addresses whose local part holds ', `, $, { } stay data: the script decodes them unchanged and never contains them", () => {
    const odd = ["o'brien@contoso.com", 'a`b@contoso.com', '$x@contoso.com', '{a}@contoso.com', "it's.me+tag@sub.contoso.com"];
    for (const v of odd) expect(isMailboxAddress(v), v).toBe(true);
    const s2 = evidenceScript({ mailboxes: odd });
    expect(decodedMailboxes(s2)).toEqual(odd);
    for (const v of odd) expect(s2).not.toContain(v);
    // Every single-quoted literal in the script is one of its own constants: none holds a tenant value.
    const literal = /FromBase64String\('([^']*)'\)/.exec(s2)![1]!;
    expect(literal).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('exports Get-Recipient for a ForwardingAddress (G12), reading the contact address too', () => {
    const line = script.split('\n').find((l) => l.includes("'Get-Recipient.json'"))!;
    expect(line).toContain('Where-Object { $_.ForwardingAddress }');
    expect(line).toContain('Get-Recipient -Identity ([string]$_.ForwardingAddress)');
    expect(line).toContain("@{n='ExternalEmailAddress';e={[string]$_.ExternalEmailAddress}}");
  });
});
