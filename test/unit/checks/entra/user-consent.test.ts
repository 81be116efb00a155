import { describe, expect, it } from 'vitest';
import { evaluateUserConsent, type UserConsentFacts } from '../../../../checks/entra/user-consent.js';
import { matchConditionSet, OFFLINE_ACCESS_ID } from '../../../../checks/entra/lib/consent-policy.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import type { ConsentPolicy } from '../../../../src/collect/graph/entra/consent.js';
import type { AssignedConsentPolicy, PermissionGrantConditionSet } from '../../../../src/collect/graph/entra/types.js';
import { EXO_SP, SMTP_SEND, err, exchangeSp, ok, webexSp } from './fixtures.js';

const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const EXO = '00000002-0000-0ff1-ce00-000000000000';
const ids = { clientId: '56ba9bac-67be-4bd2-b551-47258e7ead62', tenantId: TENANT };

const set = (over: Partial<PermissionGrantConditionSet> = {}): PermissionGrantConditionSet => ({
  id: 's',
  permissionType: 'delegated',
  permissionClassification: 'all',
  resourceApplication: 'any',
  permissions: ['all'],
  clientApplicationIds: ['all'],
  clientApplicationTenantIds: ['all'],
  clientApplicationPublisherIds: ['all'],
  clientApplicationsFromVerifiedPublisherOnly: false,
  certifiedClientApplicationsOnly: false,
  ...over,
});
/** G4 [O]: the observed content of the Microsoft-managed policy (Graph basics, verified publishers only). */
const RECOMMENDED: AssignedConsentPolicy = {
  id: 'microsoft-user-default-recommended',
  policy: {
    id: 'microsoft-user-default-recommended',
    displayName: 'Microsoft managed',
    includes: [set({ resourceApplication: GRAPH, permissions: ['37f7f235-527c-4136-accd-4a02d197296e', OFFLINE_ACCESS_ID, 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'], clientApplicationsFromVerifiedPublisherOnly: true })],
    excludes: [],
  },
  error: null,
};
const unread = (id: string, code = 'MISSING_PERMISSION'): AssignedConsentPolicy => ({ id, policy: null, error: { code, message: 'no', permission: 'Policy.Read.PermissionGrant' } });
const content = (id: string, includes: PermissionGrantConditionSet[], excludes: PermissionGrantConditionSet[] = []): AssignedConsentPolicy => ({ id, policy: { id, displayName: id, includes, excludes }, error: null });

const policy = (policies: AssignedConsentPolicy[], classifications: ConsentPolicy['classifications'] = null, assigned?: string[]) =>
  ok<ConsentPolicy>({ permissionGrantPoliciesAssigned: assigned ?? policies.map((p) => `ManagePermissionGrantsForSelf.${p.id}`), policies, classifications, graphSpId: 'graph-sp' });
const low = (name: string) => ({ id: name, classification: 'low', permissionId: name === 'SMTP.Send' ? SMTP_SEND : OFFLINE_ACCESS_ID, permissionName: name });
const ownApp = webexSp({ appOwnerOrganizationId: TENANT, verifiedPublisherId: null });
const f = (over: Partial<UserConsentFacts> = {}): UserConsentFacts => ({ sp: ownApp, exchange: ok(exchangeSp()), policy: policy([]), grants: ok([]), ...over });
const adminGrant = ok([{ id: 'g', clientId: 'webex-sp', consentType: 'AllPrincipals', principalId: null, resourceId: EXO_SP, scope: 'SMTP.Send offline_access' }]);

describe('entra.user-consent: Microsoft-managed consent (G4)', () => {
  it('recommended policy + an admin grant → pass', () => {
    expect(evaluateUserConsent(f({ policy: policy([RECOMMENDED]), grants: adminGrant }), ids).code).toBeNull();
  });
  it('recommended policy, no grant → USER_CONSENT_DISABLED naming SMTP.Send, understood (never "custom"), admin consent the way', () => {
    const o = evaluateUserConsent(f({ policy: policy([RECOMMENDED]) }), ids);
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(o.summary).toContain('SMTP.Send');
    expect(o.summary).toContain('SMTP.Send and offline_access'); // an own app has no verified publisher
    expect(`${o.summary} ${o.details}`).not.toMatch(/\bcustom\b/i);
    expect(o.details).toContain('Admin consent for all users is the way');
    expect(o.details).toContain('resourceApplication');
  });
  it('the "low-impact consent" command keeps every other assigned entry (it sets the whole list)', () => {
    const assigned = ['ManagePermissionGrantsForSelf.microsoft-user-default-recommended', 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team'];
    const o = evaluateUserConsent(f({ policy: policy([RECOMMENDED], null, assigned) }), ids);
    expect(o.values?.['consent-policies']).toEqual(['ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team', 'ManagePermissionGrantsForSelf.microsoft-user-default-low']);
  });
  it('policy ids compare case-insensitively, and the recommended policy is known by name when it cannot be read [O]', () => {
    const o = evaluateUserConsent(f({ policy: policy([unread('Microsoft-User-Default-Recommended')]) }), ids);
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(o.details).toContain('Fallback');
    expect(o.details).toContain('[O]');
  });
  it('a verified publisher still gets no user consent for SMTP.Send under the recommended policy; offline_access it would', () => {
    const o = evaluateUserConsent(f({ sp: webexSp({ appOwnerOrganizationId: TENANT, verifiedPublisherId: '1234567' }), policy: policy([RECOMMENDED]) }), ids);
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    const perms = o.evidence?.permissions as { permission: string; allowed: string }[];
    expect(perms.map((p) => [p.permission, p.allowed])).toEqual([['SMTP.Send', 'no'], ['offline_access', 'yes']]);
  });
});

describe('entra.user-consent: policies evaluated by their condition sets', () => {
  it('a custom policy that allows Exchange SMTP.Send and offline_access for apps of this tenant → pass', () => {
    const custom = content('contoso-webex', [set({ resourceApplication: EXO, permissions: [SMTP_SEND] }), set({ resourceApplication: GRAPH, permissions: [OFFLINE_ACCESS_ID], clientApplicationTenantIds: [TENANT] })]);
    const o = evaluateUserConsent(f({ policy: policy([custom]) }), ids);
    expect(o.code).toBeNull();
    expect(o.summary).toContain('contoso-webex');
  });
  it('an exclude set wins over an include set', () => {
    const custom = content('contoso-webex', [set()], [set({ resourceApplication: EXO })]);
    expect(evaluateUserConsent(f({ policy: policy([custom]) }), ids).code).toBe('USER_CONSENT_DISABLED');
  });
  it('a condition the doctor cannot see (publisher not read) → USER_CONSENT_UNDETERMINED (warn), naming it', () => {
    const custom = content('contoso-verified', [set({ clientApplicationsFromVerifiedPublisherOnly: true })]);
    const o = evaluateUserConsent(f({ sp: webexSp(), policy: policy([custom]) }), ids);
    expect(o.code).toBe('USER_CONSENT_UNDETERMINED');
    expect(statusOfCode('USER_CONSENT_UNDETERMINED')).toBe('warn');
    expect(o.details).toContain('clientApplicationsFromVerifiedPublisherOnly');
  });
  it('condition sets: classification, publisher ids, home tenant', () => {
    const perm = { name: 'SMTP.Send', resourceAppId: EXO, resourceName: 'Office 365 Exchange Online', id: SMTP_SEND, adminOnly: false, classification: 'low' };
    const client = { appId: ids.clientId, homeTenantId: TENANT, verifiedPublisherId: null };
    expect(matchConditionSet(set({ permissionClassification: 'low' }), perm, client).result).toBe('yes');
    expect(matchConditionSet(set({ permissionClassification: 'low' }), { ...perm, classification: undefined }, client).result).toBe('unknown');
    expect(matchConditionSet(set({ clientApplicationPublisherIds: ['1234567'] }), perm, client).failed).toEqual(['clientApplicationPublisherIds']);
    expect(matchConditionSet(set({ clientApplicationTenantIds: ['other'] }), perm, client).result).toBe('no');
    expect(matchConditionSet(set({ permissionType: 'delegatedUserConsentable' }), { ...perm, adminOnly: true }, client).result).toBe('no');
    expect(matchConditionSet(set({ permissionType: 'application' }), perm, client).result).toBe('no');
  });
  it('several policies: one that allows is enough', () => {
    const o = evaluateUserConsent(f({ policy: policy([RECOMMENDED, content('allow-all', [set()])]) }), ids);
    expect(o.code).toBeNull();
  });
});

describe('entra.user-consent: name-based fallback and the rest', () => {
  it('legacy policy by name when unreadable passes, and says it rests on the name', () => {
    const o = evaluateUserConsent(f({ policy: policy([unread('microsoft-user-default-legacy')]) }), ids);
    expect(o.code).toBeNull();
    expect(o.details).toContain('Fallback');
  });
  it('passes with an AllPrincipals grant covering SMTP.Send, whatever the policy', () => {
    expect(evaluateUserConsent(f({ grants: adminGrant }), ids).code).toBeNull();
  });
  it('a Principal grant (one user) does not count', () => {
    const grants = ok([{ id: 'g', clientId: 'webex-sp', consentType: 'Principal', principalId: 'u', resourceId: EXO_SP, scope: 'SMTP.Send' }]);
    expect(evaluateUserConsent(f({ grants }), ids).code).toBe('USER_CONSENT_DISABLED');
  });
  it('low-impact policy by name: pass only with SMTP.Send and offline_access classified low (app of this tenant)', () => {
    const p = [unread('microsoft-user-default-low')];
    expect(evaluateUserConsent(f({ policy: policy(p, { exchange: [low('SMTP.Send')], graph: [low('offline_access')] }) }), ids).code).toBeNull();
    const o = evaluateUserConsent(f({ policy: policy(p, { exchange: [low('SMTP.Send')], graph: [] }) }), ids);
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(o.summary).toContain('offline_access');
  });
  it('disabled user consent → USER_CONSENT_DISABLED (warn)', () => {
    const o = evaluateUserConsent(f({ policy: policy([], null, ['ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team']) }), ids);
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(statusOfCode('USER_CONSENT_DISABLED')).toBe('warn');
  });
  it('an unknown policy that cannot be read → cannot tell, naming it', () => {
    const o = evaluateUserConsent(f({ policy: policy([unread('contoso-custom')]) }), ids);
    expect(o.code).toBe('USER_CONSENT_UNDETERMINED');
    expect(o.summary).toContain('contoso-custom');
    expect(o.values).toMatchObject({ 'policy-name': 'contoso-custom' });
  });
  it('"Assignment required" means only an admin can consent', () => {
    const o = evaluateUserConsent(f({ sp: webexSp({ appRoleAssignmentRequired: true }), policy: policy([unread('microsoft-user-default-legacy')]) }), ids);
    expect(o.code).toBe('USER_CONSENT_DISABLED');
  });
  it('unreadable grants: a pass by policy stands; a warning becomes MISSING_PERMISSION naming Directory.Read.All', () => {
    const grants = err<never>('MISSING_PERMISSION', 'lacks Directory.Read.All', { name: 'Directory.Read.All', identity: 'the reader app' });
    expect(evaluateUserConsent(f({ grants, policy: policy([unread('microsoft-user-default-legacy')]) }), ids).code).toBeNull();
    const o = evaluateUserConsent(f({ grants, policy: policy([RECOMMENDED]) }), ids);
    expect(o.code).toBe('MISSING_PERMISSION');
    expect(o.evidence).toMatchObject({ missingPermission: { name: 'Directory.Read.All' } });
  });
  it('unreadable authorization policy: its error', () => {
    const p = err<never>('MISSING_PERMISSION', 'lacks Policy.Read.All', { name: 'Policy.Read.All', identity: 'x' });
    expect(evaluateUserConsent(f({ policy: p }), ids).code).toBe('MISSING_PERMISSION');
  });
});
