/**
 * Fixes that paste: a block of commands starts with the connection its commands need, in the
 * run's cloud, and a raw Graph request is labelled as one (it is not a PowerShell command).
 */
import type { Cloud } from '../config/types.js';

/** The Exchange Online PowerShell cmdlets fixes use (ExchangeOnlineManagement 3.x). */
const EXCHANGE_CMDLET =
  /^(?:Get|Set|New|Remove|Add|Test|Enable|Disable)-(?:Mailbox|CASMailbox|TransportConfig|TransportRule|HostedOutboundSpamFilterPolicy|HostedOutboundSpamFilterRule|RemoteDomain|MailboxPermission|RecipientPermission|ServicePrincipal|Recipient|InboxRule|ApplicationAccessPolicy|ManagementScope|ManagementRoleAssignment|ServicePrincipalAuthorization|OrganizationConfig)\b/;

/**
 * Least-privileged delegated Microsoft Graph permission of each Graph PowerShell cmdlet fixes use
 * [V: the "Permissions" table of each API's page on learn.microsoft.com/graph/api: application
 * update and addPassword, serviceprincipal update, appRoleAssignment create (service principal and
 * user), oAuth2PermissionGrant create, authorizationPolicy update, delegatedPermissionClassification create].
 */
const GRAPH_SCOPE: Record<string, string[]> = {
  'Update-MgApplication': ['Application.ReadWrite.All'],
  'Add-MgApplicationPassword': ['Application.ReadWrite.All'],
  'Update-MgServicePrincipal': ['Application.ReadWrite.All'],
  'New-MgServicePrincipalAppRoleAssignment': ['AppRoleAssignment.ReadWrite.All', 'Application.Read.All'],
  'New-MgUserAppRoleAssignment': ['AppRoleAssignment.ReadWrite.All', 'Application.Read.All'],
  'New-MgOauth2PermissionGrant': ['DelegatedPermissionGrant.ReadWrite.All'],
  'Update-MgPolicyAuthorizationPolicy': ['Policy.ReadWrite.Authorization'],
  'New-MgServicePrincipalDelegatedPermissionClassification': ['Policy.ReadWrite.PermissionGrant'],
};

/** Connect-ExchangeOnline -ExchangeEnvironmentName and Connect-MgGraph -Environment per cloud [V: EXPS Connect-ExchangeOnline; Graph PowerShell national clouds]. */
const EXCHANGE_ENVIRONMENT: Record<Cloud, string | null> = { global: null, usgov: 'O365USGovGCCHigh', usgovdod: 'O365USGovDoD', china: 'O365China' };
const GRAPH_ENVIRONMENT: Record<Cloud, string | null> = { global: null, usgov: 'USGov', usgovdod: 'USGovDoD', china: 'China' };

const GRAPH_REQUEST = /^(GET|POST|PATCH|PUT|DELETE) https:\/\//;
const CONNECTION = /^(?:Connect-ExchangeOnline|Connect-MgGraph|az login|# Graph Explorer)/;

export function withConnections(commands: string[], cloud: Cloud): string[] {
  if (commands.length === 0 || commands.some((c) => CONNECTION.test(c))) return commands;
  const out: string[] = [];
  let exchange = false;
  let graph = false;
  let az = false;
  const graphScopes = [...new Set(commands.flatMap((c) => GRAPH_SCOPE[c.split(/\s/)[0] ?? ''] ?? []))];
  for (const c of commands) {
    if (!exchange && EXCHANGE_CMDLET.test(c)) {
      exchange = true;
      const env = EXCHANGE_ENVIRONMENT[cloud];
      out.push(`Connect-ExchangeOnline${env ? ` -ExchangeEnvironmentName ${env}` : ''}`);
    } else if (!graph && /^[A-Z][a-z]+-Mg/.test(c)) {
      graph = true;
      const env = GRAPH_ENVIRONMENT[cloud];
      out.push(`Connect-MgGraph${env ? ` -Environment ${env}` : ''} -Scopes ${graphScopes.join(',') || 'Application.ReadWrite.All'}`);
    } else if (!az && /^az /.test(c)) {
      az = true;
      out.push('az login --tenant <tenant-id> --allow-no-subscriptions');
    }
    out.push(GRAPH_REQUEST.test(c) ? `# Graph Explorer request (https://developer.microsoft.com/graph/graph-explorer), not a PowerShell command: ${c}` : c);
  }
  return out;
}
