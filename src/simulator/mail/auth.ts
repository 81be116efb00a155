import type { SimContext } from '../context.js';
import type { ScenarioUser } from '../scenario/schema.js';
import type { SimClaims } from '../tokens.js';
import { findUserByAddress, mailboxAddress } from './recipients.js';

/** The audience Exchange Online accepts for SMTP/IMAP/POP tokens (scope https://outlook.office365.com/.default, microsoft-365.md B2). */
export const EXCHANGE_AUDIENCE = 'https://outlook.office365.com';

export type MailProtocol = 'smtp' | 'imap';

export type MailAuthFailure =
  | 'token-invalid'
  | 'token-expired'
  | 'wrong-audience'
  | 'wrong-tenant'
  | 'unknown-mailbox'
  | 'smtp-disabled-mailbox'
  | 'smtp-disabled-tenant'
  | 'blocked-conditional-access'
  | 'blocked-security-defaults'
  | 'missing-scope'
  | 'user-mismatch'
  | 'unknown-app'
  | 'missing-role'
  | 'no-service-principal'
  | 'no-full-access';

export type MailAuthResult =
  | { ok: true; userKey: string; user: ScenarioUser; address: string; appKey?: string }
  | { ok: false; reason: MailAuthFailure; userKey?: string };

/** Per protocol: the application role (app-only) and delegated scope Exchange wants (microsoft-365.md B2). */
const REQUIRED = {
  smtp: { role: 'SMTP.SendAsApp', scope: 'SMTP.Send' },
  imap: { role: 'IMAP.AccessAsApp', scope: 'IMAP.AccessAsUser.All' },
} as const;

/**
 * Exchange Online's decision on a SASL XOAUTH2 login (`user=<mailbox>`, bearer token). Checked in
 * this order: the token itself (signature, lifetime on the simulator's clock, audience, tenant),
 * the mailbox named by user=, SMTP AUTH enabled for it (SMTP only; Get-CASMailbox wins over
 * Get-TransportConfig, null inherits, microsoft-365.md B3), then the caller's right to the mailbox:
 * delegated tokens need the scope and must belong to that mailbox's user; app-only tokens need the
 * role, the Exchange service principal (New-ServicePrincipal) and FullAccess (B2 steps 3–4).
 * Where Exchange puts the SMTP AUTH switch relative to the token checks is not documented [I]:
 * after the mailbox is known is the only place it can be evaluated per mailbox.
 */
export async function authorizeMailbox(ctx: SimContext, protocol: MailProtocol, username: string, token: string): Promise<MailAuthResult> {
  const verdict = await ctx.tokens.verify(token, Math.floor(ctx.now().getTime() / 1000));
  if (!verdict.ok) return { ok: false, reason: verdict.reason === 'expired' ? 'token-expired' : 'token-invalid' };
  const claims = verdict.claims;
  if (claims.aud.replace(/\/$/, '') !== EXCHANGE_AUDIENCE) return { ok: false, reason: 'wrong-audience' };
  if (claims.tid.toLowerCase() !== ctx.scenario.tenant.id.toLowerCase()) return { ok: false, reason: 'wrong-tenant' };

  const found = findUserByAddress(ctx.scenario, username);
  if (!found?.[1].mailbox) return { ok: false, reason: 'unknown-mailbox' };
  const [userKey, user] = found;
  const mailbox = found[1].mailbox;

  if (protocol === 'smtp') {
    const disabled = mailbox.smtpClientAuthenticationDisabled ?? ctx.scenario.exchange.smtpClientAuthenticationDisabled;
    if (disabled) return { ok: false, userKey, reason: mailbox.smtpClientAuthenticationDisabled === null ? 'smtp-disabled-tenant' : 'smtp-disabled-mailbox' };
    // The scenario's sign-in policy knob (Conditional Access / security defaults). [I] Where
    // Exchange evaluates it relative to the SMTP AUTH switch and the token's roles is not
    // documented: after the switch (so a disabled mailbox still says so), before the roles.
    if (mailbox.smtpAuthBlock === 'conditional-access') return { ok: false, userKey, reason: 'blocked-conditional-access' };
    if (mailbox.smtpAuthBlock === 'security-defaults') return { ok: false, userKey, reason: 'blocked-security-defaults' };
  }

  const need = REQUIRED[protocol];
  if (claims.scp !== undefined) return delegated(ctx, claims, need.scope, userKey, user);

  const app = Object.entries(ctx.scenario.apps).find(([, a]) => a.appId.toLowerCase() === claims.appid.toLowerCase());
  if (!app) return { ok: false, userKey, reason: 'unknown-app' };
  const [appKey, appDef] = app;
  if (!(claims.roles ?? []).includes(need.role)) return { ok: false, userKey, reason: 'missing-role' };
  if (!appDef.exchangeServicePrincipal) return { ok: false, userKey, reason: 'no-service-principal' };
  if (!mailbox.fullAccessApps.includes(appKey)) return { ok: false, userKey, reason: 'no-full-access' };
  return { ok: true, userKey, user, address: mailboxAddress(user), appKey };
}

/** A user's token opens only that user's own mailbox (the scenario has no delegate permissions between users). */
function delegated(ctx: SimContext, claims: SimClaims, scope: string, userKey: string, user: ScenarioUser): MailAuthResult {
  const scopes = (claims.scp ?? '').split(/\s+/);
  if (!scopes.includes(scope)) return { ok: false, userKey, reason: 'missing-scope' };
  const upn = (claims.upn ?? '').toLowerCase();
  const tokenUser = upn ? findUserByAddress(ctx.scenario, upn) : undefined;
  if (tokenUser?.[0] !== userKey) return { ok: false, userKey, reason: 'user-mismatch' };
  return { ok: true, userKey, user, address: mailboxAddress(user) };
}
