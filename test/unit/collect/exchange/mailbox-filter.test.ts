import { describe, expect, it } from 'vitest';
import { emailAddressesFilter, filterChunks, isFilterableAddress, isFilterableRead, opathText, rowForAddress } from '../../../../src/collect/exchange/mailbox-filter.js';

describe('OPATH filter for a fleet of mailboxes', () => {
  it('quotes a value as OPATH does: single quotes, an inner quote doubled', () => {
    expect(opathText("o'brien@contoso.com")).toBe("'o''brien@contoso.com'");
    expect(opathText("x' -or Name -like '*")).toBe("'x'' -or Name -like ''*'");
    expect(emailAddressesFilter(['a@contoso.com', "o'brien@contoso.com"])).toBe("EmailAddresses -eq 'a@contoso.com' -or EmailAddresses -eq 'o''brien@contoso.com'");
  });

  it('only complete addresses go into a filter', () => {
    expect(isFilterableAddress('a@contoso.com')).toBe(true);
    expect(isFilterableAddress("o'brien@contoso.com")).toBe(true);
    expect(isFilterableAddress('alias')).toBe(false);
    expect(isFilterableAddress('a b@contoso.com')).toBe(false);
    expect(isFilterableAddress('a@b@contoso.com')).toBe(false);
    expect(isFilterableAddress('a\n@contoso.com')).toBe(false);
    // G21: PowerShell's tokenizer ends a single-quoted string at a curly quote too.
    expect(isFilterableAddress('o\u2019brien@contoso.com')).toBe(false);
    expect(isFilterableAddress('x\u201B@contoso.com')).toBe(false);
  });

  it('only Get-Mailbox / Get-CASMailbox by Identity alone', () => {
    expect(isFilterableRead('Get-Mailbox', { Identity: 'a@contoso.com' })).toBe(true);
    expect(isFilterableRead('get-casmailbox', { Identity: 'a@contoso.com' })).toBe(true);
    expect(isFilterableRead('Get-Recipient', { Identity: 'a@contoso.com' })).toBe(false);
    expect(isFilterableRead('Get-Mailbox', { Identity: 'a@contoso.com', ResultSize: 1 })).toBe(false);
    expect(isFilterableRead('Get-Mailbox', {})).toBe(false);
  });

  it('chunks keep order, drop case-insensitive repeats, and hold at most the chunk size', () => {
    expect(filterChunks(['a@x.com', 'B@x.com', 'b@x.com', 'c@x.com'], 2)).toEqual([['a@x.com', 'B@x.com'], ['c@x.com']]);
    expect(filterChunks([], 2)).toEqual([]);
  });

  it("finds an asset's row by primary address, proxy address or UPN, and only when exactly one row carries it", () => {
    const rows = [
      { Identity: 'a', PrimarySmtpAddress: 'a@contoso.com', EmailAddresses: ['SMTP:a@contoso.com', 'smtp:sales@contoso.com', 'SIP:sip@contoso.com'], UserPrincipalName: 'a.upn@contoso.com' },
      { Identity: 'b', PrimarySmtpAddress: 'b@contoso.com', EmailAddresses: null },
    ];
    expect(rowForAddress(rows, 'SALES@contoso.com')?.Identity).toBe('a');
    expect(rowForAddress(rows, 'a.upn@contoso.com')?.Identity).toBe('a');
    expect(rowForAddress(rows, 'b@contoso.com')?.Identity).toBe('b');
    expect(rowForAddress(rows, 'sip@contoso.com')).toBeNull();
    expect(rowForAddress([...rows, { Identity: 'b2', EmailAddresses: ['smtp:b@contoso.com'] }], 'b@contoso.com')).toBeNull();
  });
});
