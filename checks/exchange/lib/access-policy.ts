import type { Explanation } from '../../../src/core/explanation.js';

/**
 * MAILBOX_ACCESS_SCOPED (reference G8 [O]): an Exchange application access policy (or RBAC for
 * Applications) keeps the reading app's app-only Graph access out of the mailbox. Graph answers
 * 403 ErrorAccessDenied "Access to OData is disabled: [RAOP] : Blocked by tenant configured
 * AppOnly AccessPolicy settings." The permission is granted; the mailbox is outside its scope, so
 * what the mailbox holds (its inbox rules) cannot be told.
 */
export const MAILBOX_ACCESS_SCOPED: Explanation = {
  title: 'An application access policy keeps the reader out of the mailbox',
  seen: 'Microsoft Graph: 403 ErrorAccessDenied "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings." on the mailbox\'s inbox rules.',
  cause:
    'Exchange Online scopes this app\'s app-only mailbox access (New-ApplicationAccessPolicy with RestrictAccess/DenyAccess, or RBAC for Applications), and the mailbox is outside that scope. ' +
    'The Graph permission (MailboxSettings.Read) is granted; granting it again changes nothing. This reading rests on answers observed from real tenants [O].',
  confirm: '`Test-ApplicationAccessPolicy -Identity <mailbox> -AppId <reader-client-id>` shows AccessCheckResult: Denied; `Get-ApplicationAccessPolicy` lists the policies and their scope groups.',
  fix: 'Add the mailbox to the policy\'s scope group (the mail-enabled security group named in PolicyScopeGroupId), or run wxmail with a reader the policy does not restrict; the inbox rules are then read and taken into account.',
  step: 3,
  portal: ['Exchange admin center → Recipients → Groups → the policy\'s scope group → Members'],
  commands: ['Test-ApplicationAccessPolicy -Identity <mailbox> -AppId <reader-client-id>', 'Get-ApplicationAccessPolicy'],
  links: ['https://learn.microsoft.com/graph/auth-limit-mailbox-access', 'https://learn.microsoft.com/powershell/module/exchange/test-applicationaccesspolicy'],
};
