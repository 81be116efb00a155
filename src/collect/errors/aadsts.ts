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
    case 7000112:
    case 70001:
      return {
        code: 'APP_DISABLED',
        summary: `The application ${app} is disabled in the tenant (AADSTS${e.aadsts}).`,
        details: 'Its enterprise application (service principal) has *Enabled for users to sign-in?* set to No. Set it to Yes.' + quote,
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
