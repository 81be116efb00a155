import { defineCheck, finding, optional, pass, type FactOutcome, type Outcome } from '../../src/core/check.js';
import type { FixValues } from '../../src/core/fix-values.js';
import { consentPolicyFact, delegatedGrantsFact, type ConsentPolicy } from '../../src/collect/graph/entra/consent.js';
import { exchangeResourceFact, webexServicePrincipalFact } from '../../src/collect/graph/entra/service-principals.js';
import type { ConsentClient, DelegatedPermissionGrant, ResourceServicePrincipal, ServicePrincipal } from '../../src/collect/graph/entra/types.js';
import { evaluatePermission, neededPermissions, RECOMMENDED_POLICY } from './lib/consent-policy.js';
import { explain } from './lib/explanations.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

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
    'Webex Connect\'s "Generate Token" signs in as the mailbox user and asks for SMTP.Send (Office 365 Exchange Online) and offline_access. Passes when an admin granted them for all users (AllPrincipals), ' +
    'whatever the policy, or when the assigned permission grant policies (read from Graph and evaluated condition by condition: permission, classification, resource, publisher, home tenant) let users consent. ' +
    'Under Microsoft-managed consent (microsoft-user-default-recommended) a customer\'s own app cannot get user consent for SMTP.Send: admin consent is the fix. Only a policy that cannot be read is judged by its name, and the verdict says so.',
  scope: 'tenant',
  needs: {
    sp: webexServicePrincipalFact,
    exchange: optional(exchangeResourceFact),
    policy: optional(consentPolicyFact),
    grants: optional(delegatedGrantsFact),
  },
  requires: requiresTokenWithoutReader,
  precondition: ({ config }) => (config.clientId ? null : finding('INPUT_MISSING', 'No client ID configured (--client-id).')),
  permissions: ['Policy.Read.All (authorization policy; also reads the permission grant policies, least privilege Policy.Read.PermissionGrant)', 'Application.Read.All', 'Directory.Read.All (delegated grants; only needed when user consent is not allowed)'],
  explanations: explain('USER_CONSENT_DISABLED', 'USER_CONSENT_UNDETERMINED'),
  run(facts, { config }) {
    return evaluateUserConsent(facts as UserConsentFacts, { clientId: config.clientId, tenantId: config.tenantId });
  },
});

function has(scope: string, name: string): boolean {
  return scope.split(/\s+/).some((s) => s.toLowerCase() === name.toLowerCase());
}

export function evaluateUserConsent(f: UserConsentFacts, ids: { clientId?: string; tenantId?: string } = {}): Outcome {
  const exchange = f.exchange.ok ? f.exchange.value : null;
  const grants = f.grants.ok ? f.grants.value : null;
  const allPrincipals = grants?.filter((g) => g.consentType.toLowerCase() === 'allprincipals') ?? [];
  const covering = allPrincipals.find((g) => has(g.scope, 'SMTP.Send') && (!exchange || g.resourceId === exchange.id));
  const evidence: Record<string, unknown> = {
    allPrincipalsGrants: grants ? allPrincipals.map((g) => ({ resourceId: g.resourceId, scope: g.scope })) : null,
    permissionGrantPoliciesAssigned: f.policy.ok ? f.policy.value.permissionGrantPoliciesAssigned : null,
    appRoleAssignmentRequired: f.sp?.appRoleAssignmentRequired ?? null,
  };
  // G4: an admin grant for everyone settles it whatever the policy says.
  if (covering) {
    const offline = allPrincipals.some((g) => has(g.scope, 'offline_access'));
    return pass('An admin consented to SMTP.Send for all users (AllPrincipals grant): the mailbox user\'s sign-in needs no consent.', {
      details: offline ? undefined : 'offline_access is not in an AllPrincipals grant; users may still be asked for it unless user consent allows it.',
      evidence,
    });
  }
  const grantsNote = grants === null && !f.grants.ok ? `Delegated grants could not be read (${f.grants.error.code}: ${f.grants.error.message}).` : 'No AllPrincipals grant covers SMTP.Send.';
  const values: FixValues = {};
  if (f.policy.ok) {
    // For the "allow low-impact consent" command, which sets the whole list: keep every other entry.
    const kept = f.policy.value.permissionGrantPoliciesAssigned.filter((a) => !a.toLowerCase().startsWith('managepermissiongrantsforself.'));
    values['consent-policies'] = [...kept, 'ManagePermissionGrantsForSelf.microsoft-user-default-low'];
  }
  const adminWay = 'Admin consent for all users is the way: an AllPrincipals grant of SMTP.Send (Office 365 Exchange Online) and offline_access (Microsoft Graph) for the Webex app, see the fix.';
  // "Applications that require users to be assigned … must have their permissions consented by an administrator" (C5 [V]).
  if (f.sp?.appRoleAssignmentRequired) {
    return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', '"Assignment required" is on, so users cannot consent: an admin must grant SMTP.Send and offline_access for all users.', {
      details: `${grantsNote} ${adminWay}`,
      evidence,
      values,
    }));
  }
  if (!f.policy.ok) {
    const e = f.policy.error;
    return finding(e.code, e.message, { details: [e.details, grantsNote].filter(Boolean).join('\n\n'), evidence: { ...evidence, ...(e.permission ? { missingPermission: e.permission } : {}) }, requestIds: e.requestIds });
  }
  const consent = f.policy.value;
  if (consent.policies.length === 0) {
    return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', 'User consent is disabled ("Do not allow user consent") and no admin consented to SMTP.Send for all users.', {
      details: `${grantsNote} The mailbox user would see "Need admin approval" at Webex Connect's "Generate Token". ${adminWay}`,
      evidence,
      values,
    }));
  }
  const client: ConsentClient = {
    appId: f.sp?.appId ?? ids.clientId ?? '',
    homeTenantId: f.sp?.appOwnerOrganizationId ?? null,
    ...(f.sp && 'verifiedPublisherId' in f.sp ? { verifiedPublisherId: f.sp.verifiedPublisherId ?? null } : {}),
  };
  const thisTenant = ids.tenantId && GUID.test(ids.tenantId) ? ids.tenantId : null;
  const needed = neededPermissions({ exchangeScopes: exchange?.oauth2PermissionScopes ?? null, classifications: consent.classifications });
  const verdicts = needed.map((p) => evaluatePermission(p, consent.policies, client, thisTenant));
  evidence.policies = consent.policies.map((p) => ({ id: p.id, read: !!p.policy, ...(p.error ? { error: p.error.code, missingPermission: p.error.permission } : {}) }));
  evidence.client = { verifiedPublisherId: client.verifiedPublisherId ?? null, homeTenantId: client.homeTenantId };
  evidence.permissions = verdicts.map((v) => ({ permission: v.permission.name, resource: v.permission.resourceName, allowed: v.allowed, basis: v.basis, reasons: v.reasons }));
  if (consent.classifications) {
    evidence.lowClassified = [...consent.classifications.exchange, ...consent.classifications.graph].filter((x) => x.classification.toLowerCase() === 'low').map((x) => x.permissionName);
  }
  const unread = consent.policies.filter((p) => !p.policy);
  const fallbackNote = unread.length
    ? `Fallback: ${unread.map((p) => `policy ${p.id} could not be read (${p.error?.code ?? '?'}${p.error?.permission ? `, needs ${p.error.permission} or Policy.Read.All` : ''})`).join('; ')}, so this rests on what the doctor knows of built-in policies by their names (recommended: observed [O]).`
    : '';
  const recommendedNote = consent.policies.some((p) => p.id.toLowerCase() === RECOMMENDED_POLICY)
    ? 'Microsoft-managed consent ("Let Microsoft manage your consent settings", microsoft-user-default-recommended) lets users consent only to openid, profile, email, offline_access and User.Read of Microsoft Graph, for apps from verified publishers [O]: a customer\'s own app registration cannot get user consent for SMTP.Send.'
    : '';
  const lines = verdicts.map((v) => `- ${v.permission.name} (${v.permission.resourceName}): ${v.allowed === 'yes' ? 'allowed' : v.allowed === 'no' ? 'not allowed' : 'cannot tell'}: ${v.reasons.join('; ')}`).join('\n');
  const denied = verdicts.filter((v) => v.allowed === 'no');
  const open = verdicts.filter((v) => v.allowed === 'unknown');
  const names = consent.policies.map((p) => p.id).join(', ');
  if (denied.length === 0 && open.length === 0) {
    return pass(`Users may consent to SMTP.Send and offline_access for this app under ${names}.`, {
      details: [lines, fallbackNote].filter(Boolean).join('\n\n'),
      evidence,
    });
  }
  if (denied.length > 0) {
    const what = denied.map((v) => v.permission.name).join(' and ');
    return withGrantsCaveat(f, finding('USER_CONSENT_DISABLED', `The user-consent policy (${names}) does not let the mailbox user consent to ${what} for this app, and no admin consented for all users.`, {
      details: [recommendedNote, lines, `${grantsNote} ${adminWay}`, fallbackNote].filter(Boolean).join('\n\n'),
      evidence,
      values,
    }));
  }
  const what = open.map((v) => v.permission.name).join(' and ');
  return withGrantsCaveat(f, finding('USER_CONSENT_UNDETERMINED', `Cannot tell whether the mailbox user may consent to ${what} under ${names}, and no admin consented for all users.`, {
    details: [lines, fallbackNote, `${grantsNote} ${adminWay}`].filter(Boolean).join('\n\n'),
    evidence,
    // The fix reads the policy that left it open: this run's policy id, not an example.
    values: { ...values, 'policy-name': (unread[0] ?? consent.policies[0])?.id },
  }));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    ...(o.values ? { values: o.values } : {}),
  });
}
