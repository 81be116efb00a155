import { FactError, type SerializedFactError } from '../../core/fact-error.js';
import { defineFact } from '../../core/fact.js';
import { appRegistrationFact } from '../graph/entra/app-registration.js';
import { authorizeEndpoint } from './authority.js';

/** What the authorize endpoint said about the callback URL (reference C5c). */
export interface AuthorizeProbe {
  /** False when the app registration could be read, so no probe was needed. */
  ran: boolean;
  status?: number;
  /** The AADSTS code on Entra's own error page (50011: reply URL not registered), if any. */
  aadsts?: number | null;
  /** Entra redirected to the callback URL itself (the redirect URI is registered). */
  redirectsToCallback?: boolean;
  /**
   * Entra showed its sign-in page (200, HTML, no AADSTS code): it accepted client_id and
   * redirect_uri and wants a user — what it does for a registered URI without prompt=none.
   */
  signInPage?: boolean;
  /** `error` carried by that redirect (e.g. login_required), for the evidence. */
  redirectError?: string | null;
  /** Why the registration could not be read. */
  registrationError?: SerializedFactError;
}

/**
 * Fallback for `entra.redirect-uri` when the app registration cannot be read: ask the authorize
 * endpoint whether it accepts the callback URL. Entra checks client_id and redirect_uri first and
 * shows its own error page (AADSTS50011) when the URI is not registered; once it is, errors go
 * *to* the redirect URI as a 302 (C5c [I]). `prompt=none` makes that redirect certain for a valid
 * URI (no session → login_required). The Location is read, never followed: following it would
 * call the customer's Webex Connect callback (Net.request does not follow redirects).
 */
export const authorizeProbeFact = defineFact<AuthorizeProbe>({
  id: 'entra.authorize-probe',
  scope: 'tenant',
  async collect(ctx) {
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
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', callback);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('response_mode', 'query');
    url.searchParams.set('prompt', 'none');
    url.searchParams.set('state', 'wxmail-doctor-probe');
    const res = await ctx.net.request<string>({ method: 'GET', url: url.toString(), expect: 'text', signal: ctx.signal, headers: { accept: 'text/html' } });
    const location = res.headers.location ?? null;
    const body = typeof res.body === 'string' ? res.body : '';
    const m = /AADSTS(\d+)/.exec(body);
    const aadsts = m ? Number(m[1]) : null;
    const redirectsToCallback = res.status >= 300 && res.status < 400 && !!location && sameTarget(location, callback);
    let redirectError: string | null = null;
    if (redirectsToCallback && location) {
      const loc = new URL(location);
      const params = new URLSearchParams(loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.search);
      redirectError = params.get('error');
    }
    const signInPage = res.status === 200 && aadsts === null && /html/i.test(res.headers['content-type'] ?? '');
    // None of the three answers: the probe says nothing; report why the registration could not be
    // read instead of guessing.
    if (!redirectsToCallback && !signInPage && aadsts === null) throw registrationError;
    return { ran: true, status: res.status, aadsts, redirectsToCallback, signInPage, redirectError, registrationError: registrationError.toJSON() };
  },
});

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
