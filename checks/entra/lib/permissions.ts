import { EXCHANGE_APP_ID, GRAPH_APP_ID, type RequiredResourceAccess, type ResourceServicePrincipal } from '../../../src/collect/graph/entra/types.js';

/** What the guide requires (step 2): Office 365 Exchange Online › Mail.Send › Application. */
export const REQUIRED_APP_PERMISSIONS = [{ name: 'Mail.Send', resourceAppId: EXCHANGE_APP_ID }] as const;

/** Delegated permissions Webex Connect's sign-in asks for (reference A1 [V] scopes; E2 [I]). */
export const WEBEX_DELEGATED = [
  { name: 'SMTP.Send', resourceAppId: EXCHANGE_APP_ID },
  { name: 'offline_access', resourceAppId: GRAPH_APP_ID },
] as const;

/**
 * Fallback ids when the Exchange Online service principal cannot be read (reference C4: [O]
 * third-party tables; resolved from appRoles whenever possible, F2).
 */
const KNOWN_EXCHANGE_ROLES: Record<string, string> = {
  'b633e1c5-b582-4048-a93e-9f11b44c7e96': 'Mail.Send',
  '7146a1f0-8703-45b3-9eae-527a64c00995': 'SMTP.SendAsApp',
  'dc50a0fb-09a3-484d-be87-e023b12c6440': 'Exchange.ManageAsApp',
  'dc890d15-9560-4a4c-9b7f-a736ec74ec40': 'full_access_as_app',
  '5e5addcd-3e8d-4e90-baf5-964efab2b20a': 'IMAP.AccessAsApp',
  'cb842b43-da6e-4506-86fe-bb12199c656d': 'POP.AccessAsApp',
};
const KNOWN_EXCHANGE_SCOPES: Record<string, string> = {
  '76faac2a-0f20-42f1-928a-50de5b9dbe52': 'SMTP.Send',
  '195adc35-e27b-454b-a7ed-1ecdffa1c09f': 'IMAP.AccessAsUser.All',
  '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5': 'EWS.AccessAsUser.All',
};
/** Microsoft Graph ids named in the details (User.Read [V] C1; offline_access [O]). */
const KNOWN_GRAPH: Record<string, string> = {
  'e1fe6dd8-ba31-4d61-89e7-88639da4683d': 'User.Read',
  '7427e0e9-2fba-42fe-b0c0-848c9e6a8182': 'offline_access',
  'b633e1c5-b582-4048-a93e-9f11b44c7e96': 'Mail.Send',
};

export interface NamedPermission {
  resource: 'Office 365 Exchange Online' | 'Microsoft Graph' | string;
  resourceAppId: string;
  name: string;
  id: string;
  type: 'Application' | 'Delegated';
}

/** The configured permissions with names (Exchange resolved from its SP's appRoles/scopes). */
export function namePermissions(rra: RequiredResourceAccess[], exchange: ResourceServicePrincipal | null): NamedPermission[] {
  const out: NamedPermission[] = [];
  for (const r of rra) {
    for (const a of r.resourceAccess) {
      const type = a.type === 'Role' ? 'Application' : 'Delegated';
      let name: string | undefined;
      let resource = r.resourceAppId;
      if (r.resourceAppId === EXCHANGE_APP_ID) {
        resource = 'Office 365 Exchange Online';
        name =
          type === 'Application'
            ? (exchange?.appRoles.find((x) => x.id === a.id)?.value ?? KNOWN_EXCHANGE_ROLES[a.id] ?? undefined)
            : (exchange?.oauth2PermissionScopes.find((x) => x.id === a.id)?.value ?? KNOWN_EXCHANGE_SCOPES[a.id] ?? undefined);
      } else if (r.resourceAppId === GRAPH_APP_ID) {
        resource = 'Microsoft Graph';
        name = KNOWN_GRAPH[a.id];
      }
      out.push({ resource, resourceAppId: r.resourceAppId, name: name ?? a.id, id: a.id, type });
    }
  }
  return out;
}

/** The Exchange app role id for a permission name (from the SP's appRoles; else the known id). */
export function exchangeRoleId(name: string, exchange: ResourceServicePrincipal | null): string | null {
  const fromSp = exchange?.appRoles.find((r) => r.value === name)?.id;
  if (fromSp) return fromSp;
  return Object.entries(KNOWN_EXCHANGE_ROLES).find(([, v]) => v === name)?.[0] ?? null;
}

export function describePermission(p: Pick<NamedPermission, 'resource' | 'name' | 'type'>): string {
  return `${p.name} (${p.type}, ${p.resource})`;
}
