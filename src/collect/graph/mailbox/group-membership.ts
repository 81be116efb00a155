/**
 * The groups the mailbox user belongs to, directly or through nested groups, for resolving an
 * outbound spam rule's `FromMemberOf` / `ExceptIfFromMemberOf`:
 * `GET /users/{id}/transitiveMemberOf?$select=id,displayName,mail,mailNickname`, permission GroupMember.Read.All.
 * The user's id comes from the mailbox-user fact: `/users/{address}` finds only a UPN (G1).
 */
import type { Asset } from '../../../config/types.js';
import { FactError } from '../../../core/fact-error.js';
import { defineFact } from '../../../core/fact.js';
import { outboundSpamFact, transportRulesFact } from '../../exchange/facts.js';
import { graphGet } from '../client.js';
import { userIdFor } from '../entra/mailbox-user.js';

export interface GroupRef {
  id: string;
  displayName: string | null;
  mail: string | null;
  /** The alias; Exchange often shows a group by its Name, which is usually the alias. */
  mailNickname: string | null;
}

export interface GroupMembership {
  groups: GroupRef[];
}

interface DirectoryObject {
  '@odata.type'?: string;
  id?: string;
  displayName?: string | null;
  mail?: string | null;
  mailNickname?: string | null;
}

export const groupMembershipFact = defineFact<GroupMembership>({
  id: 'graph.group-membership',
  scope: 'asset',
  async collect(ctx, asset: Asset | null) {
    const mailbox = asset?.mailbox?.trim();
    if (!mailbox) throw new FactError('INPUT_MISSING', 'No mailbox configured (--mailbox); group membership needs one.');
    const userId = await userIdFor(ctx, asset, 'Its group membership');
    const body = await graphGet<{ value?: DirectoryObject[] }>(ctx, `/users/${encodeURIComponent(userId)}/transitiveMemberOf`, {
      select: ['id', 'displayName', 'mail', 'mailNickname'],
      permission: 'GroupMember.Read.All',
      allPages: true,
    });
    const groups = (body?.value ?? [])
      .filter((o) => !o['@odata.type'] || o['@odata.type'] === '#microsoft.graph.group')
      .filter((o): o is DirectoryObject & { id: string } => typeof o.id === 'string')
      .map((o) => ({ id: o.id, displayName: o.displayName ?? null, mail: o.mail ?? null, mailNickname: o.mailNickname ?? null }));
    return { groups };
  },
});

/**
 * A group Graph returned with only its id (G3 [V]: "limited information" for objects the caller
 * cannot read). Its name is unknown, so a rule naming a group by name may or may not mean it.
 */
export function isLimited(g: GroupRef): boolean {
  return !g.displayName && !g.mail && !g.mailNickname;
}

/**
 * Whether a group reference from an Exchange rule (display name, alias, mail address or id) names
 * one of the user's groups: 'unknown' when it names none of the readable ones but some group came
 * back with only its id (G3): never "not a member" on data the reader could not see.
 */
export function membershipOf(membership: GroupMembership, ref: string): 'member' | 'not-member' | 'unknown' {
  const r = ref.trim().toLowerCase();
  if (membership.groups.some((g) => [g.id, g.displayName, g.mail, g.mailNickname].some((v) => v?.toLowerCase() === r))) return 'member';
  return membership.groups.some(isLimited) ? 'unknown' : 'not-member';
}

/** True only when a group reference certainly names one of the user's groups (see membershipOf). */
export function isMemberOf(membership: GroupMembership, ref: string): boolean {
  return membershipOf(membership, ref) === 'member';
}

/**
 * Group membership only when a rule needs it: reads the outbound spam rules and mail flow rules
 * first (tenant facts the checks read anyway, memoised) and asks Graph only if one of them is
 * scoped by group (FromMemberOf / ExceptIfFromMemberOf). A tenant without such rules costs no
 * Graph call and needs no GroupMember.Read.All.
 */
export const ruleGroupMembershipFact = defineFact<GroupMembership & { needed: boolean }>({
  id: 'graph.rule-group-membership',
  scope: 'asset',
  async collect(ctx, asset: Asset | null) {
    const [outbound, transport] = await Promise.all([
      ctx.get(outboundSpamFact).catch(() => null),
      ctx.get(transportRulesFact).catch(() => null),
    ]);
    const byGroup = [
      ...(outbound?.rules ?? []).flatMap((r) => [...r.fromMemberOf, ...r.exceptIfFromMemberOf]),
      // SentToMemberOf: customer mail to the mailbox matches when the mailbox is a member.
      ...(transport?.rules ?? []).flatMap((r) => [...r.fromMemberOf, ...r.exceptIfFromMemberOf, ...r.sentToMemberOf, ...r.exceptIfSentToMemberOf]),
    ];
    if (byGroup.length === 0) return { groups: [], needed: false };
    return { ...(await ctx.get(groupMembershipFact, asset)), needed: true };
  },
});
