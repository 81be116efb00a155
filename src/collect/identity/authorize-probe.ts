import { FactError, type SerializedFactError } from '../../core/fact-error.js';
import { defineFact, type CollectContext } from '../../core/fact.js';
import { appRegistrationFact } from '../graph/entra/app-registration.js';
import { authorizeEndpoint } from './authority.js';

/** What the authorize endpoint said about the callback URL (reference C5c, G22, G23). */
export interface AuthorizeProbe {
  /** False when the app registration could be read, so no probe was needed. */
  ran: boolean;
  status?: number;
  /**
   * The AADSTS code Entra answered with: from its error page (`$Config` sErrorCode / iErrorCode,
   * else the page text) or from the `error_description` of a redirect to the callback.
   */
  aadsts?: number | null;
  /** Microsoft's message for that code, first line (e.g. 50011's "case sensitivity" sentence). */
  message?: string | null;
  /** Entra redirected to the callback URL itself (the redirect URI is registered). */
  redirectsToCallback?: boolean;
  /**
   * Entra answered 200 with its own page and no AADSTS code (a sign-in page). With prompt=none
   * Entra redirects instead (G23), so this is rare; without Entra's markers it is not Entra.
   */
  signInPage?: boolean;
  /** The answer carries Entra's markers: `$Config` in the page, or an `x-ms-request-id` header (G23 [O]). */
  fromEntra?: boolean;
  /** `error` carried by that redirect (e.g. login_required), for the evidence. */
  redirectError?: string | null;
  /** The URL asked (no secret in it: client id, callback, scope openid). */
  url?: string;
  requestId?: string | null;
  /** Why the registration could not be read. */
  registrationError?: SerializedFactError;
}

/**
 * Fallback for `entra.redirect-uri` when the app registration cannot be read: ask the authorize
 * endpoint whether it accepts the callback URL. Entra checks client_id and redirect_uri first and
 * shows its own error page (AADSTS50011, 500113) when the URI is not registered; once it is, errors
 * go *to* the redirect URI as a 302 (C5c [I]). `prompt=none` with no cookies makes that redirect
 * certain for a valid URI (no session → login_required, G23). The Location is read, never
 * followed: following it would call the customer's Webex Connect callback (Net.request does not
 * follow redirects). Every answer is returned as it came; the check decides what it means.
 */
export const authorizeProbeFact = defineFact<AuthorizeProbe>({
  id: 'entra.authorize-probe',
  scope: 'tenant',
  collect: (ctx) => probeAuthorize(ctx, 'code'),
});

/**
 * Fallback for `entra.implicit-grant` when the app registration cannot be read: the same probe
 * with `response_type=token`. Once the redirect URI is accepted, Entra answers a token request the
 * app does not allow with `unsupported_response_type` AADSTS700051 / 70005 at the redirect URI
 * (G22 [O]; the error table's 70005 [V]): "response_type 'token' is not enabled for the
 * application". Any other answer (login_required included: whether Entra checks the implicit
 * setting before the missing session is not documented) proves nothing either way.
 */
export const implicitGrantProbeFact = defineFact<AuthorizeProbe>({
  id: 'entra.implicit-grant-probe',
  scope: 'tenant',
  collect: (ctx) => probeAuthorize(ctx, 'token'),
});

async function probeAuthorize(ctx: CollectContext, responseType: 'code' | 'token'): Promise<AuthorizeProbe> {
  let registrationError: FactError;
  try {
    await ctx.get(appRegistrationFact);
    return { ran: false };
  } catch (err) {
    if (!(err instanceof FactError)) throw err;
    // A missing app is a finding of its own; nothing to probe.
    if (err.code === 'APP_NOT_FOUND' || err.code === 'INPUT_MISSING') throw err;
    registrationError = err;
  }
  const callback = ctx.config.callbackUrl;
  const clientId = ctx.config.clientId;
  if (!callback || !clientId) throw registrationError;
  const url = new URL(await authorizeEndpoint(ctx));
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('response_type', responseType);
  url.searchParams.set('redirect_uri', callback);
  url.searchParams.set('scope', 'openid');
  // A token answer goes in the fragment: OAuth's response-type encoding forbids the query for it.
  url.searchParams.set('response_mode', responseType === 'token' ? 'fragment' : 'query');
  url.searchParams.set('prompt', 'none');
  url.searchParams.set('state', 'wxmail-doctor-probe');
  const res = await ctx.net.request<string>({ method: 'GET', url: url.toString(), expect: 'text', signal: ctx.signal, headers: { accept: 'text/html' } });
  const location = res.headers.location ?? null;
  const body = typeof res.body === 'string' ? res.body : '';
  const requestId = res.headers['x-ms-request-id'] ?? null;
  const redirectsToCallback = res.status >= 300 && res.status < 400 && !!location && sameTarget(location, callback);
  const params = redirectsToCallback && location ? redirectParams(location) : null;
  const redirectError = params?.get('error') ?? null;
  const { aadsts, message } = params ? codeOf(params.get('error_description') ?? '') : pageCode(body);
  const fromEntra = /\$Config\s*=/.test(body) || !!requestId;
  const signInPage = res.status === 200 && aadsts === null && /html/i.test(res.headers['content-type'] ?? '');
  return {
    ran: true,
    status: res.status,
    aadsts,
    message,
    redirectsToCallback,
    signInPage,
    fromEntra,
    redirectError,
    url: url.toString(),
    requestId,
    registrationError: registrationError.toJSON(),
  };
}

/** The redirect's parameters: the fragment for token response types, else the query. */
function redirectParams(location: string): URLSearchParams {
  const loc = new URL(location);
  return new URLSearchParams(loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.search);
}

/** `AADSTSnnnn: message` → number and the message's first line. */
export function codeOf(text: string): { aadsts: number | null; message: string | null } {
  const m = /AADSTS(\d+):?\s*([^\r\n<]*)/.exec(text);
  return m ? { aadsts: Number(m[1]), message: m[2]!.trim() || null } : { aadsts: null, message: null };
}

/**
 * The code on one of Entra's HTML pages: `$Config`'s sErrorCode / iErrorCode and
 * strServiceExceptionMessage first (G23 [O]), else the first `AADSTSnnnn` in the page.
 */
export function pageCode(body: string): { aadsts: number | null; message: string | null } {
  const cfg = /\$Config\s*=\s*(\{.*?\});?\s*(?:\r?\n|\/\/)/s.exec(body);
  if (cfg) {
    try {
      const c = JSON.parse(cfg[1]!) as Record<string, unknown>;
      const n = Number(c.sErrorCode ?? c.iErrorCode);
      if (Number.isInteger(n) && n > 0) {
        const text = typeof c.strServiceExceptionMessage === 'string' ? c.strServiceExceptionMessage : '';
        return { aadsts: n, message: codeOf(text).message ?? (text.trim() || null) };
      }
    } catch {
      // Not JSON we can read: fall back to the page text.
    }
  }
  return codeOf(body);
}

/** The Location goes to the callback URL exactly (scheme, host, path), ignoring the query. */
function sameTarget(location: string, callback: string): boolean {
  try {
    const a = new URL(location);
    const b = new URL(callback);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
