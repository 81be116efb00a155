import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { asArray, asString, odataKey } from './odata.js';
import { webexServicePrincipalFact } from './service-principals.js';

export interface MailboxAssignment {
  mailbox: string;
  /** The user's object id, or null when no such user exists. */
  userId: string | null;
  assigned: boolean;
  /** How: directly, or through a group it is a (transitive) member of. */
  via: 'direct' | 'group' | null;
}

export interface UserAssignment {
  /** The enterprise app's "Assignment required?". When false nothing else was read. */
  required: boolean;
  assignments: { principalId: string; principalType: string | null; principalDisplayName: string | null }[];
  mailboxes: MailboxAssignment[];
}

/**
 * With "Assignment required?" on, only assigned users (or members of assigned groups) can sign in
 * — the mailbox user's sign-in at Webex Connect would fail with AADSTS50105. Read only when the
 * flag is set: `GET /servicePrincipals/{id}/appRoleAssignedTo` (Application.Read.All), the
 * mailbox users (User.Read.All) and, if groups are assigned, their memberships (GroupMember.Read.All).
 */
export const userAssignmentFact = defineFact<UserAssignment>({
  id: 'entra.user-assignment',
  scope: 'tenant',
  async collect(ctx) {
    const sp = await ctx.get(webexServicePrincipalFact);
    if (!sp || !sp.appRoleAssignmentRequired) return { required: false, assignments: [], mailboxes: [] };
    const mailboxes = [...new Set(ctx.config.assets.map((a) => a.mailbox).filter((m): m is string => !!m))];
    const [assignedTo, users] = await Promise.all([
      graphGet<{ value: Record<string, unknown>[] }>(ctx, `/servicePrincipals/${sp.id}/appRoleAssignedTo`, { permission: 'Application.Read.All', allPages: true }),
      Promise.all(
        mailboxes.map((m) =>
          graphGet<Record<string, unknown> | null>(ctx, `/users/${odataKey(m)}`, { select: ['id', 'userPrincipalName'], permission: 'User.Read.All', notFound: 'null' }),
        ),
      ),
    ]);
    const assignments = asArray<Record<string, unknown>>(assignedTo.value).map((a) => ({
      principalId: asString(a.principalId) ?? '',
      principalType: asString(a.principalType),
      principalDisplayName: asString(a.principalDisplayName),
    }));
    const direct = new Set(assignments.map((a) => a.principalId));
    const groups = new Set(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalId));
    const result = await Promise.all(
      mailboxes.map(async (mailbox, i): Promise<MailboxAssignment> => {
        const userId = asString(users[i]?.id);
        if (!userId) return { mailbox, userId: null, assigned: false, via: null };
        if (direct.has(userId)) return { mailbox, userId, assigned: true, via: 'direct' };
        if (groups.size === 0) return { mailbox, userId, assigned: false, via: null };
        const memberOf = await graphGet<{ value: Record<string, unknown>[] }>(ctx, `/users/${userId}/transitiveMemberOf`, {
          select: ['id'],
          permission: 'GroupMember.Read.All',
          allPages: true,
        });
        const inGroup = asArray<Record<string, unknown>>(memberOf.value).some((g) => groups.has(asString(g.id) ?? ''));
        return { mailbox, userId, assigned: inGroup, via: inGroup ? 'group' : null };
      }),
    );
    return { required: true, assignments, mailboxes: result };
  },
});
