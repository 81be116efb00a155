/**
 * The one table that turns Entra ID (AADSTS) errors into reason codes. Microsoft says to key on
 * `error` / `error_codes`, never on `error_description` text (reference A1), so this maps the
 * AADSTS *number*; the description is only quoted back to the user.
 */
import type { Code } from '../../core/codes.js';

/**
 * The JSON error body of the v2 token and metadata endpoints (reference A1 [V], A3b [O]):
 * `{error, error_description, error_codes[], timestamp, trace_id, correlation_id, error_uri}`.
 */
export interface AadErrorBody {
  error?: string;
  error_description?: string;
  error_codes?: number[];
  timestamp?: string;
  trace_id?: string;
  correlation_id?: string;
  error_uri?: string;
}

/** A token-endpoint failure in plain terms. */
export interface AadError {
  /** The AADSTS number (first of `error_codes`, else parsed from the description), or null. */
  aadsts: number | null;
  /** OAuth `error`, e.g. invalid_client. */
  error: string | null;
  /** Microsoft's text, first line only (the rest is trace/correlation noise repeated elsewhere). */
  description: string | null;
  errorUri: string | null;
  traceId: string | null;
  correlationId: string | null;
  httpStatus: number;
}

export interface AadMapping {
  code: Code;
  /** One line: what went wrong, in plain words. */
  summary: string;
  /** Why, and what to do. Markdown. */
  details: string;
}

/** A configured secret that is shaped like a GUID is almost certainly the secret's ID (A3, 7000215). */
export const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeSecretId(secret: string | undefined): boolean {
  return !!secret && GUID_SHAPE.test(secret.trim());
}

export function isAadErrorBody(body: unknown): body is AadErrorBody {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.error === 'string' || Array.isArray(b.error_codes);
}

/** Reads Microsoft's error body (any status). Null when it is not that shape. */
export function parseAadError(body: unknown, httpStatus: number): AadError | null {
  if (!isAadErrorBody(body)) return null;
  const description = typeof body.error_description === 'string' ? body.error_description : null;
  let aadsts: number | null = Array.isArray(body.error_codes) && typeof body.error_codes[0] === 'number' ? body.error_codes[0] : null;
  if (aadsts === null && description) {
    const m = /AADSTS(\d+)/.exec(description);
    if (m) aadsts = Number(m[1]);
  }
  return {
    aadsts,
    error: typeof body.error === 'string' ? body.error : null,
    description: description ? firstLine(description) : null,
    errorUri: typeof body.error_uri === 'string' ? body.error_uri : aadsts !== null ? `https://login.microsoftonline.com/error?code=${aadsts}` : null,
    traceId: typeof body.trace_id === 'string' ? body.trace_id : null,
    correlationId: typeof body.correlation_id === 'string' ? body.correlation_id : null,
    httpStatus,
  };
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0]!.trim();
}

export interface MapContext {
  /** The configured client secret, to tell a pasted secret ID from a wrong value. Never echoed. */
  clientSecret?: string | undefined;
  clientId?: string | undefined;
  tenantId?: string | undefined;
  /** 'secret' or 'certificate': which credential was sent. */
  credential: 'secret' | 'certificate' | 'none';
}

/** Tenant not found (90002) or malformed tenant identifier (900023); both mean "fix --tenant-id". */
export const TENANT_ERRORS = new Set([90002, 900023]);

/**
 * AADSTS number → reason code, with the cause and fix in plain words. Anything not listed is
 * TOKEN_FAILED with the number and Microsoft's error URI in the evidence.
 */
export function mapAadError(e: AadError, ctx: MapContext): AadMapping {
  const quote = e.description ? `\n\nMicrosoft said: "${e.description}"` : '';
  const app = ctx.clientId ? `app \`${ctx.clientId}\`` : 'the app';
  switch (e.aadsts) {
    case 7000215:
      if (ctx.credential === 'secret' && looksLikeSecretId(ctx.clientSecret)) {
        return {
          code: 'SECRET_ID_NOT_VALUE',
          summary: 'The configured client secret is the secret\'s ID (a GUID), not its value (AADSTS7000215).',
          details:
            'In *Certificates & secrets* the portal shows two columns: **Value** (shown only once, right after creation) and **Secret ID** (a GUID). ' +
            'Webex Connect needs the **Value**. If it was not copied when the secret was created, create a new client secret and copy its Value.' +
            quote,
        };
      }
      return {
        code: 'SECRET_INVALID',
        summary: `Entra ID rejected the client secret of ${app} (AADSTS7000215: invalid client secret).`,
        details:
          'The secret does not belong to this app registration, was mistyped, or was deleted. Compare its first three characters with the *Value* column ' +
          '(`hint`) in *Certificates & secrets*; if none matches, create a new client secret and enter its Value in Webex Connect.' +
          quote,
      };
    case 7000222:
      return {
        code: 'SECRET_EXPIRED',
        summary: `The client secret of ${app} has expired (AADSTS7000222).`,
        details: 'Create a new client secret in *Certificates & secrets*, enter its Value in Webex Connect, and delete the expired one.' + quote,
      };
    case 700016:
      return {
        code: 'APP_NOT_FOUND',
        summary: `No application with client ID ${ctx.clientId ?? '(none)'} exists in tenant ${ctx.tenantId ?? '(none)'} (AADSTS700016).`,
        details:
          'The client ID is wrong, or the app is registered in another tenant. Copy *Application (client) ID* and *Directory (tenant) ID* from the app\'s Overview page.' +
          quote,
      };
    case 700011:
      // G7 [V]: UnauthorizedClientAppNotFoundInOrgIdTenant — the app is not in *this* tenant.
      return {
        code: 'APP_NOT_FOUND',
        summary: `Application ${ctx.clientId ?? '(none)'} was not found in tenant ${ctx.tenantId ?? '(none)'} (AADSTS700011).`,
        details:
          'Entra knows no application with this client ID in the tenant the request went to: the app is registered in another tenant (single-tenant), or the tenant ID is another organisation\'s. ' +
          'Use the *Directory (tenant) ID* shown on the app\'s Overview page, or register the app in this tenant.' +
          quote,
      };
    case 70001:
      // G7 [O]: the table says "disabled", real bodies read "…was not found in the directory…".
      if (/not found in the directory/i.test(e.description ?? '')) {
        return {
          code: 'APP_NOT_FOUND',
          summary: `No application with client ID ${ctx.clientId ?? '(none)'} exists in tenant ${ctx.tenantId ?? '(none)'} (AADSTS70001: not found in the directory).`,
          details:
            'Entra\'s error table describes AADSTS70001 as "application is disabled", but the message says the application was not found in the directory: ' +
            'the client ID is wrong, or the app is registered in another tenant. Copy *Application (client) ID* and *Directory (tenant) ID* from the app\'s Overview page.' +
            quote,
        };
      }
      return appDisabled(e.aadsts, app, quote);
    case 7000112:
      return appDisabled(e.aadsts, app, quote);
    case 7000229:
      // G7 [O] (Azure/Commercial-Marketplace-SaaS-Accelerator#830): "The client application … is missing service principal in the tenant …".
      return {
        code: 'SERVICE_PRINCIPAL_MISSING',
        summary: `${cap(app)} has no service principal (enterprise application) in tenant ${ctx.tenantId ?? '(none)'} (AADSTS7000229).`,
        details:
          'An app registration signs in to a tenant through its service principal there. It is created when an admin consents, or by hand ' +
          '(New-MgServicePrincipal, see the fix); it was never created in this tenant, or it was deleted.' +
          quote,
      };
    case 53003:
      // G7 [V]: BlockedByConditionalAccess; for an app sign-in, a workload-identity Conditional Access policy.
      return {
        code: 'CONDITIONAL_ACCESS_BLOCKED',
        summary: `A Conditional Access policy blocked the sign-in of ${app} (AADSTS53003).`,
        details:
          'Entra ID accepted the credentials but a Conditional Access policy refused the token. For client credentials this is a policy for workload identities ' +
          '(service principals), for example one that allows sign-ins only from named locations. The sign-in log of the service principal names the policy.' +
          quote,
      };
    case 500011:
      // G7 [V]: InvalidResourceServicePrincipalNotFound.
      return {
        code: 'RESOURCE_NOT_IN_TENANT',
        summary: `The resource the token was asked for has no service principal in tenant ${ctx.tenantId ?? '(none)'} (AADSTS500011).`,
        details:
          'The tenant has no service principal for the API named in the scope (Office 365 Exchange Online or Microsoft Graph): it has no Exchange Online ' +
          'subscription, the request went to another tenant, or the scope names another cloud\'s resource (`--cloud`).' +
          quote,
      };
    case 700024:
      // G7 [V]: client assertion is not within its valid time range.
      return {
        code: 'CLIENT_ASSERTION_TIME_INVALID',
        summary: `Entra ID refused the certificate sign-in of ${app}: the client assertion is outside its valid time range (AADSTS700024).`,
        details:
          'The signed assertion carries times (nbf, exp) taken from this machine\'s clock; Entra judges them by its own. This machine\'s clock is off by more than ' +
          'the few minutes Entra tolerates. Synchronise it (NTP) and run again.' +
          quote,
      };
    case 90002:
    case 900023:
      return {
        code: 'TENANT_NOT_FOUND',
        summary: `Tenant '${ctx.tenantId ?? ''}' was not found (AADSTS${e.aadsts}).`,
        details:
          'The tenant ID or domain is wrong, or it belongs to another cloud (`--cloud`). Copy *Directory (tenant) ID* from the app\'s Overview page.' + quote,
      };
    default: {
      // 700027: "Client assertion failed signature validation" — the same number for a key not
      // found, expired or badly signed; the certificate's own state is judged by entra.client-secret.
      const certHint =
        e.aadsts === 700027 && ctx.credential === 'certificate'
          ? 'With a certificate this means Entra could not use it: not uploaded to this app, expired, or the PEM holds another key (see entra.client-secret). '
          : '';
      return {
        code: 'TOKEN_FAILED',
        summary: e.aadsts !== null
          ? `Entra ID refused the token request (AADSTS${e.aadsts}${e.error ? `, ${e.error}` : ''}).`
          : `The token endpoint answered HTTP ${e.httpStatus}${e.error ? ` (${e.error})` : ''} without a token.`,
        details: certHint + (e.errorUri ? `Microsoft's explanation of this code: ${e.errorUri}` : '') + quote,
      };
    }
  }
}

function appDisabled(aadsts: number, app: string, quote: string): AadMapping {
  return {
    code: 'APP_DISABLED',
    summary: `The application ${app} is disabled in the tenant (AADSTS${aadsts}).`,
    details: 'Its enterprise application (service principal) has *Enabled for users to sign-in?* set to No. Set it to Yes.' + quote,
  };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Evidence for a token failure: codes and ids only, never request bodies. */
export function aadEvidence(e: AadError): Record<string, unknown> {
  return {
    aadsts: e.aadsts,
    error: e.error,
    errorDescription: e.description,
    errorUri: e.errorUri,
    httpStatus: e.httpStatus,
    traceId: e.traceId,
    correlationId: e.correlationId,
  };
}

/**
 * OAuth errors a `prompt=none` sign-in answers when Entra accepted the request but wants a user
 * (OpenID Connect Core §3.1.2.6): the redirect URI was accepted; not a problem of the app.
 */
export const INTERACTION_ERRORS: ReadonlySet<string> = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/** Redirect-URI errors of the authorize endpoint (A3, G22 [V/O]). */
export const REPLY_URL_ERRORS: ReadonlySet<number> = new Set([50011, 500113]);
/** `response_type=token` not enabled: 70005 in Microsoft's table, 700051 in the text users report (G22 [O]). */
export const IMPLICIT_TOKEN_OFF_ERRORS: ReadonlySet<number> = new Set([70005, 700051]);

/**
 * An AADSTS code the authorize endpoint answered with → reason code, through the same table as
 * the token endpoint (G22: every code is a finding of its own). Null when the answer only says
 * "a user must sign in" (the request was accepted). A code the token table has no name for is
 * AUTHORIZE_ERROR (warn: whether it stops Webex Connect's sign-in depends on the code).
 */
export function mapAuthorizeError(aadsts: number | null, oauthError: string | null, message: string | null, ctx: Omit<MapContext, 'credential'>): AadMapping | null {
  if (oauthError && INTERACTION_ERRORS.has(oauthError)) return null;
  if (aadsts === null && !oauthError) return null;
  const quote = message ? `\n\nMicrosoft said: "AADSTS${aadsts ?? ''}: ${message}"` : '';
  if (aadsts !== null && REPLY_URL_ERRORS.has(aadsts)) {
    if (aadsts === 500113) {
      return {
        code: 'REDIRECT_URI_MISSING',
        summary: 'The app has no redirect URI at all (AADSTS500113: no reply address is registered for the application).',
        details: 'Entra rejects every sign-in to an app without a reply address, so Webex Connect\'s "Generate Token" cannot work. Add the Call Back URL as a Web redirect URI.' + quote,
      };
    }
    const caseOnly = /case sensitivity/i.test(message ?? '');
    return {
      code: 'REDIRECT_URI_MISSING',
      summary: `Entra rejects the Call Back URL as redirect URI (AADSTS50011${caseOnly ? ': it differs from a registered URI only in letter case' : ''}).`,
      details:
        (caseOnly
          ? 'Entra says "Reply address did not match because of case sensitivity": a registered redirect URI has the same letters in another case. Redirect URIs match exactly; register the Call Back URL exactly as Webex Connect shows it.'
          : 'The Call Back URL is not one of the app\'s Web redirect URIs; Entra requires an exact match.') + quote,
    };
  }
  if (aadsts !== null && IMPLICIT_TOKEN_OFF_ERRORS.has(aadsts)) {
    return {
      code: 'IMPLICIT_ACCESS_TOKENS_OFF',
      summary: `The app does not issue access tokens from the authorize endpoint (AADSTS${aadsts}: response_type 'token' is not enabled).`,
      details: 'Authentication → Implicit grant and hybrid flows → tick "Access tokens (used for implicit flows)" → Save.' + quote,
    };
  }
  const e: AadError = {
    aadsts,
    error: oauthError,
    description: message ? `AADSTS${aadsts ?? ''}: ${message}` : null,
    errorUri: aadsts !== null ? `https://login.microsoftonline.com/error?code=${aadsts}` : null,
    traceId: null,
    correlationId: null,
    httpStatus: 0,
  };
  const m = mapAadError(e, { ...ctx, credential: 'none' });
  if (m.code !== 'TOKEN_FAILED') return m;
  return {
    code: 'AUTHORIZE_ERROR',
    summary: `Entra answered the sign-in probe with AADSTS${aadsts ?? '?'}${oauthError ? ` (${oauthError})` : ''}, an error the doctor has no name for.`,
    details: (aadsts !== null ? `Microsoft's explanation of this code: https://login.microsoftonline.com/error?code=${aadsts}` : '') + quote,
  };
}
