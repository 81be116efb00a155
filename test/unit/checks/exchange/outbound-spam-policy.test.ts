import { describe, expect, it } from 'vitest';
import outboundSpamPolicy from '../../../../checks/exchange/outbound-spam-policy.js';
import { domainCovers } from '../../../../checks/exchange/lib/outbound-policy.js';
import { asset, ctx, failed, groups, mailbox, ok, outbound, policy, rule, run, expectExplained } from './facts.js';

const CONTACT_CENTER = { id: '7b6a5f4e-3d2c-4b1a-9f0e-8d7c6b5a4f3e', displayName: 'Contact Center Mailboxes', mail: 'cc@contoso.com', mailNickname: 'ContactCenter' };
const noGroups = groups();
const run1 = (settings: ReturnType<typeof outbound>, g = noGroups, mbx = mailbox()) => run(outboundSpamPolicy, { mailbox: mbx, outbound: settings, groups: g });

describe('exchange.outbound-spam-policy', () => {
  it('default policy Automatic blocks (Automatic = Off now)', async () => {
    const r = await run1(outbound([policy('Default', 'Automatic')]));
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(r.summary).toContain('the default policy');
    expect(r.details).toMatch(/same as Off/);
    expectExplained(outboundSpamPolicy, r.code);
  });

  it('default policy Off blocks; On passes with a baseline note', async () => {
    expect((await run1(outbound([policy('Default', 'Off')]))).code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    const on = await run1(outbound([policy('Default', 'On')]));
    expect(on.status).toBe('pass');
    expect(on.details).toMatch(/MS\.EXO\.1\.1v2/);
  });

  it('a custom policy scoped with From = the mailbox applies over the default', async () => {
    const r = await run1(outbound([policy('Default', 'Automatic'), policy('Webex', 'On')], [rule('Webex', { from: ['john@contoso.com'] })]));
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('"Webex"');
    expect(r.details).toMatch(/intended per-mailbox exception/);
  });

  it('From matches the mailbox by alias, name or proxy address, case-insensitively', async () => {
    for (const from of ['JOHN', 'John', 'john@contoso.onmicrosoft.com']) {
      const r = await run1(outbound([policy('Default', 'Off'), policy('Webex', 'On')], [rule('Webex', { from: [from] })]));
      expect(r.status, from).toBe('pass');
    }
  });

  it('takes the first matching rule in priority order (0 = highest)', async () => {
    const settings = outbound(
      [policy('Default', 'On'), policy('Allow', 'On'), policy('Block', 'Off')],
      [rule('Allow', { priority: 1, from: ['john@contoso.com'] }), rule('Block', { priority: 0, senderDomainIs: ['contoso.com'] })],
    );
    const r = await run1(settings);
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(r.summary).toContain('"Block"');
    expect(r.evidence?.rules).toEqual([expect.objectContaining({ name: 'Block', applies: 'yes' })]);
  });

  it('skips disabled rules and names them', async () => {
    const r = await run1(outbound([policy('Default', 'Automatic'), policy('Webex', 'On')], [rule('Webex', { from: ['john@contoso.com'], state: 'Disabled' })]));
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(r.summary).toContain('the default policy');
    expect(r.details).toContain('rule "Webex" (priority 0, policy "Webex"): not considered — State Disabled');
  });

  it('an exception (ExceptIfFrom / ExceptIfSenderDomainIs / ExceptIfFromMemberOf) makes the rule not apply', async () => {
    const base = [policy('Default', 'Off'), policy('Webex', 'On')];
    const cases = [
      rule('Webex', { senderDomainIs: ['contoso.com'], exceptIfFrom: ['john@contoso.com'] }),
      rule('Webex', { senderDomainIs: ['contoso.com'], exceptIfSenderDomainIs: ['contoso.com'] }),
      rule('Webex', { senderDomainIs: ['contoso.com'], exceptIfFromMemberOf: ['Contact Center Mailboxes'] }),
    ];
    for (const c of cases) {
      const r = await run1(outbound(base, [c]), groups(CONTACT_CENTER));
      expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
      expect(r.details).toMatch(/excepted by ExceptIf/);
    }
  });

  it('SenderDomainIs matches the primary SMTP domain', async () => {
    const base = [policy('Default', 'Off'), policy('Webex', 'On')];
    expect((await run1(outbound(base, [rule('Webex', { senderDomainIs: ['Contoso.com'] })]))).status).toBe('pass');
    expect((await run1(outbound(base, [rule('Webex', { senderDomainIs: ['fabrikam.com'] })]))).code).toBe('AUTOFORWARD_BLOCKED_POLICY');
  });

  it('SenderDomainIs and ExceptIfSenderDomainIs include subdomains (G11): sales.contoso.com is covered by contoso.com', async () => {
    const base = [policy('Default', 'Off'), policy('Webex', 'On')];
    const sub = 'agent@sales.contoso.com';
    const m = mailbox({ primarySmtpAddress: sub, userPrincipalName: sub, emailAddresses: [sub] });
    const runSub = (rules: ReturnType<typeof rule>[]) => run(outboundSpamPolicy, { mailbox: m, outbound: outbound(base, rules), groups: ok({ groups: [], needed: false }) }, ctx(asset({ mailbox: sub })));
    const covered = await runSub([rule('Webex', { senderDomainIs: ['contoso.com'] })]);
    expect(covered.status).toBe('pass');
    expect(covered.details).toContain('subdomains included, so sales.contoso.com is covered');
    // A parent is not covered by its subdomain, nor a look-alike suffix.
    expect((await runSub([rule('Webex', { senderDomainIs: ['eu.sales.contoso.com'] })])).code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect((await runSub([rule('Webex', { senderDomainIs: ['les.contoso.com'] })])).code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    const excepted = await runSub([rule('Webex', { from: [sub], exceptIfSenderDomainIs: ['CONTOSO.com'] })]);
    expect(excepted.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(excepted.details).toContain('excepted by ExceptIfSenderDomainIs (CONTOSO.com)');
  });

  it('domainCovers: exact, subdomain, not parent or look-alike', () => {
    expect(domainCovers('contoso.com', 'contoso.com')).toBe(true);
    expect(domainCovers('contoso.com', 'a.b.contoso.com')).toBe(true);
    expect(domainCovers('a.contoso.com', 'contoso.com')).toBe(false);
    expect(domainCovers('contoso.com', 'notcontoso.com')).toBe(false);
    expect(domainCovers('', 'contoso.com')).toBe(false);
  });

  it('a group Graph returned with only its id (limited information, G3) makes FromMemberOf unresolved, never "does not apply"', async () => {
    const limitedGroup = { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: null, mail: null, mailNickname: null };
    const limited = ok({ groups: [limitedGroup], needed: true });
    const r = await run1(outbound([policy('Default', 'Automatic'), policy('Webex', 'On')], [rule('Webex', { fromMemberOf: ['Contact Center Mailboxes'] })]), limited);
    expect(r.code).toBe('OUTBOUND_POLICY_UNRESOLVED');
    expect(r.status).toBe('warn');
    expect(r.details).toContain('came back with only their id');
    expect(r.details).toContain('GroupMember.Read.All');
    expect(r.details).not.toContain('does not apply');
    expect(r.evidence).toMatchObject({ unresolvedGroups: ['Contact Center Mailboxes'], limitedGroups: 1 });
    expect(r.values).toMatchObject({ 'rule-name': 'Webex' });
    // With every group readable and none matching, the rule does not apply.
    const readable = await run1(outbound([policy('Default', 'Automatic'), policy('Webex', 'On')], [rule('Webex', { fromMemberOf: ['Contact Center Mailboxes'] })]), groups({ id: 'x', displayName: 'Sales' }));
    expect(readable.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    // A readable group that matches decides even when another came back limited.
    const both = ok({ groups: [limitedGroup, { id: 'y', displayName: 'Contact Center Mailboxes', mail: null, mailNickname: null }], needed: true });
    expect((await run1(outbound([policy('Default', 'Automatic'), policy('Webex', 'On')], [rule('Webex', { fromMemberOf: ['Contact Center Mailboxes'] })]), both)).status).toBe('pass');
  });

  it('all condition kinds must match (From matches, SenderDomainIs does not → rule does not apply)', async () => {
    const r = await run1(outbound([policy('Default', 'Off'), policy('Webex', 'On')], [rule('Webex', { from: ['john@contoso.com'], senderDomainIs: ['fabrikam.com'] })]));
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(r.details).toContain('SenderDomainIs (fabrikam.com) does not match');
  });

  it('resolves FromMemberOf through group membership by display name, alias, mail or id', async () => {
    const base = [policy('Default', 'Automatic'), policy('Webex', 'On')];
    for (const ref of ['Contact Center Mailboxes', 'contactcenter', 'CC@contoso.com', CONTACT_CENTER.id]) {
      const r = await run1(outbound(base, [rule('Webex', { fromMemberOf: [ref] })]), groups(CONTACT_CENTER));
      expect(r.status, ref).toBe('pass');
    }
    const notMember = await run1(outbound(base, [rule('Webex', { fromMemberOf: ['Sales'] })]), groups(CONTACT_CENTER));
    expect(notMember.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
  });

  it('warns OUTBOUND_POLICY_UNRESOLVED naming the group when membership cannot be read and the candidates disagree', async () => {
    const r = await run1(outbound([policy('Default', 'Automatic'), policy('Webex', 'On')], [rule('Webex', { fromMemberOf: ['Contact Center Mailboxes'] })]), failed());
    expect(r.code).toBe('OUTBOUND_POLICY_UNRESOLVED');
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('`Contact Center Mailboxes`');
    expect(r.details).toContain('GroupMember.Read.All');
    expect(r.evidence?.unresolvedGroups).toEqual(['Contact Center Mailboxes']);
    expectExplained(outboundSpamPolicy, r.code);
  });

  it('decides anyway when every candidate agrees', async () => {
    const allOn = await run1(outbound([policy('Default', 'On'), policy('Webex', 'On')], [rule('Webex', { fromMemberOf: ['Contact Center Mailboxes'] })]), failed());
    expect(allOn.status).toBe('pass');
    const allOff = await run1(outbound([policy('Default', 'Off'), policy('Webex', 'Automatic')], [rule('Webex', { fromMemberOf: ['Contact Center Mailboxes'] })]), failed());
    expect(allOff.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
  });

  it('an unresolvable rule does not matter when a higher-priority rule decides', async () => {
    const r = await run1(
      outbound([policy('Default', 'Off'), policy('Webex', 'On'), policy('Group', 'Off')], [rule('Webex', { priority: 0, from: ['john'] }), rule('Group', { priority: 1, fromMemberOf: ['X'] })]),
      failed(),
    );
    expect(r.status).toBe('pass');
  });

  it('says when a number was read for AutoForwardingMode', async () => {
    const r = await run1(outbound([policy('Default', 'Off', { autoForwardingModeNumber: 2 })]));
    expect(r.details).toMatch(/assumed numbering Automatic = 0, On = 1, Off = 2/);
  });

  it('does not consider a rule whose policy is missing, the default, or has Enabled False', async () => {
    const ghost = await run1(outbound([policy('Default', 'Off')], [rule('Ghost', { from: ['john'] })]));
    expect(ghost.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(ghost.details).toContain('its policy "Ghost" is not in Get-HostedOutboundSpamFilterPolicy');
    const off = await run1(outbound([policy('Default', 'Off'), policy('Webex', 'On', { enabled: false })], [rule('Webex', { from: ['john'] })]));
    expect(off.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(off.details).toContain('has Enabled False');
    const def = await run1(outbound([policy('Default', 'Off')], [rule('D', { policy: 'Default', from: ['john'] })]));
    expect(def.details).toContain('names the default policy');
  });

  it('a rule without conditions applies to nobody', async () => {
    const r = await run1(outbound([policy('Default', 'Off'), policy('Webex', 'On')], [rule('Webex')]));
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(r.details).toMatch(/applies to nobody/);
  });

  it('without any default policy in the output, takes the default as blocking', async () => {
    const r = await run1(outbound([]));
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_POLICY');
    expect(r.details).toMatch(/No default policy/);
  });

  it('fix: custom policy scoped to the mailbox, Defender path and the two cmdlets, baseline exception', () => {
    const e = outboundSpamPolicy.explanations.AUTOFORWARD_BLOCKED_POLICY!;
    expect(e.portal?.[0]).toContain('Microsoft Defender portal → Email & collaboration → Policies & rules → Threat policies → Anti-spam policies → Create policy → Outbound');
    expect(e.commands?.[0]).toMatch(/^New-HostedOutboundSpamFilterPolicy -Name .* -AutoForwardingMode On$/);
    expect(e.commands?.[1]).toMatch(/^New-HostedOutboundSpamFilterRule -Name .* -HostedOutboundSpamFilterPolicy .* -From <mailbox>/);
    expect(e.fix).toMatch(/MS\.EXO\.1\.1v2/);
    expect(e.fix).toMatch(/rather than/);
    expect(e.seen).toContain('5.7.520');
  });
});
