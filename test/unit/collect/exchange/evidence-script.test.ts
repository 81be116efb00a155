import { describe, expect, it } from 'vitest';
import { evidenceScript } from '../../../../src/collect/exchange/evidence-script.js';

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

  it('quotes mailboxes as PowerShell literals and writes enums as names', () => {
    expect(script).toContain("$Mailboxes = @('john@contoso.com', 'o''brien@contoso.com')");
    expect(script).toContain("@{n='AutoForwardingMode';e={[string]$_.AutoForwardingMode}}");
    expect(script).toContain("@{n='State';e={[string]$_.State}}");
    // Read-only: no cmdlet that changes Exchange (New-Item only creates the output folder).
    expect(script).not.toMatch(/\b(?:Set|New|Remove|Enable|Disable|Add)-(?!Item\b|ExchangeOnline\b)/);
  });

  it('rejects a mailbox that could inject PowerShell', () => {
    expect(() => evidenceScript({ mailboxes: ['x@y.com\nRemove-Mailbox'] })).toThrow(/mailbox/);
    expect(() => evidenceScript({ mailboxes: ['$(evil)@y.com'] })).toThrow(/mailbox/);
  });
});
