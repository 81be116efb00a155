/**
 * Inbox rules of the mailbox, read through Microsoft Graph (reference C6 [V]):
 * `GET /users/{id}/mailFolders/inbox/messageRules`, application permission MailboxSettings.Read; the
 * user's id from the mailbox-user fact (`/users/{address}` finds only a UPN, G1). A 403 from an
 * application access policy is MAILBOX_ACCESS_SCOPED, not a missing permission (G8, graph client).
 * Graph rather than Get-InboxRule because Get-InboxRule does not work for Global Reader (D3).
 * A rule that forwards or redirects to Webex Connect is an alternative to mailbox forwarding.
 */
import type { Asset } from '../../../config/types.js';
import { FactError } from '../../../core/fact-error.js';
import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { mailboxUserFact, userIdFor } from '../entra/mailbox-user.js';
import type { CollectContext } from '../../../core/fact.js';
import { readAheadForFleet } from '../read-ahead.js';

export interface InboxRule {
  displayName: string;
  sequence: number | null;
  isEnabled: boolean;
  hasError: boolean;
  /** Addresses of actions.forwardTo, lower-cased. */
  forwardTo: string[];
  forwardAsAttachmentTo: string[];
  redirectTo: string[];
  stopProcessingRules: boolean;
  /**
   * The rule's conditions (Graph messageRulePredicates): each predicate that is set, by name with
   * its values, e.g. `{ name: 'senderContains', values: ['contoso'] }`. Empty = every message.
   * A rule acts only on the messages its conditions select and its exceptions do not (G15).
   */
  conditions: RulePredicate[];
  exceptions: RulePredicate[];
}

export interface RulePredicate {
  name: string;
  values: string[];
}

export interface InboxRules {
  rules: InboxRule[];
}

interface GraphRecipient {
  emailAddress?: { name?: string; address?: string };
}
interface GraphMessageRule {
  displayName?: string;
  sequence?: number;
  isEnabled?: boolean;
  hasError?: boolean;
  actions?: { forwardTo?: GraphRecipient[]; forwardAsAttachmentTo?: GraphRecipient[]; redirectTo?: GraphRecipient[]; stopProcessingRules?: boolean } | null;
  conditions?: Record<string, unknown> | null;
  exceptions?: Record<string, unknown> | null;
}

/**
 * The predicates that are set: non-empty lists (strings, or recipients as their address), `true`
 * flags, and other non-empty values (importance, sensitivity, withinSizeRange …) as text.
 * A `false` flag or an empty list selects nothing extra, so it is not a condition.
 */
export function predicates(p: Record<string, unknown> | null | undefined): RulePredicate[] {
  const out: RulePredicate[] = [];
  for (const [name, v] of Object.entries(p ?? {})) {
    if (name.startsWith('@odata.') || v === null || v === undefined || v === false || v === '') continue;
    if (Array.isArray(v)) {
      const values = v.map((x) => (typeof x === 'object' && x !== null ? ((x as GraphRecipient).emailAddress?.address ?? JSON.stringify(x)) : String(x))).filter((x) => x !== '');
      if (values.length) out.push({ name, values });
    } else if (v === true) out.push({ name, values: [] });
    else out.push({ name, values: [typeof v === 'object' ? JSON.stringify(v) : String(v)] });
  }
  return out;
}

const addresses = (r: GraphRecipient[] | undefined): string[] =>
  (r ?? []).map((x) => x.emailAddress?.address?.trim().toLowerCase()).filter((a): a is string => !!a);

export function toInboxRule(r: GraphMessageRule): InboxRule {
  return {
    displayName: r.displayName ?? '(unnamed rule)',
    sequence: typeof r.sequence === 'number' ? r.sequence : null,
    isEnabled: r.isEnabled !== false,
    hasError: r.hasError === true,
    forwardTo: addresses(r.actions?.forwardTo),
    forwardAsAttachmentTo: addresses(r.actions?.forwardAsAttachmentTo),
    redirectTo: addresses(r.actions?.redirectTo),
    stopProcessingRules: r.actions?.stopProcessingRules === true,
    conditions: predicates(r.conditions),
    exceptions: predicates(r.exceptions),
  };
}

export const inboxRulesFact = defineFact<InboxRules>({
  id: 'graph.inbox-rules',
  scope: 'asset',
  async collect(ctx, asset: Asset | null) {
    const mailbox = asset?.mailbox?.trim();
    if (!mailbox) throw new FactError('INPUT_MISSING', 'No mailbox configured (--mailbox); inbox rules need one.');
    readAheadForFleet(ctx, inboxRulesFact, asset);
    // Most mailboxes are their user's UPN: the read by address leaves with the user lookup instead
    // of after it (one Graph round trip less, issue 9), and counts only when the lookup says this
    // address IS the user's userPrincipalName, the one name `/users/{…}` resolves besides the id
    // (G1 [V]). Otherwise the rules are read by the user's object id, as before.
    const byAddress = readRules(ctx, mailbox, mailbox);
    byAddress.catch(() => undefined);
    const user = await ctx.get(mailboxUserFact, asset);
    const body = user.id && user.userPrincipalName?.toLowerCase() === mailbox.toLowerCase()
      ? await byAddress
      : await readRules(ctx, await userIdFor(ctx, asset, 'Its inbox rules'), mailbox);
    return { rules: (body?.value ?? []).map(toInboxRule) };
  },
});

/** `GET /users/{id | userPrincipalName}/mailFolders/inbox/messageRules`, every page; null = 404. */
function readRules(ctx: CollectContext, user: string, mailbox: string): Promise<{ value?: GraphMessageRule[] } | null> {
  return graphGet<{ value?: GraphMessageRule[] } | null>(ctx, `/users/${encodeURIComponent(user)}/mailFolders/inbox/messageRules`, {
    permission: 'MailboxSettings.Read',
    mailbox,
    allPages: true,
    notFound: 'null',
  });
}
