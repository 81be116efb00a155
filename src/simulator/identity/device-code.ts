import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import type { ResourceApi } from '../graph/resources.js';
import { stableGuid } from '../http/ids.js';
import type { ScenarioApp } from '../scenario/schema.js';
import type { DelegatedUser } from './issue.js';

/**
 * Microsoft's own public clients an admin may sign in with (no app registration in the tenant):
 * the Exchange Online PowerShell module (reference D1), Microsoft Graph Command Line Tools, Azure CLI.
 */
export const FIRST_PARTY_PUBLIC_CLIENTS: Record<string, string> = {
  'fb78d390-0c51-40cd-8e17-fdbfab77341b': 'Microsoft Exchange REST API Based Powershell',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Microsoft Azure CLI',
};

/**
 * The resources each first-party client is preauthorised for (G10): the Exchange Online PowerShell
 * client holds Exchange.Manage [O]; Graph Command Line Tools and Azure CLI are modelled as Graph
 * only [I] (whether Entra gives them an Exchange token is NOT VERIFIED; a first-party client
 * without preauthorisation gets AADSTS65002).
 */
export const FIRST_PARTY_RESOURCES: Record<string, ResourceApi['key'][]> = {
  'fb78d390-0c51-40cd-8e17-fdbfab77341b': ['exchange'],
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': ['graph'],
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': ['graph'],
};

/** What a first-party client's `.default` yields for an admin ([I]: enough to read what the doctor reads). */
const FIRST_PARTY_SCOPES: Record<ResourceApi['key'], string[]> = {
  graph: ['Application.Read.All', 'Directory.Read.All', 'Policy.Read.All', 'User.Read.All', 'GroupMember.Read.All', 'MailboxSettings.Read', 'User.Read'],
  exchange: ['Exchange.Manage'],
};

export interface PendingDeviceCode {
  clientId: string;
  app?: ScenarioApp;
  resource: ResourceApi;
  scopes: string[];
  oidc: string[];
  user: DelegatedUser;
  expiresAt: number;
  polls: number;
  /** A first-party client not preauthorised for the resource: refused once the user approves (G10). */
  refused?: boolean;
}

/** Device codes handed out by this listener; each is approved (auto) after one pending poll. */
export class DeviceCodeStore {
  private readonly codes = new Map<string, PendingDeviceCode>();

  create(entry: PendingDeviceCode): { deviceCode: string; userCode: string } {
    const deviceCode = `SIMDC.${randomBytes(24).toString('base64url')}`;
    const userCode = randomBytes(6).toString('hex').toUpperCase().slice(0, 9);
    this.codes.set(deviceCode, entry);
    return { deviceCode, userCode };
  }

  /** 'pending' on the first poll, then the entry (consumed); undefined when unknown/expired. */
  poll(deviceCode: string, nowMs: number): PendingDeviceCode | 'pending' | undefined {
    const e = this.codes.get(deviceCode);
    if (!e || e.expiresAt < nowMs) return undefined;
    e.polls += 1;
    if (e.polls === 1) return 'pending';
    this.codes.delete(deviceCode);
    return e;
  }
}

/** The admin who approves: the app's deviceCodeUser, else any app's, else the first user, else a synthetic admin. */
export function approvingUser(ctx: SimContext, app: ScenarioApp | undefined): DelegatedUser {
  const users = ctx.scenario.users;
  const key = app?.deviceCodeUser ?? Object.values(ctx.scenario.apps).find((a) => a.deviceCodeUser)?.deviceCodeUser ?? Object.keys(users)[0];
  const u = key ? users[key] : undefined;
  if (u) return { id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName };
  const domain = ctx.scenario.tenant.domains[0]!;
  return { id: stableGuid(`${ctx.scenario.tenant.id}:admin`), userPrincipalName: `admin@${domain}`, displayName: 'Administrator' };
}

/**
 * The delegated scopes a token carries. `.default` = what was consented: the app's delegated grants
 * on that resource (for everyone, or for this user) plus the delegated permissions it requests
 * (the admin consents while signing in); named scopes are granted as asked (auto-approved).
 */
export function delegatedScopes(ctx: SimContext, args: { clientId: string; app?: ScenarioApp; resource: ResourceApi; named: string[]; isDefault: boolean; userId: string }): string[] {
  const out = new Set(args.named);
  if (args.isDefault) {
    if (!args.app) for (const s of FIRST_PARTY_SCOPES[args.resource.key]) out.add(s);
    else {
      const userKey = Object.entries(ctx.scenario.users).find(([, u]) => u.id === args.userId)?.[0];
      for (const g of args.app.oauth2PermissionGrants) {
        if (g.resource !== args.resource.key) continue;
        if (g.consentType === 'AllPrincipals' || g.user === userKey) for (const s of g.scopes) out.add(s);
      }
      for (const p of args.app.requiredResourceAccess) if (p.resource === args.resource.key && p.type === 'Scope') out.add(p.name);
    }
  }
  return [...out];
}
