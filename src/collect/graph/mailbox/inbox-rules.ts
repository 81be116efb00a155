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
import { userIdFor } from '../entra/mailbox-user.js';

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
  };
}

export const inboxRulesFact = defineFact<InboxRules>({
  id: 'graph.inbox-rules',
  scope: 'asset',
  async collect(ctx, asset: Asset | null) {
    const mailbox = asset?.mailbox?.trim();
    if (!mailbox) throw new FactError('INPUT_MISSING', 'No mailbox configured (--mailbox); inbox rules need one.');
    const userId = await userIdFor(ctx, asset, 'Its inbox rules');
    const body = await graphGet<{ value?: GraphMessageRule[] } | null>(ctx, `/users/${encodeURIComponent(userId)}/mailFolders/inbox/messageRules`, {
      permission: 'MailboxSettings.Read',
      mailbox,
      allPages: true,
      notFound: 'null',
    });
    return { rules: (body?.value ?? []).map(toInboxRule) };
  },
});
