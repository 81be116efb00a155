import { defineFact, type CollectContext } from '../../../core/fact.js';
import { FactError } from '../../../core/fact-error.js';
import { graphGet } from '../client.js';
import { mailboxUserFact } from './mailbox-user.js';
import { asArray, asString } from './odata.js';
import { webexServicePrincipalFact } from './service-principals.js';

export interface MailboxAssignment {
  mailbox: string;
  /** The user's object id, or null when no user has this address (see filtersTried). */
  userId: string | null;
  userPrincipalName: string | null;
  /** The `$filter`s that resolved (or failed to resolve) the mailbox to its user (G1). */
  filtersTried: string[];
  /** Which filter found the user (proxyAddresses: the address is an alias). */
  matchedBy?: 'mail-or-upn' | 'proxyAddresses' | null;
  assigned: boolean;
  /** How: directly, or through a group the user is a DIRECT member of (G2: no cascade). */
  via: 'direct' | 'group' | null;
  /** Names (or ids) of the directly-joined groups that carry the assignment. */
  viaGroups: string[];
  /**
   * Assigned groups the user reaches only through another group: they do not count (G2). Read
   * only to explain a USER_NOT_ASSIGNED; `through` are the user's direct groups, when readable.
   */
  nestedOnly: { group: string; through: string[] }[];
  /** Which reads decided it. */
  source: 'user-appRoleAssignments' | 'appRoleAssignedTo+memberOf';
}

export interface UserAssignment {
  /** The enterprise app's "Assignment required?". When false nothing else was read. */
  required: boolean;
  assignments: { principalId: string; principalType: string | null; principalDisplayName: string | null }[];
  mailboxes: MailboxAssignment[];
}

type Obj = Record<string, unknown>;

/**
 * With "Assignment required?" on, only assigned users (or DIRECT members of assigned groups) can
 * sign in — the mailbox user's sign-in at Webex Connect would otherwise fail with AADSTS50105.
 * Reference G2 [V]: "The assignment doesn't cascade to nested groups"; `GET /users/{id}/appRoleAssignments`
 * "also returns app role assignments granted to groups that the user is a direct member of"
 * (least privileged: Directory.Read.All; `ConsistencyLevel: eventual` + `$count=true` for complete
 * results). The list is narrowed to the Webex app's service principal here (resourceId), not with
 * `$filter`, whose support on this navigation the reference does not confirm.
 * Without Directory.Read.All: the app's `appRoleAssignedTo` (Application.Read.All) and the user's
 * DIRECT `memberOf` (GroupMember.Read.All). transitiveMemberOf never decides assignment.
 */
export const userAssignmentFact = defineFact<UserAssignment>({
  id: 'entra.user-assignment',
  scope: 'tenant',
  async collect(ctx) {
    const sp = await ctx.get(webexServicePrincipalFact);
    if (!sp || !sp.appRoleAssignmentRequired) return { required: false, assignments: [], mailboxes: [] };
    const assets = ctx.config.assets.filter((a, i, all) => !!a.mailbox && all.findIndex((b) => b.mailbox === a.mailbox) === i);
    const assignedTo = graphGet<{ value: Obj[] }>(ctx, `/servicePrincipals/${sp.id}/appRoleAssignedTo`, { permission: 'Application.Read.All', allPages: true }).then(
      (b) => asArray<Obj>(b.value).map((a) => ({ principalId: asString(a.principalId) ?? '', principalType: asString(a.principalType), principalDisplayName: asString(a.principalDisplayName) })),
      (e: unknown) => e as Error,
    );
    const mailboxes = await Promise.all(
      assets.map(async (asset): Promise<MailboxAssignment> => {
        const u = await ctx.get(mailboxUserFact, asset);
        const base = { mailbox: u.mailbox, userId: u.id, userPrincipalName: u.userPrincipalName, filtersTried: u.filtersTried, matchedBy: u.matchedBy, viaGroups: [], nestedOnly: [] };
        if (!u.id) return { ...base, assigned: false, via: null, source: 'user-appRoleAssignments' };
        const decided = await decide(ctx, sp.id, u.id, assignedTo);
        if (decided.assigned) return { ...base, ...decided };
        const to = await assignedTo;
        const nestedOnly = to instanceof Error ? [] : await nestedExplanation(ctx, u.id, to);
        return { ...base, ...decided, nestedOnly };
      }),
    );
    const to = await assignedTo;
    return { required: true, assignments: to instanceof Error ? [] : to, mailboxes };
  },
});

type Decided = Pick<MailboxAssignment, 'assigned' | 'via' | 'viaGroups' | 'source'>;
type Assignee = UserAssignment['assignments'][number];

async function decide(ctx: CollectContext, spId: string, userId: string, assignedTo: Promise<Assignee[] | Error>): Promise<Decided> {
  try {
    const body = await graphGet<{ value: Obj[] }>(ctx, `/users/${userId}/appRoleAssignments?$count=true`, {
      permission: 'Directory.Read.All',
      allPages: true,
      headers: { ConsistencyLevel: 'eventual' },
    });
    const mine = asArray<Obj>(body.value).filter((a) => asString(a.resourceId)?.toLowerCase() === spId.toLowerCase());
    const groups = mine.filter((a) => asString(a.principalType) === 'Group');
    const direct = mine.some((a) => asString(a.principalType) === 'User' || asString(a.principalId) === userId);
    return {
      assigned: mine.length > 0,
      via: direct ? 'direct' : groups.length ? 'group' : null,
      viaGroups: groups.map((g) => asString(g.principalDisplayName) ?? asString(g.principalId) ?? ''),
      source: 'user-appRoleAssignments',
    };
  } catch (err) {
    if (!(err instanceof FactError) || err.code !== 'MISSING_PERMISSION') throw err;
    return fallback(ctx, userId, assignedTo, err);
  }
}

/** Without Directory.Read.All: the app's assignees against the user's DIRECT groups (G2). */
async function fallback(ctx: CollectContext, userId: string, assignedTo: Promise<Assignee[] | Error>, first: FactError): Promise<Decided> {
  const to = await assignedTo;
  const missing = (why: Error): never => {
    throw new FactError(
      'MISSING_PERMISSION',
      `Whether ${userId} is assigned to the Webex app cannot be read: the reader lacks Directory.Read.All (for /users/{id}/appRoleAssignments), and the fallback failed too (${why.message}).`,
      {
        permission: { name: 'Directory.Read.All', identity: first.permission?.identity ?? 'the reader', api: 'Microsoft Graph' },
        details: `Grant Directory.Read.All, or both Application.Read.All and GroupMember.Read.All. ${first.details ?? ''}`.trim(),
        evidence: { ...first.evidence, fallback: why.message },
        requestIds: first.requestIds,
      },
    );
  };
  if (to instanceof Error) return missing(to);
  if (to.some((a) => a.principalId === userId)) return { assigned: true, via: 'direct', viaGroups: [], source: 'appRoleAssignedTo+memberOf' };
  const groups = to.filter((a) => a.principalType === 'Group');
  if (groups.length === 0) return { assigned: false, via: null, viaGroups: [], source: 'appRoleAssignedTo+memberOf' };
  let memberOf: Obj[];
  try {
    memberOf = asArray<Obj>((await graphGet<{ value: Obj[] }>(ctx, `/users/${userId}/memberOf`, { select: ['id', 'displayName'], permission: 'GroupMember.Read.All', allPages: true })).value);
  } catch (err) {
    return missing(err as Error);
  }
  const direct = new Set(memberOf.map((g) => asString(g.id)));
  const hit = groups.filter((g) => direct.has(g.principalId));
  return { assigned: hit.length > 0, via: hit.length ? 'group' : null, viaGroups: hit.map((g) => g.principalDisplayName ?? g.principalId), source: 'appRoleAssignedTo+memberOf' };
}

/**
 * Why an unassigned user is unassigned when it is in an assigned group through nesting: read
 * only to explain (best effort, GroupMember.Read.All), never to decide.
 */
async function nestedExplanation(ctx: CollectContext, userId: string, to: Assignee[]): Promise<MailboxAssignment['nestedOnly']> {
  const groups = to.filter((a) => a.principalType === 'Group');
  if (groups.length === 0) return [];
  const read = (rel: string) =>
    graphGet<{ value: Obj[] }>(ctx, `/users/${userId}/${rel}`, { select: ['id', 'displayName'], permission: 'GroupMember.Read.All', allPages: true }).then(
      (b) => asArray<Obj>(b.value),
      () => null,
    );
  const [transitive, direct] = await Promise.all([read('transitiveMemberOf'), read('memberOf')]);
  if (!transitive) return [];
  const ids = new Set(transitive.map((g) => asString(g.id)));
  const through = (direct ?? []).map((g) => asString(g.displayName) ?? asString(g.id) ?? '').filter(Boolean);
  return groups.filter((g) => ids.has(g.principalId)).map((g) => ({ group: g.principalDisplayName ?? g.principalId, through }));
}
