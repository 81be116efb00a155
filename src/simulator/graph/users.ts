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
    proxyAddresses: user.mail ? [`SMTP:${user.mail}`] : [],
    userType: 'Member',
  };
}

export function memberOfObjects(ctx: SimContext, user: ScenarioUser): Record<string, unknown>[] {
  return user.memberOf
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
