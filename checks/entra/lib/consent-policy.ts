/**
 * Evaluates permission grant policies (G4) against what the mailbox user must consent to at
 * Webex Connect's "Generate Token": delegated SMTP.Send on Office 365 Exchange Online and
 * offline_access (Microsoft Graph). Pure: facts in, a three-valued answer out.
 *
 * Semantics (Graph `permissionGrantPolicy` / `permissionGrantConditionSet` [V]): a grant matches a
 * condition set when every condition holds; a policy allows it when it matches an include set
 * and no exclude set. Users may consent when one of their assigned self-consent policies allows
 * it. A condition that depends on what the doctor cannot see is "unknown", never a guess.
 */
import type { AssignedConsentPolicy, ConsentClient, PermissionClassification, PermissionGrantConditionSet } from '../../../src/collect/graph/entra/types.js';
import { EXCHANGE_APP_ID, GRAPH_APP_ID } from '../../../src/collect/graph/entra/types.js';

export type Tri = 'yes' | 'no' | 'unknown';

/** Microsoft Graph's `offline_access` delegated permission id [V] (Graph permissions reference). */
export const OFFLINE_ACCESS_ID = '7427e0e9-2fba-42fe-b0c0-848c9e6a8182';

/** Today's Microsoft-managed default (G4 [O], MC1097272). */
export const RECOMMENDED_POLICY = 'microsoft-user-default-recommended';
export const LEGACY_POLICY = 'microsoft-user-default-legacy';
export const LOW_POLICY = 'microsoft-user-default-low';

/** A delegated permission the mailbox user is asked for. */
export interface NeededPermission {
  name: string;
  resourceAppId: string;
  resourceName: string;
  /** Permission id on the resource; null when the resource could not be read. */
  id: string | null;
  /** The resource marks it admin-only (`type: Admin`); null when unknown. */
  adminOnly: boolean | null;
  /** Its classification (low/medium/high); null = not classified; undefined = classifications not read. */
  classification?: string | null;
}

export interface PermissionVerdict {
  permission: NeededPermission;
  allowed: Tri;
  /** Why, in plain words (which policy and condition). */
  reasons: string[];
  /** Rests on the policy's content, or only on knowledge of a built-in policy by its name (fallback). */
  basis: 'policy' | 'name';
}

const isAll = (list: string[]) => list.some((x) => x.toLowerCase() === 'all');
const has = (list: string[], v: string) => list.some((x) => x.toLowerCase() === v.toLowerCase());

/** What a consent for `perm` by `client` looks like to one condition set. */
export function matchConditionSet(set: PermissionGrantConditionSet, perm: NeededPermission, client: ConsentClient): { result: Tri; failed: string[]; unknown: string[] } {
  const failed: string[] = [];
  const unknown: string[] = [];
  const check = (name: string, r: Tri) => {
    if (r === 'no') failed.push(name);
    else if (r === 'unknown') unknown.push(name);
  };
  const type = set.permissionType?.toLowerCase() ?? null;
  check(
    `permissionType ${set.permissionType ?? '(none)'}`,
    type === 'delegated' ? 'yes' : type === 'delegateduserconsentable' ? (perm.adminOnly === null ? 'unknown' : perm.adminOnly ? 'no' : 'yes') : type === 'application' ? 'no' : 'unknown',
  );
  const cls = set.permissionClassification.toLowerCase();
  check(
    `permissionClassification ${set.permissionClassification}`,
    cls === 'all' ? 'yes' : perm.classification === undefined ? 'unknown' : perm.classification?.toLowerCase() === cls ? 'yes' : 'no',
  );
  const res = set.resourceApplication.toLowerCase();
  check(`resourceApplication ${set.resourceApplication}`, res === 'any' || res === perm.resourceAppId.toLowerCase() ? 'yes' : 'no');
  check(`permissions`, isAll(set.permissions) ? 'yes' : perm.id === null ? 'unknown' : has(set.permissions, perm.id) ? 'yes' : 'no');
  check(`clientApplicationIds`, isAll(set.clientApplicationIds) || has(set.clientApplicationIds, client.appId) ? 'yes' : 'no');
  check(
    `clientApplicationTenantIds`,
    isAll(set.clientApplicationTenantIds) ? 'yes' : client.homeTenantId ? (has(set.clientApplicationTenantIds, client.homeTenantId) ? 'yes' : 'no') : 'unknown',
  );
  const publisher = client.verifiedPublisherId;
  check(
    `clientApplicationPublisherIds`,
    isAll(set.clientApplicationPublisherIds) ? 'yes' : publisher === undefined ? 'unknown' : publisher && has(set.clientApplicationPublisherIds, publisher) ? 'yes' : 'no',
  );
  check(
    'clientApplicationsFromVerifiedPublisherOnly',
    !set.clientApplicationsFromVerifiedPublisherOnly ? 'yes' : publisher === undefined ? 'unknown' : publisher ? 'yes' : 'no',
  );
  // Microsoft 365 certification is not visible to Graph readers; it needs a verified publisher first.
  check('certifiedClientApplicationsOnly', !set.certifiedClientApplicationsOnly ? 'yes' : publisher === null ? 'no' : 'unknown');
  return { result: failed.length ? 'no' : unknown.length ? 'unknown' : 'yes', failed, unknown };
}

/** Does one policy allow the consent? Include matched and no exclude matched. */
export function policyAllows(p: { id: string; includes: PermissionGrantConditionSet[]; excludes: PermissionGrantConditionSet[] }, perm: NeededPermission, client: ConsentClient): { result: Tri; reason: string } {
  const inc = p.includes.map((s) => matchConditionSet(s, perm, client));
  const exc = p.excludes.map((s) => matchConditionSet(s, perm, client));
  const label = `${perm.name} (${perm.resourceName})`;
  if (exc.some((e) => e.result === 'yes')) return { result: 'no', reason: `policy ${p.id} excludes ${label}` };
  if (inc.some((i) => i.result === 'yes')) {
    const openExclude = exc.find((e) => e.result === 'unknown');
    if (openExclude) return { result: 'unknown', reason: `policy ${p.id} includes ${label}, but an exclude set may match (${openExclude.unknown.join(', ')} cannot be checked)` };
    return { result: 'yes', reason: `policy ${p.id} allows ${label}` };
  }
  const open = inc.find((i) => i.result === 'unknown');
  if (open) return { result: 'unknown', reason: `policy ${p.id} may allow ${label}: ${open.unknown.join(', ')} cannot be checked` };
  if (inc.length === 0) return { result: 'no', reason: `policy ${p.id} has no include condition set` };
  const why = inc.map((i) => i.failed.join(', ')).join('; ');
  return { result: 'no', reason: `policy ${p.id} does not allow ${label} (not matched: ${why})` };
}

/**
 * The built-in policies by name, used only when a policy cannot be read (G4: fallback).
 * legacy and low: Entra's consent docs [V]; recommended: observed content [O].
 */
export function byName(id: string, perm: NeededPermission, client: ConsentClient, thisTenantId: string | null): { result: Tri; reason: string } {
  const label = `${perm.name} (${perm.resourceName})`;
  const pid = id.toLowerCase();
  if (pid === LEGACY_POLICY) {
    if (perm.adminOnly) return { result: 'no', reason: `${id} allows only permissions that do not require admin consent; ${label} requires it` };
    return { result: 'yes', reason: `${id} ("Allow user consent for apps") allows ${label} [by name]` };
  }
  if (pid === LOW_POLICY) {
    if (perm.classification === undefined) return { result: 'unknown', reason: `${id}: the classification of ${label} was not read` };
    if (perm.classification?.toLowerCase() !== 'low') return { result: 'no', reason: `${id} allows only permissions classified low; ${label} is ${perm.classification ?? 'not classified'}` };
    if (client.verifiedPublisherId) return { result: 'yes', reason: `${id} allows ${label} (classified low, verified publisher) [by name]` };
    if (client.homeTenantId && thisTenantId && client.homeTenantId.toLowerCase() === thisTenantId.toLowerCase()) {
      return { result: 'yes', reason: `${id} allows ${label} (classified low, app registered in this tenant) [by name]` };
    }
    return { result: 'unknown', reason: `${id}: ${label} is classified low, but whether the app counts as verified or registered in this tenant could not be told` };
  }
  if (pid === RECOMMENDED_POLICY) {
    const graphBasics = ['openid', 'profile', 'email', 'offline_access', 'user.read'];
    if (perm.resourceAppId !== GRAPH_APP_ID || !graphBasics.includes(perm.name.toLowerCase())) {
      return { result: 'no', reason: `${id} (Microsoft-managed) lets users consent only to openid, profile, email, offline_access and User.Read of Microsoft Graph; not to ${label} [O]` };
    }
    if (client.verifiedPublisherId === undefined) return { result: 'unknown', reason: `${id}: whether the app has a verified publisher was not read` };
    return client.verifiedPublisherId
      ? { result: 'yes', reason: `${id} allows ${label} for an app from a verified publisher [O]` }
      : { result: 'no', reason: `${id} allows ${label} only for apps from verified publishers; this app has none [O]` };
  }
  return { result: 'unknown', reason: `policy ${id} could not be read, and the doctor does not know it by name` };
}

/** Across the assigned self-consent policies: yes if one allows it; no only when every one says no. */
export function evaluatePermission(perm: NeededPermission, policies: AssignedConsentPolicy[], client: ConsentClient, thisTenantId: string | null): PermissionVerdict {
  const results = policies.map((p) => (p.policy ? { ...policyAllows(p.policy, perm, client), basis: 'policy' as const } : { ...byName(p.id, perm, client, thisTenantId), basis: 'name' as const }));
  const yes = results.find((r) => r.result === 'yes');
  if (yes) return { permission: perm, allowed: 'yes', reasons: [yes.reason], basis: yes.basis };
  const unknown = results.filter((r) => r.result === 'unknown');
  const basis = results.some((r) => r.basis === 'name') ? 'name' : 'policy';
  if (unknown.length) return { permission: perm, allowed: 'unknown', reasons: results.map((r) => r.reason), basis };
  return { permission: perm, allowed: 'no', reasons: results.map((r) => r.reason), basis };
}

/** What Webex Connect's sign-in asks the mailbox user for (E2 [I]; G4). */
export function neededPermissions(args: {
  exchangeScopes: { id: string; value: string | null; type: string | null }[] | null;
  classifications: { exchange: PermissionClassification[]; graph: PermissionClassification[] } | null;
}): NeededPermission[] {
  const smtp = args.exchangeScopes?.find((s) => s.value?.toLowerCase() === 'smtp.send') ?? null;
  const classOf = (list: PermissionClassification[] | undefined, id: string | null, name: string): string | null | undefined => {
    if (!args.classifications || !list) return undefined;
    const c = list.find((x) => (id && x.permissionId.toLowerCase() === id.toLowerCase()) || x.permissionName.toLowerCase() === name.toLowerCase());
    return c ? c.classification : null;
  };
  return [
    {
      name: 'SMTP.Send',
      resourceAppId: EXCHANGE_APP_ID,
      resourceName: 'Office 365 Exchange Online',
      id: smtp?.id ?? null,
      adminOnly: smtp?.type ? smtp.type.toLowerCase() === 'admin' : null,
      classification: classOf(args.classifications?.exchange, smtp?.id ?? null, 'SMTP.Send'),
    },
    {
      name: 'offline_access',
      resourceAppId: GRAPH_APP_ID,
      resourceName: 'Microsoft Graph',
      id: OFFLINE_ACCESS_ID,
      // [V] Graph permissions reference: offline_access does not require admin consent.
      adminOnly: false,
      classification: classOf(args.classifications?.graph, OFFLINE_ACCESS_ID, 'offline_access'),
    },
  ];
}
