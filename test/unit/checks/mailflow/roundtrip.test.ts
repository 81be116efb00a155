import { describe, expect, it } from 'vitest';
import check, { evaluateRoundtrip } from '../../../../checks/mailflow/roundtrip.js';
import type { Roundtrip } from '../../../../src/collect/imap/roundtrip-fact.js';
import type { WatchResult } from '../../../../src/collect/imap/watch.js';
import { FactError } from '../../../../src/core/fact-error.js';
import { appCredential, config, ctx, delegatedCredential, MAILBOX } from '../smtp/fixtures.js';
import { transportRule } from '../exchange/facts.js';

const noReject = { rejectMessageReasonText: null, rejectMessageEnhancedStatusCode: null };

const ID = '<wxmail-probe-0123456789abcdef@wxmail.invalid>';
const FORWARDING_LINE =
  '550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)';

const notRead = { ok: false as const, error: new FactError('MISSING_PERMISSION', 'no') };

function watch(over: Partial<WatchResult> = {}): WatchResult {
  return { copy: null, ndr: null, ended: 'timeout', waitedMs: 120_000, polls: 30, scanned: 3, failure: null, ...over };
}

function trip(over: Partial<Roundtrip> = {}): Roundtrip {
  return {
    mailbox: MAILBOX,
    host: 'outlook.office365.com',
    port: 993,
    credential: appCredential({ needed: 'IMAP.AccessAsApp' }),
    attempted: true,
    probe: { messageIds: [ID], nonce: '0123456789abcdef', subject: '[wxmail probe] Webex Connect mail-flow test 0123456789abcdef', sentAt: '2026-11-28T10:00:01.000Z' },
    imapFailure: null,
    watch: watch(),
    timing: { timeoutMs: 120_000, graceMs: 15_000, pollMs: 4_000 },
    via: 'direct',
    proxy: null,
    transcript: ['C: A1 NOOP'],
    ...over,
  };
}

const copy = { uid: 7, messageId: ID, inReplyTo: null, subject: '[wxmail probe] Webex Connect mail-flow test 0123456789abcdef', from: MAILBOX, date: null };
const ndr = {
  uid: 8,
  messageId: '<ndr@x>',
  inReplyTo: ID,
  subject: 'Undeliverable: [wxmail probe] Webex Connect mail-flow test 0123456789abcdef',
  from: 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com',
  date: null,
  diagnostic: { line: FORWARDING_LINE, enhanced: '5.7.520' },
};

describe('mailflow.roundtrip', () => {
  it('is opt-in, follows smtp.send (not with an external sender, G13), and waits --roundtrip-timeout on top of the check timeout', () => {
    expect(check.optIn).toBe('sendTest');
    const requires = check.requires as (c: unknown) => string[];
    expect(requires({})).toEqual(['smtp.send']);
    expect(requires({ externalSender: { user: 'customer@fabrikam.example' } })).toEqual([]);
    const t = check.timeoutMs as (c: ReturnType<typeof config>) => number;
    expect(t(config({ checkTimeoutMs: 20_000, roundtripTimeoutMs: 60_000 }))).toBe(80_000);
  });

  it('fails with FORWARDING_NDR on a 5.7.520 bounce and names the outbound spam policy', () => {
    const o = evaluateRoundtrip(trip({ watch: watch({ copy, ndr, ended: 'ndr' }) }), true, undefined);
    expect(o.code).toBe('FORWARDING_NDR');
    expect(o.summary).toContain('5.7.520');
    expect(o.details).toContain('outbound spam filter policy');
    expect(o.evidence).toMatchObject({ ndrRule: 'external-forwarding-blocked', ended: 'ndr' });
  });

  it('quotes any other bounce as FORWARDING_NDR_OTHER, with the table meaning, and prescribes no policy', () => {
    const other = { ...ndr, diagnostic: { line: '550 5.7.708 Access denied, traffic not accepted from this IP', enhanced: '5.7.708' } };
    const o = evaluateRoundtrip(trip({ watch: watch({ ndr: other, ended: 'ndr' }) }), null, undefined);
    expect(o.code).toBe('FORWARDING_NDR_OTHER');
    expect(o.summary).toContain('550 5.7.708 Access denied, traffic not accepted from this IP');
    expect(o.details).toContain('not accept traffic from this IP');
    const hop = evaluateRoundtrip(trip({ watch: watch({ ndr: { ...ndr, diagnostic: { line: '554 5.4.14 Hop count exceeded', enhanced: '5.4.14' } }, ended: 'ndr' }) }), null, undefined);
    expect(hop.code).toBe('FORWARDING_NDR_OTHER');
    expect(JSON.stringify(check.explanations.FORWARDING_NDR_OTHER)).not.toMatch(/AutoForwardingMode|OutboundSpamFilter/);
  });

  it('attributes 5.7.1 to the mail flow rule that rejects with it, named (G14)', () => {
    const rules = [
      transportRule('Tag only', { ...noReject }),
      transportRule('Block external forwards', { rejectMessageReasonText: 'Forwarding outside is not allowed', rejectMessageEnhancedStatusCode: null }),
      transportRule('Custom code', { rejectMessageReasonText: 'No', rejectMessageEnhancedStatusCode: '5.7.950' }),
    ];
    const bounced = (line: string) => trip({ watch: watch({ copy, ndr: { ...ndr, diagnostic: { line, enhanced: null } }, ended: 'ndr' }) });
    const byCode = evaluateRoundtrip(bounced('550 5.7.1 Forwarding outside is not allowed'), true, undefined, { rules });
    expect(byCode.code).toBe('FORWARDING_NDR_TRANSPORT_RULE');
    expect(byCode.summary).toContain('mail flow rule "Block external forwards"');
    expect(byCode.values).toEqual({ 'rule-name': 'Block external forwards' });
    expect(byCode.details).toContain('Not the outbound spam policy');
    const own = evaluateRoundtrip(bounced('550 5.7.950 No'), true, undefined, { rules });
    expect(own.values).toEqual({ 'rule-name': 'Custom code' });
    // Without the rules it is still a rule's bounce, never the policy.
    const unread = evaluateRoundtrip(bounced('550 5.7.1 Delivery not authorized, message refused'), true, undefined, { rules: null });
    expect(unread.code).toBe('FORWARDING_NDR_TRANSPORT_RULE');
    expect(unread.summary).toMatch(/could not be read to name it/);
    const e = check.explanations.FORWARDING_NDR_TRANSPORT_RULE!;
    expect(e.commands?.join(' ')).toContain('-ExceptIfRecipientDomainIs');
    expect(JSON.stringify(e.commands)).not.toMatch(/AutoForwardingMode|OutboundSpamFilter/);
  });

  it('with inbox-rule forwarding a self-sent probe without NDR is ROUNDTRIP_INCONCLUSIVE, not pass (G15)', () => {
    const o = evaluateRoundtrip(trip({ watch: watch({ copy, ended: 'copy-grace', waitedMs: 16_000 }) }), true, undefined, { forwardingPath: 'inbox-rule' });
    expect(o.code).toBe('ROUNDTRIP_INCONCLUSIVE');
    expect(o.summary).toMatch(/no NDR to internal senders|sends no NDR to internal senders/);
    expect(o.details).toContain("an NDR isn't generated for internal senders");
  });

  it('passes when the copy arrived and no NDR followed, and says what it cannot see', () => {
    const o = evaluateRoundtrip(trip({ watch: watch({ copy, ended: 'copy-grace', waitedMs: 16_000 }) }), true, undefined);
    expect(o.code).toBeNull();
    expect(o.summary).toContain('Delivery inside Webex Connect cannot be seen from the tenant');
    expect(o.details).toContain('exchange.remote-domain');
    expect(o.details).toMatch(/From the mailbox.*cannot prove the same for customer mail/s);
  });

  it('is ROUNDTRIP_INCONCLUSIVE with neither copy nor NDR, pointing at silent drops', () => {
    const o = evaluateRoundtrip(trip(), true, undefined);
    expect(o.code).toBe('ROUNDTRIP_INCONCLUSIVE');
    expect(o.summary).toContain('remote domain or transport rule');
    expect(o.details).toContain('exchange.transport-rules');
  });

  it('explains instead of failing when the mailbox keeps no copy (DeliverToMailboxAndForward false)', () => {
    const o = evaluateRoundtrip(trip(), false, undefined);
    expect(o.code).toBe('ROUNDTRIP_INCONCLUSIVE');
    expect(o.summary).toContain('DeliverToMailboxAndForward is false');
    expect(o.details).toContain('This is not a failure');
  });

  it('reads DeliverToMailboxAndForward from the Exchange mailbox when it could be read', async () => {
    const mailbox = { ok: true as const, value: { deliverToMailboxAndForward: false } as never };
    const o = await check.run({ trip: trip(), mailbox, transport: notRead, inboxRules: notRead }, ctx());
    expect(o.summary).toContain('DeliverToMailboxAndForward is false');
    const unknown = await check.run({ trip: trip(), mailbox: { ok: false, error: new FactError('MISSING_PERMISSION', 'no') }, transport: notRead, inboxRules: notRead }, ctx());
    expect(unknown.summary).not.toContain('DeliverToMailboxAndForward');
    expect(unknown.code).toBe('ROUNDTRIP_INCONCLUSIVE');
  });

  it('is NOT_APPLICABLE without IMAP.AccessAsApp or a delegated token, with how to enable it', () => {
    const o = evaluateRoundtrip(
      trip({ attempted: false, watch: null, credential: appCredential({ kind: 'none', needed: 'IMAP.AccessAsApp', carriesNeeded: false, roles: ['SMTP.SendAsApp'] }) }),
      null,
      'client-id',
    );
    expect(o.code).toBe('NOT_APPLICABLE');
    expect(o.summary).toContain('no IMAP.AccessAsApp role (roles: SMTP.SendAsApp)');
    expect(o.details).toContain('IMAP.AccessAsApp');
    expect(o.details).toContain('https://outlook.office.com/IMAP.AccessAsUser.All');
  });

  it('names FullAccess / New-ServicePrincipal for "User is authenticated but not connected."', () => {
    const o = evaluateRoundtrip(
      trip({
        watch: null,
        imapFailure: { stage: 'auth', response: 'User is authenticated but not connected.', errorCode: null, message: 'Authentication failed: User is authenticated but not connected.', notConnected: true },
      }),
      null,
      undefined,
    );
    expect(o.code).toBe('ROUNDTRIP_INCONCLUSIVE');
    expect(o.summary).toContain('no FullAccess');
    expect(o.summary).toContain('New-ServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62 -ObjectId 8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14');
  });

  it('names IMAP being disabled for a delegated token that is not connected', () => {
    const o = evaluateRoundtrip(
      trip({ credential: delegatedCredential(), watch: null, imapFailure: { stage: 'auth', response: 'User is authenticated but not connected.', errorCode: null, message: 'x', notConnected: true } }),
      null,
      undefined,
    );
    expect(o.summary).toContain('-ImapEnabled $true');
  });

  it('G27: with Get-CASMailbox ImapEnabled False, "not connected" names IMAP turned off, not the service principal', () => {
    const notConnected = { stage: 'auth' as const, response: 'User is authenticated but not connected.', errorCode: null, message: 'x', notConnected: true };
    const off = evaluateRoundtrip(trip({ watch: null, imapFailure: { ...notConnected, imapEnabled: false } }), null, undefined);
    expect(off.code).toBe('ROUNDTRIP_INCONCLUSIVE');
    expect(off.summary).toContain(`IMAP is turned off for ${MAILBOX} (Get-CASMailbox ImapEnabled False)`);
    expect(off.summary).toContain(`Set-CASMailbox -Identity ${MAILBOX} -ImapEnabled $true`);
    expect(off.summary).not.toMatch(/FullAccess|New-ServicePrincipal/);
    for (const imapEnabled of [true, null]) {
      const on = evaluateRoundtrip(trip({ watch: null, imapFailure: { ...notConnected, imapEnabled } }), null, undefined);
      expect(on.summary, String(imapEnabled)).toContain('no FullAccess');
    }
  });

  it('reports an unreachable IMAP endpoint as NETWORK / TIMEOUT', () => {
    const net = evaluateRoundtrip(trip({ watch: null, imapFailure: { stage: 'connect', response: null, errorCode: 'ECONNREFUSED', message: 'refused', notConnected: false } }), null, undefined);
    expect(net.code).toBe('NETWORK');
    const slow = evaluateRoundtrip(trip({ watch: null, imapFailure: { stage: 'greeting', response: null, errorCode: 'GREETING_TIMEOUT', message: 'slow', notConnected: false } }), null, undefined);
    expect(slow.code).toBe('TIMEOUT');
  });

  it('explains both of its codes', () => {
    expect(Object.keys(check.explanations).sort()).toEqual(['FORWARDING_NDR', 'FORWARDING_NDR_OTHER', 'FORWARDING_NDR_TRANSPORT_RULE', 'ROUNDTRIP_INCONCLUSIVE']);
    expect(check.explanations.FORWARDING_NDR!.seen).toContain('5.7.520');
    expect(check.explanations.FORWARDING_NDR!.commands?.join(' ')).toContain('-AutoForwardingMode On');
  });
});
