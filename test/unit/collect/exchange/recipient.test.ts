import { describe, expect, it } from 'vitest';
import { toRecipient } from '../../../../src/collect/exchange/normalize.js';

// G12: ForwardingAddress is a recipient; a mail contact's (or mail user's) mail goes to its ExternalEmailAddress.
describe('toRecipient (Get-Recipient row)', () => {
  it('a mail contact: address = ExternalEmailAddress without SMTP:, answering to every name', () => {
    const r = toRecipient({ Identity: 'Webex inbound', Name: 'Webex inbound', Alias: 'webexin', DisplayName: 'Webex Connect', RecipientTypeDetails: 'MailContact', PrimarySmtpAddress: 'x@mail-eu.imiconnect.io', ExternalEmailAddress: 'SMTP:X@mail-eu.imiconnect.io', Guid: 'aaaa' });
    expect(r.address).toBe('X@mail-eu.imiconnect.io');
    expect(r.externalEmailAddress).toBe('X@mail-eu.imiconnect.io');
    expect(r.names).toEqual(expect.arrayContaining(['webex inbound', 'webexin', 'webex connect', 'aaaa', 'x@mail-eu.imiconnect.io']));
  });

  it('a mail user likewise; a mailbox uses PrimarySmtpAddress', () => {
    expect(toRecipient({ Name: 'mu', RecipientTypeDetails: 'MailUser', PrimarySmtpAddress: 'mu@contoso.com', ExternalEmailAddress: 'SMTP:mu@partner.example' }).address).toBe('mu@partner.example');
    expect(toRecipient({ Name: 'jane', RecipientTypeDetails: 'UserMailbox', PrimarySmtpAddress: 'jane@contoso.com', ExternalEmailAddress: null }).address).toBe('jane@contoso.com');
  });

  it('reads RecipientType when RecipientTypeDetails is absent; a non-SMTP ExternalEmailAddress is no address', () => {
    expect(toRecipient({ Name: 'c', RecipientType: 'MailContact', PrimarySmtpAddress: 'c@contoso.com', ExternalEmailAddress: 'SMTP:c@ext.example' }).address).toBe('c@ext.example');
    expect(toRecipient({ Name: 'c', RecipientTypeDetails: 'MailContact', PrimarySmtpAddress: 'c@contoso.com', ExternalEmailAddress: 'X500:/o=foo' }).address).toBe('c@contoso.com');
  });
});

describe('toCasMailbox ImapEnabled (G27)', () => {
  it('reads ImapEnabled; null when the source did not say', async () => {
    const { toCasMailbox } = await import('../../../../src/collect/exchange/normalize.js');
    expect(toCasMailbox({ Identity: 'john', ImapEnabled: false }, 's').imapEnabled).toBe(false);
    expect(toCasMailbox({ Identity: 'john', ImapEnabled: 'True' }, 's').imapEnabled).toBe(true);
    expect(toCasMailbox({ Identity: 'john' }, 's').imapEnabled).toBeNull();
  });
});
