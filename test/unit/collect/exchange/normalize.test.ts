import { describe, expect, it } from 'vitest';
import { toCasMailbox, toMailbox, toOutboundSpamPolicy, toOutboundSpamRule, toRemoteDomain, toTransportConfig, toTransportRule } from '../../../../src/collect/exchange/normalize.js';
import { bool, date, enumName, list, rows, smtpAddress, text } from '../../../../src/collect/exchange/values.js';

describe('Exchange value normalisation', () => {
  it('reads lists in every shape PowerShell and the admin API write', () => {
    expect(list(null)).toEqual([]);
    expect(list('')).toEqual([]);
    expect(list('john@contoso.com')).toEqual(['john@contoso.com']);
    expect(list(['a', null, 'b'])).toEqual(['a', 'b']);
    expect(list({ value: ['a', 'b'], Count: 2 })).toEqual(['a', 'b']);
    expect(list([{ Name: 'Contact Center' }])).toEqual(['Contact Center']);
  });

  it('reads enums as names from numbers or any-case strings, keeping unknown values', () => {
    const names = ['Enabled', 'Disabled'];
    expect(enumName(0, names)).toBe('Enabled');
    expect(enumName(1, names)).toBe('Disabled');
    expect(enumName('disabled', names)).toBe('Disabled');
    expect(enumName('1', names)).toBe('Disabled');
    expect(enumName(7, names)).toBe('7');
    expect(enumName(null, names)).toBeNull();
  });

  it('reads booleans, /Date()/ dates, proxy addresses and rich identities', () => {
    expect(bool('True')).toBe(true);
    expect(bool(false)).toBe(false);
    expect(bool(null)).toBeNull();
    expect(date('/Date(1700000000000)/')).toBe('2023-11-14T22:13:20.000Z');
    expect(date('/Date(1700000000000+0100)/')).toBe('2023-11-14T22:13:20.000Z');
    expect(smtpAddress('smtp:X@Y.com')).toBe('X@Y.com');
    expect(smtpAddress('SMTP:x@y.com')).toBe('x@y.com');
    expect(smtpAddress('x500:/o=foo')).toBeNull();
    expect(smtpAddress({ AddressString: 'x@y.com', PrefixString: 'smtp' })).toBe('x@y.com');
    expect(text({ Name: 'John', DistinguishedName: 'CN=John' })).toBe('John');
  });

  it('takes a single object, an array, {value:[…]} or nothing as the rows', () => {
    expect(rows({ Name: 'A' })).toEqual([{ Name: 'A' }]);
    expect(rows([{ Name: 'A' }, { Name: 'B' }])).toHaveLength(2);
    expect(rows({ value: [{ Name: 'A' }], '@odata.context': 'x' })).toEqual([{ Name: 'A' }]);
    expect(rows(null)).toEqual([]);
  });

  it('maps ConvertTo-Json numbers to the names the admin API gives', () => {
    expect(toOutboundSpamPolicy({ Identity: 'Default', Name: 'Default', IsDefault: true, Enabled: true, AutoForwardingMode: 1 })).toMatchObject({ autoForwardingMode: 'On', autoForwardingModeNumber: 1 });
    expect(toOutboundSpamPolicy({ Name: 'D', AutoForwardingMode: 0 }).autoForwardingMode).toBe('Automatic');
    expect(toOutboundSpamPolicy({ Name: 'D', AutoForwardingMode: 2 }).autoForwardingMode).toBe('Off');
    expect(toOutboundSpamPolicy({ Name: 'D', AutoForwardingMode: 'On' })).not.toHaveProperty('autoForwardingModeNumber');
    expect(toOutboundSpamRule({ Name: 'R', HostedOutboundSpamFilterPolicy: 'P', Priority: 0, State: 1, From: 'john@contoso.com' })).toMatchObject({ state: 'Disabled', from: ['john@contoso.com'], fromMemberOf: [] });
    const tr = toTransportRule({ Name: 'T', State: 0, Mode: 3, Priority: 2, FromScope: 0, SentToScope: 1, MessageTypeMatches: 1, DeleteMessage: false, RedirectMessageTo: null });
    expect(tr).toMatchObject({ state: 'Enabled', mode: 'Enforce', fromScope: 'InOrganization', sentToScope: 'NotInOrganization', messageTypeMatches: 'AutoForward', redirectMessageTo: [] });
    expect(toTransportRule({ Name: 'A', Mode: 1 }).mode).toBe('Audit');
    expect(toTransportRule({ Name: 'A', Mode: 2 }).mode).toBe('AuditAndNotify');
  });

  it('reads the further transport rule conditions (issue 11) and names ANY other set condition property as unknown (G16)', () => {
    const tr = toTransportRule({
      Name: 'T', StopRuleProcessing: true, SenderAddressLocation: 'Envelope', ExceptIfFromScope: 'NotInOrganization', SenderDomainIs: ['contoso.com'],
      SentToMemberOf: 'Sales', ExceptIfRecipientDomainIs: ['imiconnect.io'], SCLOver: 6, MessageSizeOver: '10 MB (10,485,760 bytes)', ExceptIfSenderIpRanges: ['10.0.0.0/8'],
      AttachmentHasExecutableContent: false, WithImportance: null, HasSenderOverride: true,
    });
    expect(tr).toMatchObject({ stopRuleProcessing: true, senderAddressLocation: 'Envelope', exceptIfFromScope: 'NotInOrganization', senderDomainIs: ['contoso.com'], sentToMemberOf: ['Sales'], exceptIfRecipientDomainIs: ['imiconnect.io'] });
    expect(tr.otherConditions).toEqual(['HasSenderOverride', 'MessageSizeOver', 'SCLOver']);
    expect(tr.otherExceptions).toEqual(['ExceptIfSenderIpRanges']);
    expect(toTransportRule({ Name: 'D' })).toMatchObject({ senderAddressLocation: 'Header', stopRuleProcessing: false, otherConditions: [] });
  });

  it('names transport rule conditions and exceptions it does not evaluate', () => {
    const tr = toTransportRule({
      Name: 'T',
      Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.MessageTypeMatchesPredicate', 'Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SubjectContainsWordsPredicate'],
      Exceptions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromPredicate', 'Microsoft.Exchange.MessagingPolicies.Rules.Tasks.HeaderContainsWordsPredicate'],
      ExceptIfFrom: ['john'],
    });
    expect(tr.otherConditions).toEqual(['SubjectContainsWords']);
    expect(tr.otherExceptions).toEqual(['ExceptIfHeaderContainsWords']);
    expect(tr.exceptIfFrom).toEqual(['john']);
  });

  it('normalises mailboxes (smtp: stripped), CAS mailboxes (null inherits), transport config, remote domains', () => {
    const m = toMailbox(
      { Identity: 'John', UserPrincipalName: 'john@contoso.com', PrimarySmtpAddress: 'john@contoso.com', ForwardingSmtpAddress: 'smtp:A41A@mail-us.imiconnect.io', ForwardingAddress: null, DeliverToMailboxAndForward: true, EmailAddresses: ['SMTP:john@contoso.com', 'smtp:j@contoso.onmicrosoft.com', 'X500:/o=x'] },
      'src',
    );
    expect(m).toMatchObject({ forwardingSmtpAddress: 'A41A@mail-us.imiconnect.io', forwardingAddress: null, deliverToMailboxAndForward: true, emailAddresses: ['john@contoso.com', 'j@contoso.onmicrosoft.com'] });
    expect(toCasMailbox({ Identity: 'John', SmtpClientAuthenticationDisabled: null }, 's').smtpClientAuthenticationDisabled).toBeNull();
    expect(toTransportConfig([{ SmtpClientAuthenticationDisabled: true }], 's').smtpClientAuthenticationDisabled).toBe(true);
    expect(toRemoteDomain({ Identity: 'Default', DomainName: '*' })).toMatchObject({ domainName: '*', autoForwardEnabled: true });
    expect(toRemoteDomain({ Name: 'X', DomainName: 'x.com', AutoForwardEnabled: false }).autoForwardEnabled).toBe(false);
  });
});
