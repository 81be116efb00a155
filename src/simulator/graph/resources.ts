import type { Scenario } from '../scenario/schema.js';
import { stableGuid } from '../http/ids.js';

export type ResourceKey = 'graph' | 'exchange';

/**
 * Resource identifiers of the national clouds (A4 [V] for Graph; Exchange: GCC High [I] from the
 * ConnectionUri host, DoD [O] G24 — CISA ScubaGear requests https://outlook-dod.office365.us/.default,
 * China [I] from the ConnectionUri host).
 */
const SOVEREIGN_RESOURCES: Record<'usgov' | 'usgovdod' | 'china', Record<ResourceKey, string>> = {
  usgov: { graph: 'https://graph.microsoft.us', exchange: 'https://outlook.office365.us' },
  usgovdod: { graph: 'https://dod-graph.microsoft.us', exchange: 'https://outlook-dod.office365.us' },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', exchange: 'https://partner.outlook.cn' },
};

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: ['Application'];
  isEnabled: true;
  origin: 'Application';
}

export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
  isEnabled: true;
}

export interface ResourceApi {
  key: ResourceKey;
  appId: string;
  displayName: string;
  /** The access token audience (v1 style, as Entra issues for these resources). */
  audience: string;
  /** Scope prefixes (`<prefix>/.default`) that name this resource. */
  identifiers: string[];
  appRoles: AppRole[];
  scopes: PermissionScope[];
}

/**
 * Well-known permission ids. Sources: reference C4 for Exchange (EXPS manifest [V], others [O]);
 * Graph ids as published by Microsoft and used in many public manifests (checked by code search:
 * 9a5d68dd…, 7ab1d382…, 246dd0d5…, df021288…, 98830695…, 40f97065-369a…, b633e1c5…, 810c84a8…,
 * e1fe6dd8…, 37f7f235…, 7427e0e9…, 06da0dbc…, a154be20…). Anything else is invented with
 * stableGuid() — stable across runs, but NOT Microsoft's id.
 */
const KNOWN_ROLE_IDS: Record<ResourceKey, Record<string, string>> = {
  exchange: {
    'Exchange.ManageAsApp': 'dc50a0fb-09a3-484d-be87-e023b12c6440',
    full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
    'IMAP.AccessAsApp': '5e5addcd-3e8d-4e90-baf5-964efab2b20a',
    'POP.AccessAsApp': 'cb842b43-da6e-4506-86fe-bb12199c656d',
    'SMTP.SendAsApp': '7146a1f0-8703-45b3-9eae-527a64c00995',
    'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  },
  graph: {
    'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
    'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
    'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
    'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
    'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
    'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
    'MailboxSettings.Read': '40f97065-369a-49f4-947c-6a255697ae91',
    'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
    'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  },
};

const KNOWN_SCOPE_IDS: Record<ResourceKey, Record<string, string>> = {
  exchange: {
    'SMTP.Send': '76faac2a-0f20-42f1-928a-50de5b9dbe52',
    'IMAP.AccessAsUser.All': '195adc35-e27b-454b-a7ed-1ecdffa1c09f',
    'EWS.AccessAsUser.All': '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5',
  },
  graph: {
    'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
    openid: '37f7f235-527c-4136-accd-4a02d197296e',
    offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
    'Directory.Read.All': '06da0dbc-49e2-44d2-8312-53f166ab848a',
    'User.Read.All': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  },
};

/** Roles/scopes every copy of the resource SP lists, beyond what a scenario mentions. */
const BASE_ROLES: Record<ResourceKey, string[]> = {
  exchange: ['Exchange.ManageAsApp', 'full_access_as_app', 'IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp', 'Mail.Send', 'Mail.Read'],
  graph: ['Application.Read.All', 'Directory.Read.All', 'Policy.Read.All', 'User.Read.All', 'GroupMember.Read.All', 'Group.Read.All', 'MailboxSettings.Read', 'Mail.Send', 'Mail.Read'],
};
const BASE_SCOPES: Record<ResourceKey, string[]> = {
  exchange: ['SMTP.Send', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'EWS.AccessAsUser.All', 'Exchange.Manage', 'Mail.Send'],
  graph: ['User.Read', 'openid', 'profile', 'email', 'offline_access', 'Directory.Read.All', 'Application.Read.All', 'Policy.Read.All', 'User.Read.All', 'GroupMember.Read.All', 'MailboxSettings.Read', 'Mail.Send'],
};
/** Delegated permissions a user can consent to alone (type 'User'); all others need an admin. */
const USER_CONSENTABLE = new Set(['User.Read', 'openid', 'profile', 'email', 'offline_access', 'SMTP.Send', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'EWS.AccessAsUser.All', 'Mail.Send', 'MailboxSettings.Read']);

export const RESOURCE_APP_IDS: Record<ResourceKey, string> = {
  exchange: '00000002-0000-0ff1-ce00-000000000000',
  graph: '00000003-0000-0000-c000-000000000000',
};

export function roleId(resource: ResourceKey, value: string): string {
  return KNOWN_ROLE_IDS[resource][value] ?? stableGuid(`${resource}:role:${value}`);
}

export function scopeId(resource: ResourceKey, value: string): string {
  return KNOWN_SCOPE_IDS[resource][value] ?? stableGuid(`${resource}:scope:${value}`);
}

/** The resource API (Graph or Exchange Online) with every permission the scenario mentions. */
export function resourceApi(scenario: Scenario, key: ResourceKey): ResourceApi {
  const roleNames = new Set(BASE_ROLES[key]);
  const scopeNames = new Set(BASE_SCOPES[key]);
  for (const app of Object.values(scenario.apps)) {
    for (const p of app.requiredResourceAccess) if (p.resource === key) (p.type === 'Role' ? roleNames : scopeNames).add(p.name);
    for (const a of app.appRoleAssignments) if (a.resource === key) roleNames.add(a.role);
    for (const g of app.oauth2PermissionGrants) if (g.resource === key) for (const s of g.scopes) scopeNames.add(s);
  }
  if (key === 'exchange') for (const name of Object.keys(scenario.tenant.exchangePermissionClassifications)) scopeNames.add(name);
  const label = key === 'exchange' ? 'Office 365 Exchange Online' : 'Microsoft Graph';
  // A national cloud's resource URI, from the simulator's own table (not the doctor's: G24 sources).
  const cloud = scenario.tenant.cloud;
  const sovereign = cloud && cloud !== 'global' ? SOVEREIGN_RESOURCES[cloud][key] : undefined;
  return {
    key,
    appId: RESOURCE_APP_IDS[key],
    displayName: label,
    audience: sovereign ?? (key === 'exchange' ? 'https://outlook.office365.com' : 'https://graph.microsoft.com'),
    identifiers: sovereign
      ? [sovereign, RESOURCE_APP_IDS[key]]
      : key === 'exchange'
        ? ['https://outlook.office365.com', 'https://outlook.office.com', 'https://ps.outlook.com', RESOURCE_APP_IDS.exchange]
        : ['https://graph.microsoft.com', 'https://graph.microsoft.com/', RESOURCE_APP_IDS.graph],
    appRoles: [...roleNames].sort().map((value) => ({
      id: roleId(key, value),
      value,
      displayName: permissionText(value, 'Role'),
      description: `Allows the app to ${permissionText(value, 'Role').toLowerCase()} without a signed-in user.`,
      allowedMemberTypes: ['Application'],
      isEnabled: true,
      origin: 'Application',
    })),
    scopes: [...scopeNames].sort().map((value) => ({
      id: scopeId(key, value),
      value,
      type: USER_CONSENTABLE.has(value) ? 'User' : 'Admin',
      adminConsentDisplayName: permissionText(value, 'Scope'),
      adminConsentDescription: `Allows the app to ${permissionText(value, 'Scope').toLowerCase()} on behalf of the signed-in user.`,
      userConsentDisplayName: permissionText(value, 'Scope'),
      userConsentDescription: `Allows the app to ${permissionText(value, 'Scope').toLowerCase()} on your behalf.`,
      isEnabled: true,
    })),
  };
}

/** The object id of a resource's service principal in this tenant (tenant-specific in Entra; invented, stable). */
export function resourceSpId(scenario: Scenario, key: ResourceKey): string {
  return stableGuid(`${scenario.tenant.id}:sp:${RESOURCE_APP_IDS[key]}`);
}

/** Which resource a scope prefix (`https://graph.microsoft.com`, an appId …) names. */
export function resourceOfIdentifier(scenario: Scenario, prefix: string): ResourceApi | undefined {
  const p = prefix.toLowerCase().replace(/\/+$/, '');
  for (const key of ['graph', 'exchange'] as const) {
    const api = resourceApi(scenario, key);
    if (api.identifiers.some((i) => i.toLowerCase().replace(/\/+$/, '') === p)) return api;
  }
  return undefined;
}

function permissionText(value: string, type: 'Role' | 'Scope'): string {
  const words = value.replace(/[._]/g, ' ').trim();
  return type === 'Role' ? `Use ${words} as an application` : `Use ${words}`;
}
