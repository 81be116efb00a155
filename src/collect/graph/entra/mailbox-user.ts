/**
 * The Entra user behind the configured mailbox, resolved once per asset (reference G1 [V]).
 * `GET /users/{id | userPrincipalName}` does not find a user by a mailbox address that is not its
 * UPN (`john.doe@…` vs `jdoe@….onmicrosoft.com` → 404 Request_ResourceNotFound), so the address is
 * looked up with `$filter` and every per-user read (assignment, groups, inbox rules) then uses the
 * user's object id.
 *
 * Filter forms, both documented [V] (GDC `resources/user.md`, `$filter` support per property:
 * `mail` and `userPrincipalName` support `eq`; `proxyAddresses` supports `eq` through `any`):
 *   1. `mail eq '{addr}' or userPrincipalName eq '{addr}'`
 *   2. `proxyAddresses/any(p:p eq 'smtp:{addr}')` — aliases; the `smtp:` prefix matches the
 *      primary `SMTP:` too, since Graph compares the string case-insensitively [O].
 * An OData string literal doubles its single quotes (`o'brien@…` → `'o''brien@…'`).
 * Permission: User.Read.All (least privileged application permission for listing users [V]).
 */
import type { Asset } from '../../../config/types.js';
import { FactError } from '../../../core/fact-error.js';
import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { readAheadForFleet } from '../read-ahead.js';
import { asArray, asString } from './odata.js';

export interface MailboxUser {
  mailbox: string;
  /** The user's object id; null when no user has this address. */
  id: string | null;
  userPrincipalName: string | null;
  /** Which filter found it, or null. */
  matchedBy: 'mail-or-upn' | 'proxyAddresses' | null;
  /** The `$filter` expressions sent, in order (named when nothing matched). */
  filtersTried: string[];
}

/** An OData string literal: single quotes doubled, wrapped in quotes. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function userFilters(mailbox: string): { by: 'mail-or-upn' | 'proxyAddresses'; filter: string }[] {
  return [
    { by: 'mail-or-upn', filter: `mail eq ${odataString(mailbox)} or userPrincipalName eq ${odataString(mailbox)}` },
    { by: 'proxyAddresses', filter: `proxyAddresses/any(p:p eq ${odataString(`smtp:${mailbox}`)})` },
  ];
}

export const mailboxUserFact = defineFact<MailboxUser>({
  id: 'entra.mailbox-user',
  scope: 'asset',
  fixValues: (u) => ({ 'user-id': u.id, 'user-principal-name': u.userPrincipalName }),
  async collect(ctx, asset: Asset | null) {
    const mailbox = asset?.mailbox?.trim();
    if (!mailbox) throw new FactError('INPUT_MISSING', 'No mailbox configured (--mailbox); resolving its Entra user needs one.');
    readAheadForFleet(ctx, mailboxUserFact, asset);
    const filtersTried: string[] = [];
    for (const { by, filter } of userFilters(mailbox)) {
      filtersTried.push(filter);
      const body = await graphGet<{ value?: unknown[] }>(ctx, `/users?$filter=${encodeURIComponent(filter)}`, {
        select: ['id', 'userPrincipalName', 'mail'],
        permission: 'User.Read.All',
      });
      const hit = asArray<Record<string, unknown>>(body?.value)[0];
      const id = hit ? asString(hit.id) : null;
      if (id) return { mailbox, id, userPrincipalName: asString(hit!.userPrincipalName), matchedBy: by, filtersTried };
    }
    return { mailbox, id: null, userPrincipalName: null, matchedBy: null, filtersTried };
  },
});

/** A mailbox that matches no user, said exactly: which address, which filters were tried. */
export function noUserMessage(u: MailboxUser): string {
  return `No Entra user has the address ${u.mailbox}: Microsoft Graph found no user for ${u.filtersTried.map((f) => `\`$filter=${f}\``).join(' nor for ')}.`;
}

/** The user's object id for a per-user read, or a FactError naming the mailbox that matched no user. */
export async function userIdFor(ctx: Parameters<typeof mailboxUserFact.collect>[0], asset: Asset | null, purpose: string): Promise<string> {
  const u = await ctx.get(mailboxUserFact, asset);
  if (u.id) return u.id;
  throw new FactError('MAILBOX_USER_NOT_FOUND', `${noUserMessage(u)} ${purpose} cannot be read.`, {
    details: 'The mailbox address is neither the mail, the userPrincipalName nor an smtp: proxy address of any user in this tenant: a typo, a mailbox in another tenant, or a shared mailbox address not yet created.',
    evidence: { mailbox: u.mailbox, filtersTried: u.filtersTried },
  });
}
