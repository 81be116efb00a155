import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import type { ResourceApi } from '../graph/resources.js';
import type { ScenarioApp } from '../scenario/schema.js';
import type { SimClaims } from '../tokens.js';

/** Lifetime Entra gives app tokens (seconds) — what `expires_in` reports. */
export const TOKEN_LIFETIME = 3599;

export function issuerOf(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/**
 * The app's consented application roles on a resource, minus those not yet replicated into tokens.
 * `undefined` when none: Entra then omits the `roles` claim entirely (reference A2).
 */
export function tokenRoles(app: ScenarioApp, resource: ResourceApi['key']): string[] | undefined {
  const roles = [...new Set(app.appRoleAssignments.filter((a) => a.resource === resource).map((a) => a.role))].filter((r) => !app.rolesMissingFromToken.includes(r));
  return roles.length ? roles : undefined;
}

function times(ctx: SimContext): { iat: number; nbf: number; exp: number } {
  // From the simulator's clock (skew included): the doctor compares these with its own.
  const now = Math.floor(ctx.now().getTime() / 1000);
  return { iat: now, nbf: now, exp: now + TOKEN_LIFETIME + 1 };
}

export async function issueAppToken(ctx: SimContext, app: ScenarioApp, resource: ResourceApi): Promise<Record<string, unknown>> {
  const tid = ctx.scenario.tenant.id;
  const roles = tokenRoles(app, resource.key);
  const claims: SimClaims = {
    aud: resource.audience,
    iss: issuerOf(tid),
    tid,
    appid: app.appId,
    oid: app.servicePrincipalId,
    ...times(ctx),
    idtyp: 'app',
    ...(roles ? { roles } : {}),
  };
  const accessToken = await ctx.tokens.sign(claims);
  return { token_type: 'Bearer', expires_in: TOKEN_LIFETIME, ext_expires_in: TOKEN_LIFETIME, access_token: accessToken };
}

export interface DelegatedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

export async function issueUserToken(
  ctx: SimContext,
  args: { clientId: string; user: DelegatedUser; resource: ResourceApi; scopes: string[]; oidc: string[] },
): Promise<Record<string, unknown>> {
  const tid = ctx.scenario.tenant.id;
  const t = times(ctx);
  const claims: SimClaims = {
    aud: args.resource.audience,
    iss: issuerOf(tid),
    tid,
    appid: args.clientId,
    oid: args.user.id,
    ...t,
    idtyp: 'user',
    scp: args.scopes.join(' '),
    upn: args.user.userPrincipalName,
  };
  const accessToken = await ctx.tokens.sign(claims);
  // msal builds its account from id_token + client_info; they are not access tokens, so they carry
  // the v2 issuer and the client as audience. (Signed with the same key; msal does not verify it.)
  const idClaims = {
    aud: args.clientId,
    iss: `https://login.microsoftonline.com/${tid}/v2.0`,
    iat: t.iat,
    nbf: t.nbf,
    exp: t.exp,
    name: args.user.displayName,
    oid: args.user.id,
    preferred_username: args.user.userPrincipalName,
    sub: args.user.id,
    tid,
    ver: '2.0',
  };
  const idToken = await ctx.tokens.sign(idClaims as unknown as SimClaims);
  const clientInfo = Buffer.from(JSON.stringify({ uid: args.user.id, utid: tid })).toString('base64url');
  const scopeOut = [...args.scopes.map((s) => (args.resource.key === 'graph' ? s : `${args.resource.audience}/${s}`)), ...args.oidc].join(' ');
  return {
    token_type: 'Bearer',
    scope: scopeOut,
    expires_in: TOKEN_LIFETIME,
    ext_expires_in: TOKEN_LIFETIME,
    access_token: accessToken,
    ...(args.oidc.includes('offline_access') ? { refresh_token: `sim-rt.${randomBytes(24).toString('base64url')}` } : {}),
    ...(args.oidc.includes('openid') ? { id_token: idToken } : {}),
    client_info: clientInfo,
  };
}
