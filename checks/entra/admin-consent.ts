import { defineCheck, finding, fromFindings, optional, type FactOutcome, type Finding, type Outcome } from '../../src/core/check.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import { appRoleAssignmentsFact } from '../../src/collect/graph/entra/consent.js';
import { exchangeResourceFact, webexServicePrincipalFact } from '../../src/collect/graph/entra/service-principals.js';
import type { AppRegistration, AppRoleAssignment, ResourceServicePrincipal, ServicePrincipal } from '../../src/collect/graph/entra/types.js';
import { userAssignmentFact, type MailboxAssignment, type UserAssignment } from '../../src/collect/graph/entra/user-assignment.js';
import { noUserMessage } from '../../src/collect/graph/entra/mailbox-user.js';
import type { FixValues } from '../../src/core/fix-values.js';
import { webexTokensFact, type WebexTokens } from '../../src/collect/identity/webex-token-fact.js';
import { explain } from './lib/explanations.js';
import { exchangeRoleId, namePermissions, REQUIRED_APP_PERMISSIONS } from './lib/permissions.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

export interface AdminConsentFacts {
  sp: ServicePrincipal | null;
  assignments: AppRoleAssignment[];
  exchange: FactOutcome<ResourceServicePrincipal | null>;
  app: FactOutcome<AppRegistration>;
  tokens: FactOutcome<WebexTokens>;
  users: FactOutcome<UserAssignment>;
}

/**
 * Configured, consented, effective (DESIGN "Configured, consented, effective"): every application
 * permission the guide requires has an appRoleAssignment (the portal's "Granted for …" column),
 * and a fresh token carries it. Also whether the enterprise app lets the mailbox user sign in at
 * all: enabled, and — with "Assignment required" — the mailbox user assigned.
 */
export default defineCheck({
  id: 'entra.admin-consent',
  title: 'Admin consent is granted',
  step: 2,
  description:
    'Every application permission the guide requires (Mail.Send on Office 365 Exchange Online) has admin consent (an appRoleAssignment, the portal\'s "Granted for …" status). ' +
    'Shows configured, consented and effective (the token\'s roles) side by side. Also checks that the enterprise application is enabled and, when "Assignment required" is on, that the mailbox user is assigned.',
  scope: 'tenant',
  needs: {
    sp: webexServicePrincipalFact,
    assignments: appRoleAssignmentsFact,
    exchange: optional(exchangeResourceFact),
    app: optional(appRegistrationFact),
    tokens: optional(webexTokensFact),
    users: optional(userAssignmentFact),
  },
  requires: requiresTokenWithoutReader,
  precondition: ({ config }) => (config.clientId ? null : finding('INPUT_MISSING', 'No client ID configured (--client-id).')),
  permissions: ['Application.Read.All', 'User.Read.All and Directory.Read.All (or GroupMember.Read.All) (only with "Assignment required")'],
  explanations: explain('ADMIN_CONSENT_MISSING', 'ROLE_NOT_IN_TOKEN', 'APP_DISABLED', 'USER_NOT_ASSIGNED', 'MAILBOX_USER_NOT_FOUND', 'APP_NOT_FOUND'),
  run(facts) {
    return evaluateAdminConsent(facts as AdminConsentFacts);
  },
});

export function evaluateAdminConsent(f: AdminConsentFacts): Outcome {
  const exchange = f.exchange.ok ? f.exchange.value : null;
  const findings: Finding[] = [];
  const notes: string[] = [];
  if (!f.app.ok && f.app.error.code === 'APP_NOT_FOUND') {
    // No registration at all: "no enterprise application" would send the admin looking for consent.
    return finding('APP_NOT_FOUND', f.app.error.message, { details: f.app.error.details, evidence: { ...f.app.error.evidence, servicePrincipal: f.sp ? f.sp.id : null } });
  }
  if (!f.sp) {
    return finding('ADMIN_CONSENT_MISSING', 'The app has no enterprise application (service principal) in the tenant: admin consent was never granted.', {
      details: 'Granting admin consent creates the enterprise application and its permission grants.',
      evidence: { servicePrincipal: null },
    });
  }
  if (!f.sp.accountEnabled) findings.push({ code: 'APP_DISABLED', message: `The enterprise application ${f.sp.displayName || f.sp.appId} is disabled ("Enabled for users to sign-in?" = No).` });

  const configured = f.app.ok ? namePermissions(f.app.value.requiredResourceAccess, exchange).filter((p) => p.type === 'Application') : null;
  const roles = f.tokens.ok && f.tokens.value.exchange.ok ? (f.tokens.value.exchange.claims?.roles ?? []) : null;
  const table: string[] = ['| Permission | Configured | Consented | In token |', '|---|---|---|---|'];
  const rows: Record<string, unknown>[] = [];
  for (const req of REQUIRED_APP_PERMISSIONS) {
    const roleId = exchangeRoleId(req.name, exchange);
    const isConfigured = configured ? configured.some((p) => p.resourceAppId === req.resourceAppId && p.name === req.name) : null;
    // (resource, role id), never the role id alone: Graph's Mail.Send has the same id as
    // Exchange Online's (G6). Without Exchange's SP id, the assignment's resource name decides.
    const consented = f.assignments.some(
      (a) => a.appRoleId === roleId && (exchange ? a.resourceId === exchange.id : a.resourceDisplayName === 'Office 365 Exchange Online'),
    );
    const inToken = roles ? roles.includes(req.name) : null;
    rows.push({ permission: req.name, resource: 'Office 365 Exchange Online', roleId, configured: isConfigured, consented, inToken });
    table.push(`| ${req.name} (Application, Office 365 Exchange Online) | ${yesNo(isConfigured)} | ${consented ? 'granted' : 'not granted'} | ${yesNo(inToken)} |`);
    if (!consented) {
      findings.push({ code: 'ADMIN_CONSENT_MISSING', message: `${req.name} (Application, Office 365 Exchange Online) is not granted admin consent.` });
      const elsewhere = f.assignments.filter((a) => a.appRoleId === roleId && (exchange ? a.resourceId !== exchange.id : a.resourceDisplayName !== 'Office 365 Exchange Online'));
      if (elsewhere.length) {
        notes.push(
          `A grant with the same role id (${roleId}) exists on ${elsewhere.map((a) => a.resourceDisplayName ?? a.resourceId).join(', ')}: that is another API's ${req.name}, not Exchange Online's. ` +
            'Role ids are unique per resource only (that Exchange Online\'s Mail.Send has the same id as Microsoft Graph\'s is observed [O]).',
        );
      }
    } else if (inToken === false) {
      findings.push({ code: 'ROLE_NOT_IN_TOKEN', message: `${req.name} is consented but missing from the roles of a fresh Exchange token (replication delay or a cached token).` });
    }
  }
  if (roles === null) notes.push('The Webex app\'s Exchange token could not be obtained, so the "In token" column is unknown (see entra.token).');
  if (configured === null) notes.push('The app registration could not be read, so the "Configured" column is unknown.');

  const evidence: Record<string, unknown> = {
    servicePrincipal: { id: f.sp.id, accountEnabled: f.sp.accountEnabled, appRoleAssignmentRequired: f.sp.appRoleAssignmentRequired },
    permissions: rows,
    consented: f.assignments.map((a) => ({ appRoleId: a.appRoleId, resource: a.resourceDisplayName ?? a.resourceId })),
    effectiveRoles: roles,
  };

  let unverified: Outcome | null = null;
  let values: FixValues = {};
  if (f.sp.appRoleAssignmentRequired) {
    if (!f.users.ok) {
      const e = f.users.error;
      unverified = finding(e.code, `"Assignment required" is on, and whether the mailbox user is assigned could not be read: ${e.message}`, {
        details: e.details,
        evidence: { ...evidence, ...(e.permission ? { missingPermission: e.permission } : {}) },
        requestIds: e.requestIds,
      });
    } else if (f.users.value.mailboxes.length === 0) {
      unverified = finding('INPUT_MISSING', '"Assignment required" is on; name the mailbox (--mailbox) to check that its user is assigned.', { evidence });
    } else {
      for (const m of f.users.value.mailboxes) {
        if (m.assigned) {
          notes.push(assignedNote(m));
          continue;
        }
        findings.push(unassigned(m));
        if (m.userId && !values['user-id']) values = { 'user-id': m.userId, 'user-principal-name': m.userPrincipalName };
      }
      evidence.assignment = f.users.value;
    }
  }
  const details = [table.join('\n'), ...notes].join('\n\n');
  if (findings.length === 0 && unverified) return { ...unverified, details: [unverified.details, details].filter(Boolean).join('\n\n') };
  if (unverified) notes.push(`Also: ${unverified.summary}`);
  return fromFindings(findings, 'Mail.Send (Application) is consented and present in the Webex app\'s token; the enterprise application is enabled.', {
    details: [table.join('\n'), ...notes].join('\n\n'),
    evidence,
    values,
  });
}

function userLabel(m: MailboxAssignment): string {
  if (!m.userPrincipalName || m.userPrincipalName.toLowerCase() === m.mailbox.toLowerCase()) return m.mailbox;
  const alias = m.matchedBy === 'proxyAddresses' ? ', found by the alias in its proxyAddresses' : '';
  return `${m.mailbox} (user ${m.userPrincipalName}${alias})`;
}

function assignedNote(m: MailboxAssignment): string {
  const how = m.via === 'direct' ? 'directly' : `through the group(s) ${m.viaGroups.join(', ')}, of which it is a direct member`;
  return `"Assignment required" is on; ${userLabel(m)} is assigned ${how}.`;
}

/** An unassigned mailbox user, said exactly: no such user, or not assigned (and why nesting does not count). */
function unassigned(m: MailboxAssignment): Finding {
  if (!m.userId) {
    return { code: 'MAILBOX_USER_NOT_FOUND', message: `"Assignment required" is on, and no user to assign: ${noUserMessage({ ...m, id: null, matchedBy: null })}` };
  }
  const base = `"Assignment required" is on and ${userLabel(m)} is not assigned to the app: its sign-in at Webex Connect would fail with AADSTS50105.`;
  if (m.nestedOnly.length === 0) return { code: 'USER_NOT_ASSIGNED', message: base };
  const nested = m.nestedOnly
    .map((n) => `${n.group}${n.through.length ? ` (the user is a direct member of ${n.through.join(', ')}, nested in it)` : ''}`)
    .join('; ');
  return {
    code: 'USER_NOT_ASSIGNED',
    message: `${base} It reaches the assigned group ${nested} only through a nested group, and assignment does not cascade to nested groups: assign the user, or a group it is a direct member of.`,
  };
}

function yesNo(v: boolean | null): string {
  return v === null ? 'unknown' : v ? 'yes' : 'no';
}
