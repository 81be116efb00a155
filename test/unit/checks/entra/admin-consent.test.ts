import { describe, expect, it } from 'vitest';
import { evaluateAdminConsent, type AdminConsentFacts } from '../../../../checks/entra/admin-consent.js';
import type { AppRoleAssignment } from '../../../../src/collect/graph/entra/types.js';
import type { MailboxAssignment, UserAssignment } from '../../../../src/collect/graph/entra/user-assignment.js';
import { EXO_SP, MAIL_SEND, app, err, exchangeSp, failedTokens, ok, tokens, webexSp } from './fixtures.js';

const mbx = (over: Partial<MailboxAssignment> = {}): MailboxAssignment => ({
  mailbox: 'john@contoso.com',
  userId: 'u1',
  userPrincipalName: 'john@contoso.com',
  filtersTried: [],
  assigned: false,
  via: null,
  viaGroups: [],
  nestedOnly: [],
  source: 'user-appRoleAssignments',
  ...over,
});
const required = (mailboxes: MailboxAssignment[]): UserAssignment => ({ required: true, assignments: [], mailboxes });

const assignment: AppRoleAssignment = { id: 'a', appRoleId: MAIL_SEND, resourceId: EXO_SP, resourceDisplayName: 'Office 365 Exchange Online', principalId: 'webex-sp', principalType: 'ServicePrincipal', createdDateTime: null };
const facts = (over: Partial<AdminConsentFacts> = {}): AdminConsentFacts => ({
  sp: webexSp(),
  assignments: [assignment],
  exchange: ok(exchangeSp()),
  app: ok(app()),
  tokens: ok(tokens()),
  users: ok({ required: false, assignments: [], mailboxes: [] }),
  ...over,
});

describe('entra.admin-consent', () => {
  it('passes; configured, consented and effective side by side', () => {
    const o = evaluateAdminConsent(facts());
    expect(o.code).toBeNull();
    expect(o.details).toContain('| Mail.Send (Application, Office 365 Exchange Online) | yes | granted | yes |');
    expect(o.evidence).toMatchObject({ effectiveRoles: ['Mail.Send'] });
  });
  it('ADMIN_CONSENT_MISSING without an assignment (an assignment on another resource does not count)', () => {
    expect(evaluateAdminConsent(facts({ assignments: [] })).code).toBe('ADMIN_CONSENT_MISSING');
    expect(evaluateAdminConsent(facts({ assignments: [{ ...assignment, resourceId: 'graph-sp' }] })).code).toBe('ADMIN_CONSENT_MISSING');
    expect(evaluateAdminConsent(facts({ sp: null })).code).toBe('ADMIN_CONSENT_MISSING');
  });
  it('ROLE_NOT_IN_TOKEN when consented but the token lacks the role', () => {
    const o = evaluateAdminConsent(facts({ tokens: ok(tokens({ roles: [] })) }));
    expect(o.code).toBe('ROLE_NOT_IN_TOKEN');
    expect(o.details).toContain('| granted | no |');
  });
  it('unknown effective column when the token failed, without inventing a finding', () => {
    const o = evaluateAdminConsent(facts({ tokens: ok(failedTokens('SECRET_INVALID')) }));
    expect(o.code).toBeNull();
    expect(o.details).toContain('| unknown |');
  });
  it('APP_NOT_FOUND when there is no registration at all (not "consent missing")', () => {
    expect(evaluateAdminConsent(facts({ sp: null, app: err('APP_NOT_FOUND', 'No app registration') })).code).toBe('APP_NOT_FOUND');
  });
  it('APP_DISABLED', () => {
    expect(evaluateAdminConsent(facts({ sp: webexSp({ accountEnabled: false }) })).code).toBe('APP_DISABLED');
  });
  it('USER_NOT_ASSIGNED when assignment is required and the mailbox user is not assigned', () => {
    const o = evaluateAdminConsent(facts({ sp: webexSp({ appRoleAssignmentRequired: true }), users: ok(required([mbx({ assigned: false, via: null })])) }));
    expect(o.code).toBe('USER_NOT_ASSIGNED');
    expect(o.summary).toContain('AADSTS50105');
    // The fix is filled with this user's object id (the mailbox address is not a valid -UserId, G1).
    expect(o.values).toMatchObject({ 'user-id': 'u1' });
    const assigned = evaluateAdminConsent(facts({ sp: webexSp({ appRoleAssignmentRequired: true }), users: ok(required([mbx({ assigned: true, via: 'group', viaGroups: ['Webex Mailboxes'] })])) }));
    expect(assigned.code).toBeNull();
    expect(assigned.details).toContain('through the group(s) Webex Mailboxes, of which it is a direct member');
  });
  it('G2: a user in the assigned group only through a nested group is USER_NOT_ASSIGNED, and the summary says why', () => {
    const o = evaluateAdminConsent(
      facts({
        sp: webexSp({ appRoleAssignmentRequired: true }),
        users: ok(required([mbx({ assigned: false, via: null, nestedOnly: [{ group: 'Webex Connect Users', through: ['Contact Center Mailboxes'] }] })])),
      }),
    );
    expect(o.code).toBe('USER_NOT_ASSIGNED');
    expect(o.summary).toContain('Webex Connect Users');
    expect(o.summary).toContain('Contact Center Mailboxes');
    expect(o.summary).toMatch(/does not cascade to nested groups/);
  });
  it('G1: the mailbox and its UPN are both named when they differ; a mailbox with no user is MAILBOX_USER_NOT_FOUND naming the filters', () => {
    const notUpn = evaluateAdminConsent(
      facts({ sp: webexSp({ appRoleAssignmentRequired: true }), users: ok(required([mbx({ mailbox: 'sales@fabrikam.test', userPrincipalName: 'sjones@fabrikam.onmicrosoft.test', assigned: false, via: null })])) }),
    );
    expect(notUpn.summary).toContain('sales@fabrikam.test (user sjones@fabrikam.onmicrosoft.test)');
    const none = evaluateAdminConsent(
      facts({
        sp: webexSp({ appRoleAssignmentRequired: true }),
        users: ok(required([mbx({ mailbox: 'typo@fabrikam.test', userId: null, userPrincipalName: null, assigned: false, via: null, filtersTried: ["mail eq 'typo@fabrikam.test'", "proxyAddresses/any(p:p eq 'smtp:typo@fabrikam.test')"] })])),
      }),
    );
    expect(none.code).toBe('MAILBOX_USER_NOT_FOUND');
    expect(none.summary).toContain('typo@fabrikam.test');
    expect(none.summary).toContain("proxyAddresses/any(p:p eq 'smtp:typo@fabrikam.test')");
  });
  it('G6: Mail.Send granted on another resource with the same role id is not consent, even when Exchange\'s SP is unknown', () => {
    const onGraph = { ...assignment, resourceId: 'graph-sp', resourceDisplayName: 'Microsoft Graph' };
    const o = evaluateAdminConsent(facts({ assignments: [onGraph] }));
    expect(o.code).toBe('ADMIN_CONSENT_MISSING');
    expect(o.details).toContain('exists on Microsoft Graph');
    expect(o.details).toContain('[O]');
    expect(evaluateAdminConsent(facts({ assignments: [onGraph], exchange: ok(null) })).code).toBe('ADMIN_CONSENT_MISSING');
    expect(evaluateAdminConsent(facts({ assignments: [assignment], exchange: ok(null) })).code).not.toBe('ADMIN_CONSENT_MISSING');
  });
  it('assignment unreadable: MISSING_PERMISSION naming it, unless a real finding exists', () => {
    const users = err<never>('MISSING_PERMISSION', 'lacks User.Read.All', { name: 'User.Read.All', identity: 'the reader app' });
    const o = evaluateAdminConsent(facts({ sp: webexSp({ appRoleAssignmentRequired: true }), users }));
    expect(o.code).toBe('MISSING_PERMISSION');
    expect(o.evidence).toMatchObject({ missingPermission: { name: 'User.Read.All' } });
    const real = evaluateAdminConsent(facts({ sp: webexSp({ appRoleAssignmentRequired: true }), users, assignments: [] }));
    expect(real.code).toBe('ADMIN_CONSENT_MISSING');
    expect(real.details).toContain('lacks User.Read.All');
  });
  it('assignment required without a mailbox → INPUT_MISSING', () => {
    const o = evaluateAdminConsent(facts({ sp: webexSp({ appRoleAssignmentRequired: true }), users: ok({ required: true, assignments: [], mailboxes: [] }) }));
    expect(o.code).toBe('INPUT_MISSING');
  });
});
