import type { SimContext } from '../context.js';
import type { InboxRulePredicates, ScenarioUser } from '../scenario/schema.js';
import { opaqueId } from './directory.js';

/** A user by object id or UPN (case-insensitive), as `/users/{id|userPrincipalName}` resolves. */
export function findUser(ctx: SimContext, idOrUpn: string): { key: string; user: ScenarioUser } | undefined {
  const v = idOrUpn.toLowerCase();
  for (const [key, user] of Object.entries(ctx.scenario.users)) {
    if (user.id.toLowerCase() === v || user.userPrincipalName.toLowerCase() === v) return { key, user };
  }
  return undefined;
}

/** The properties `GET /users/{id}` returns without `$select` (Graph v1.0 default set). */
export const USER_DEFAULT_PROPS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

export function userObject(user: ScenarioUser): Record<string, unknown> {
  const [given, ...rest] = user.displayName.split(' ');
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: given ?? null,
    jobTitle: null,
    mail: user.mail ?? null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: rest.length ? rest.join(' ') : null,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    // Only with $select (not in the default set):
    accountEnabled: user.accountEnabled,
    mailNickname: user.userPrincipalName.split('@')[0],
    // Primary address upper-case SMTP:, aliases smtp: (Exchange's convention).
    proxyAddresses: [...(user.mail ? [`SMTP:${user.mail}`] : []), ...(user.aliases ?? []).map((a) => `smtp:${a}`)],
    userType: 'Member',
  };
}

/** Group keys a user is in: directly (`memberOf`), or also through nested groups (`transitiveMemberOf`). */
export function groupKeysOf(ctx: SimContext, user: ScenarioUser, transitive: boolean): string[] {
  const out = new Set<string>();
  const visit = (keys: string[]) => {
    for (const k of keys) {
      if (out.has(k)) continue;
      out.add(k);
      if (transitive) visit(ctx.scenario.groups[k]?.memberOf ?? []);
    }
  };
  visit(user.memberOf);
  return [...out];
}

export function memberOfObjects(ctx: SimContext, user: ScenarioUser, transitive = true): Record<string, unknown>[] {
  return groupKeysOf(ctx, user, transitive)
    .map((k) => ctx.scenario.groups[k])
    .filter((g): g is NonNullable<typeof g> => Boolean(g))
    .map((g) => ({
      '@odata.type': '#microsoft.graph.group',
      id: g.id,
      deletedDateTime: null,
      description: null,
      displayName: g.displayName,
      groupTypes: [],
      mail: g.mail ?? null,
      mailEnabled: Boolean(g.mail),
      mailNickname: g.displayName.replace(/\s+/g, ''),
      securityEnabled: true,
    }));
}

/** Inbox rules in the C6 shape; empty actions are left out, as Graph does. */
export function messageRuleObjects(user: ScenarioUser): Record<string, unknown>[] {
  const rules = Object.entries(user.mailbox?.inboxRules ?? {}).sort(([, a], [, b]) => a.sequence - b.sequence);
  const recipients = (list: string[]) => list.map((address) => ({ emailAddress: { name: address, address } }));
  return rules.map(([key, r]) => {
    const actions: Record<string, unknown> = {};
    if (r.forwardTo.length) actions.forwardTo = recipients(r.forwardTo);
    if (r.forwardAsAttachmentTo.length) actions.forwardAsAttachmentTo = recipients(r.forwardAsAttachmentTo);
    if (r.redirectTo.length) actions.redirectTo = recipients(r.redirectTo);
    actions.stopProcessingRules = r.stopProcessingRules;
    // messageRulePredicates: recipients as {emailAddress}, strings as given; unset ones left out.
    const predicates = (p: InboxRulePredicates | undefined): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (p?.fromAddresses?.length) out.fromAddresses = recipients(p.fromAddresses);
      if (p?.senderContains?.length) out.senderContains = p.senderContains;
      if (p?.subjectContains?.length) out.subjectContains = p.subjectContains;
      return out;
    };
    const exceptions = predicates(r.exceptions);
    return {
      id: `AQAAA${opaqueId(`${user.id}:rule:${key}`).slice(0, 12)}=`,
      displayName: r.displayName,
      sequence: r.sequence,
      isEnabled: r.isEnabled,
      hasError: r.hasError,
      isReadOnly: false,
      conditions: predicates(r.conditions),
      ...(Object.keys(exceptions).length ? { exceptions } : {}),
      actions,
    };
  });
}

/**
 * Whether an application access policy keeps the calling app (app-only) out of this mailbox
 * (G8 [O]): RestrictAccess lets it read only the listed users, DenyAccess all but them.
 */
export function blockedByAccessPolicy(ctx: SimContext, callerAppId: string, userKey: string): boolean {
  const app = Object.values(ctx.scenario.apps).find((a) => a.appId.toLowerCase() === callerAppId.toLowerCase());
  const policy = app?.applicationAccessPolicy;
  if (!policy) return false;
  const listed = policy.users.includes(userKey);
  return policy.accessRight === 'RestrictAccess' ? !listed : listed;
}

/** [O] The body Graph sends for a mailbox read an application access policy blocks (reference G8). */
export const ACCESS_POLICY_DENIED = {
  status: 403,
  code: 'ErrorAccessDenied',
  message: 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
};
