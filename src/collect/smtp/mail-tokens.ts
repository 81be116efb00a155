import { defineFact } from '../../core/fact.js';
import { redactor } from '../../core/redact.js';
import { decodeClaims, scopesOf } from '../identity/claims.js';
import { getAccessToken, type TokenClaims } from '../identity/tokens.js';

/** A token the SMTP/IMAP probes may log in with. */
export interface MailToken {
  /** 'delegated' = from --access-token-file (a user token, as Webex Connect itself uses); 'app' = the Webex app's client-credentials token. */
  kind: 'delegated' | 'app';
  /** Never output; registered with the redactor. */
  token: string;
  claims: TokenClaims;
}

export interface MailTokens {
  delegated: MailToken | null;
  app: MailToken | null;
}

/**
 * The tokens for the live mail probes. A delegated token given with --access-token-file is used
 * as is (it is what Webex Connect itself signs in with: the mailbox user's token); otherwise the
 * Webex identity's app-only Exchange token. Sensitive: never written to a snapshot.
 */
export const mailTokensFact = defineFact<MailTokens>({
  id: 'mail.tokens',
  scope: 'tenant',
  sensitive: true,
  async collect(ctx) {
    const given = ctx.config.accessToken?.trim();
    if (given) {
      redactor.addSecret(given);
      return { delegated: { kind: 'delegated', token: given, claims: decodeClaims(given) }, app: null };
    }
    const t = await getAccessToken(ctx, 'webex', 'exchange');
    return { delegated: null, app: { kind: 'app', token: t.token, claims: t.claims } };
  },
});

export type MailProtocol = 'smtp' | 'imap';

/** The application permission an app-only token needs per protocol (reference B2). */
export const APP_ROLE: Record<MailProtocol, string> = { smtp: 'SMTP.SendAsApp', imap: 'IMAP.AccessAsApp' };
/** Delegated scopes that allow the protocol (reference A1; SMTP.SendAsApp is accepted as a documentation quirk). */
export const DELEGATED_SCOPES: Record<MailProtocol, string[]> = { smtp: ['SMTP.Send', 'SMTP.SendAsApp'], imap: ['IMAP.AccessAsUser.All'] };

/** What the report may say about the token used (no token material). */
export interface CredentialSummary {
  kind: 'delegated' | 'app' | 'none';
  /** What the token would need for this protocol: the role (app) or scope (delegated). */
  needed: string;
  /** Whether the decoded token carries it (null when the token could not be decoded). */
  carriesNeeded: boolean | null;
  /** Application (client) id of the token (`appid`/`azp`). */
  appId: string | null;
  /** App-only: the object id of the app's service principal (`oid`) — the -ObjectId of New-ServicePrincipal. */
  servicePrincipalId: string | null;
  roles: string[];
  scopes: string[];
  upn: string | null;
  audience: string | null;
}

/**
 * Which token a probe uses: the delegated one when given; else the app token if it carries the
 * protocol's role; else none (the probe is NOT_APPLICABLE and says how to make it applicable).
 * Pure: the claims are decoded for diagnosis only (reference A2).
 */
export function chooseMailToken(tokens: MailTokens, protocol: MailProtocol): { token: MailToken | null; summary: CredentialSummary } {
  if (tokens.delegated) {
    const c = tokens.delegated.claims;
    const scopes = scopesOf(c);
    const decoded = Object.keys(c).length > 0;
    return {
      token: tokens.delegated,
      summary: summarize('delegated', c, DELEGATED_SCOPES[protocol][0]!, decoded ? DELEGATED_SCOPES[protocol].some((s) => scopes.includes(s)) : null),
    };
  }
  const app = tokens.app;
  const role = APP_ROLE[protocol];
  if (app && (app.claims.roles ?? []).includes(role)) return { token: app, summary: summarize('app', app.claims, role, true) };
  return { token: null, summary: summarize('none', app?.claims ?? {}, role, app ? false : null) };
}

function summarize(kind: CredentialSummary['kind'], c: TokenClaims, needed: string, carriesNeeded: boolean | null): CredentialSummary {
  const appOnly = c.idtyp === 'app' || (!c.scp && !c.upn && !!c.roles);
  return {
    kind,
    needed,
    carriesNeeded,
    appId: c.appid ?? null,
    servicePrincipalId: appOnly || kind !== 'delegated' ? c.oid ?? null : null,
    roles: c.roles ?? [],
    scopes: scopesOf(c),
    upn: c.upn ?? null,
    audience: c.aud ?? null,
  };
}
