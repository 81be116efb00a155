import { describe, expect, it } from 'vitest';
import { configFixValues, fillPlaceholders, psLiteral } from '../../../src/core/fix-values.js';
import { remediationOf } from '../../../src/core/explanation.js';

describe('fix placeholders', () => {
  it('fills the run values it knows and leaves the others visible', () => {
    const values = configFixValues({ clientId: 'c1d2', tenantId: 'fabrikam.com' }, { mailbox: 'support@fabrikam.com', forwardingAddress: 'ab12@mail-eu.webexconnect.io' });
    expect(fillPlaceholders('Set-Mailbox -Identity <mailbox> -ForwardingSmtpAddress <forwarding-address> # <object-id>', values)).toBe(
      'Set-Mailbox -Identity support@fabrikam.com -ForwardingSmtpAddress ab12@mail-eu.webexconnect.io # <object-id>',
    );
    expect(fillPlaceholders('-ExceptIfRecipientDomainIs <forwarding-domain>', values)).toBe('-ExceptIfRecipientDomainIs mail-eu.webexconnect.io');
    expect(fillPlaceholders('<your organization>', values)).toBe('<your organization>');
  });

  it('quotes a tenant string that is not a plain token, doubling every quote PowerShell honours', () => {
    expect(fillPlaceholders('Set-TransportRule -Identity <rule-name>', { 'rule-name': "Block ’em; Remove-Item C:\\ -Recurse" })).toBe(
      "Set-TransportRule -Identity 'Block ’’em; Remove-Item C:\\ -Recurse'",
    );
    expect(psLiteral("o'brien\u001b[2J")).toBe("'o''brien[2J'");
  });

  it('writes a list as PowerShell literals for @(…), each quoted, quotes doubled; an empty list stays visible', () => {
    expect(fillPlaceholders('@(<redirect-uris>)', { 'redirect-uris': ['https://a.fabrikam.example/cb', "https://b.fabrikam.example/o'k"] })).toBe(
      "@('https://a.fabrikam.example/cb', 'https://b.fabrikam.example/o''k')",
    );
    expect(fillPlaceholders('@(<redirect-uris>)', { 'redirect-uris': [] })).toBe('@(<redirect-uris>)');
  });

  it('fills a remediation from an explanation entry', () => {
    const r = remediationOf(
      { title: 't', seen: 's', cause: 'c', confirm: 'c', fix: 'Forward <mailbox>.', portal: ['Exchange admin center → <mailbox>'], commands: ['Get-Mailbox <mailbox>'] },
      { mailbox: 'a@b.example' },
    );
    expect(r).toEqual({ text: 'Forward a@b.example.', portal: ['Exchange admin center → a@b.example'], commands: ['Get-Mailbox a@b.example'], links: [] });
  });
});
