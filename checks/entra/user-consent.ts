import { defineCheck, finding, optional, pass, type FactOutcome, type Outcome } from '../../src/core/check.js';
import { consentPolicyFact, delegatedGrantsFact, LOW_IMPACT_POLICY, selfConsentPolicies, type ConsentPolicy } from '../../src/collect/graph/entra/consent.js';
import { exchangeResourceFact, webexServicePrincipalFact } from '../../src/collect/graph/entra/service-principals.js';
import type { DelegatedPermissionGrant, PermissionClassification, ResourceServicePrincipal, ServicePrincipal } from '../../src/collect/graph/entra/types.js';
import { explain } from './lib/explanations.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

const LEGACY_POLICY = 'microsoft-user-default-legacy';

export interface UserConsentFacts {
  sp: ServicePrincipal | null;
  exchange: FactOutcome<ResourceServicePrincipal | null>;
  policy: FactOutcome<ConsentPolicy>;
  grants: FactOutcome<DelegatedPermissionGrant[]>;
}

/**
 * Webex Connect signs in *as the mailbox user* (authorization code, delegated; reference E2 [I])
 * and asks for SMTP.Send and offline_access. That sign-in succeeds only if the user may consent,
 * or an admin consented for everyone (an AllPrincipals grant, C3/C5b). The guide's note asks for
 * user consent to be allowed; a tenant that passes here lets "Generate Token" finish.
 */
export default defineCheck({
  id: 'entra.user-consent',
  title: 'The mailbox user\'s sign-in can be consented',
  step: 2,
  description:
    'Webex Connect\'s "Generate Token" signs in as the mailbox user and asks for SMTP.Send and offline_access. Passes when an admin granted them for all users (AllPrincipals), ' +
    'or when users may consent: "Allow user consent for apps" (legacy policy), or the low-impact policy with SMTP.Send and offline_access classified low. Otherwise a warning with both fixes.',
  scope: 'tenant',
  needs: {
    sp: webexServicePrincipalFact,
    exchange: optional(exchangeResourceFact),
    policy: optional(consentPolicyFact),
    grants: optional(delegatedGrantsFact),
  },
  requires: requiresTokenWithoutReader,
  precondition: ({ config }) => (config.clientId ? null : finding('INPUT_MISSING', 'No client ID configured (--client-id).')),
  permissions: ['Policy.Read.All', 'Application.Read.All', 'Directory.Read.All (delegated grants; only needed when user consent is not allowed)'],
  explanations: explain('USER_CONSENT_DISABLED', 'USER_CONSENT_UNDETERMINED'),
  run(facts) {
    return evaluateUserConsent(facts as UserConsentFacts);
  },
});

function has(scope: string, name: string): boolean {
  return scope.split(/\s+/).some((s) => s.toLowerCase() === name.toLowerCase());
}

function isLow(list: PermissionClassification[], name: string): boolean {
  return list.some((c) => c.permissionName.toLowerCase() === name.toLowerCase() && c.classification.toLowerCase() === 'low');
}

export function evaluateUserConsent(f: UserConsentFacts): Outcome {
  const exchange = f.exchange.ok ? f.exchange.value : null;
  const grants = f.grants.ok ? f.grants.value : null;
  const allPrincipals = grants?.filter((g) => g.consentType.toLowerCase() === 'allprincipals') ?? [];
  const covering = allPrincipals.find((g) => has(g.scope, 'SMTP.Send') && (!exchange || g.resourceId === exchange.id));
  const evidence: Record<string, unknown> = {
    allPrincipalsGrants: grants ? allPrincipals.map((g) => ({ resourceId: g.resourceId, scope: g.scope })) : null,
    permissionGrantPoliciesAssigned: f.policy.ok ? f.policy.value.permissionGrantPoliciesAssigned : null,
    appRoleAssignmentRequired: f.sp?.appRoleAssignmentRequired ?? null,
  };
  if (covering) {
    const offline = allPrincipals.some((g) => has(g.scope, 'offline_access'));
    return pass('An admin consented to SMTP.Send for all users (AllPrincipals grant): the mailbox user\'s sign-in needs no consent.', {
      details: offline ? undefined : 'offline_access is not in an AllPrincipals grant; users may still be asked for it unless user consent allows it.',
      evidence,
    });
  }
  const grantsNote = grants === null && !f.grants.ok ? `Delegated grants could not be read (${f.grants.error.code}: ${f.grants.error.message}).` : 'No AllPrincipals grant covers SMTP.Send.';
  // "Applications that require users to be assigned … must have their permissions consented by an administrator" (C5 [V]).
  if (f.sp?.appRoleAssignmentRequired) {
    return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', '"Assignment required" is on, so users cannot consent: an admin must grant SMTP.Send and offline_access for all users.', {
      details: grantsNote,
      evidence,
    }));
  }
  if (!f.policy.ok) {
    const e = f.policy.error;
    return finding(e.code, e.message, { details: [e.details, grantsNote].filter(Boolean).join('\n\n'), evidence: { ...evidence, ...(e.permission ? { missingPermission: e.permission } : {}) }, requestIds: e.requestIds });
  }
  const policies = selfConsentPolicies(f.policy.value.permissionGrantPoliciesAssigned);
  if (policies.includes(LEGACY_POLICY)) {
    return pass('Users may consent to apps ("Allow user consent for apps"): the mailbox user can consent to SMTP.Send and offline_access at sign-in.', { evidence });
  }
  if (policies.includes(LOW_IMPACT_POLICY)) {
    const c = f.policy.value.classifications ?? { exchange: [], graph: [] };
    evidence.lowClassified = [...c.exchange, ...c.graph].filter((x) => x.classification.toLowerCase() === 'low').map((x) => x.permissionName);
    const missing = [
      isLow(c.exchange, 'SMTP.Send') ? null : 'SMTP.Send (Office 365 Exchange Online)',
      isLow(c.exchange, 'offline_access') || isLow(c.graph, 'offline_access') ? null : 'offline_access (Microsoft Graph)',
    ].filter((x): x is string => !!x);
    if (missing.length === 0) {
      return pass('Users may consent to low-impact permissions, and SMTP.Send and offline_access are classified low (the app is registered in this tenant).', { evidence });
    }
    return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', `User consent is limited to low-impact permissions, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not classified low.`, {
      details: `${grantsNote} Fix: classify ${missing.join(' and ')} as low impact, or grant admin consent for all users.`,
      evidence,
    }));
  }
  const custom = policies.filter((p) => p !== LEGACY_POLICY && p !== LOW_IMPACT_POLICY);
  if (custom.length > 0) {
    return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', `User consent follows the custom policy ${custom.join(', ')}, which the doctor cannot evaluate.`, {
      details: `${grantsNote} Check that the policy lets users consent to SMTP.Send and offline_access for this app, or grant admin consent for all users.`,
      evidence,
    }));
  }
  return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', 'User consent is disabled ("Do not allow user consent") and no admin consented to SMTP.Send for all users.', {
    details: `${grantsNote} The mailbox user would see "Need admin approval" at Webex Connect's "Generate Token".`,
    evidence,
  }));
}

/**
 * A warning that rests on "no AllPrincipals grant" is only sound when the grants were read; when
 * they were not, the check says which permission is missing instead of guessing.
 */
function withGrantsCaveat(f: UserConsentFacts, o: Outcome): Outcome {
  if (f.grants.ok) return o;
  const e = f.grants.error;
  return finding(e.code, `${o.summary} Whether an admin consented for all users could not be read: ${e.message}`, {
    details: [e.details, o.details].filter(Boolean).join('\n\n'),
    evidence: { ...(o.evidence ?? {}), ...(e.permission ? { missingPermission: e.permission } : {}) },
    requestIds: e.requestIds,
  });
}
