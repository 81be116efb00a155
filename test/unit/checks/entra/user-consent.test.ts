import { describe, expect, it } from 'vitest';
import { evaluateUserConsent, type UserConsentFacts } from '../../../../checks/entra/user-consent.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import type { ConsentPolicy } from '../../../../src/collect/graph/entra/consent.js';
import { EXO_SP, err, exchangeSp, ok, webexSp } from './fixtures.js';

const policy = (assigned: string[], classifications: ConsentPolicy['classifications'] = null) => ok<ConsentPolicy>({ permissionGrantPoliciesAssigned: assigned, classifications });
const low = (name: string) => ({ id: name, classification: 'low', permissionId: name, permissionName: name });
const f = (over: Partial<UserConsentFacts> = {}): UserConsentFacts => ({
  sp: webexSp(),
  exchange: ok(exchangeSp()),
  policy: policy([]),
  grants: ok([]),
  ...over,
});

describe('entra.user-consent', () => {
  it('passes with the legacy policy (compared case-insensitively)', () => {
    expect(evaluateUserConsent(f({ policy: policy(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']) })).code).toBeNull();
    expect(evaluateUserConsent(f({ policy: policy(['managePermissionGrantsForSelf.Microsoft-User-Default-Legacy']) })).code).toBeNull();
  });
  it('passes with an AllPrincipals grant covering SMTP.Send, whatever the policy', () => {
    const grants = ok([{ id: 'g', clientId: 'webex-sp', consentType: 'AllPrincipals', principalId: null, resourceId: EXO_SP, scope: 'SMTP.Send offline_access' }]);
    expect(evaluateUserConsent(f({ grants })).code).toBeNull();
  });
  it('a Principal grant (one user) does not count', () => {
    const grants = ok([{ id: 'g', clientId: 'webex-sp', consentType: 'Principal', principalId: 'u', resourceId: EXO_SP, scope: 'SMTP.Send' }]);
    expect(evaluateUserConsent(f({ grants })).code).toBe('USER_CONSENT_DISABLED');
  });
  it('low-impact policy: pass only with SMTP.Send and offline_access classified low', () => {
    const assigned = ['ManagePermissionGrantsForSelf.microsoft-user-default-low'];
    expect(evaluateUserConsent(f({ policy: policy(assigned, { exchange: [low('SMTP.Send')], graph: [low('offline_access')] }) })).code).toBeNull();
    const o = evaluateUserConsent(f({ policy: policy(assigned, { exchange: [low('SMTP.Send')], graph: [] }) }));
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(o.summary).toContain('offline_access');
    expect(evaluateUserConsent(f({ policy: policy(assigned, { exchange: [], graph: [] }) })).summary).toContain('SMTP.Send');
  });
  it('disabled user consent → USER_CONSENT_DISABLED (warn)', () => {
    const o = evaluateUserConsent(f({ policy: policy(['ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team']) }));
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(statusOfCode('USER_CONSENT_DISABLED')).toBe('warn');
  });
  it('custom policy → warn naming it', () => {
    const o = evaluateUserConsent(f({ policy: policy(['ManagePermissionGrantsForSelf.contoso-custom']) }));
    expect(o.code).toBe('USER_CONSENT_DISABLED');
    expect(o.summary).toContain('contoso-custom');
  });
  it('"Assignment required" means only an admin can consent', () => {
    const o = evaluateUserConsent(f({ sp: webexSp({ appRoleAssignmentRequired: true }), policy: policy(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']) }));
    expect(o.code).toBe('USER_CONSENT_DISABLED');
  });
  it('unreadable grants: a pass by policy stands; a warning becomes MISSING_PERMISSION naming Directory.Read.All', () => {
    const grants = err<never>('MISSING_PERMISSION', 'lacks Directory.Read.All', { name: 'Directory.Read.All', identity: 'the reader app' });
    expect(evaluateUserConsent(f({ grants, policy: policy(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']) })).code).toBeNull();
    const o = evaluateUserConsent(f({ grants }));
    expect(o.code).toBe('MISSING_PERMISSION');
    expect(o.evidence).toMatchObject({ missingPermission: { name: 'Directory.Read.All' } });
  });
  it('unreadable policy: its error, unless a grant already settles it', () => {
    const p = err<never>('MISSING_PERMISSION', 'lacks Policy.Read.All', { name: 'Policy.Read.All', identity: 'x' });
    expect(evaluateUserConsent(f({ policy: p })).code).toBe('MISSING_PERMISSION');
  });
});
