import { defineCheck, finding, optional, pass, type Outcome } from '../../src/core/check.js';
import type { SerializedFactError } from '../../src/core/fact-error.js';
import { authorizeProbeFact, type AuthorizeProbe } from '../../src/collect/identity/authorize-probe.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import type { AppRegistration } from '../../src/collect/graph/entra/types.js';
import { mapAuthorizeError } from '../../src/collect/errors/aadsts.js';
import { explain } from './lib/explanations.js';
import { nearMisses, PLATFORM_NAME, type NearMiss } from './lib/redirect.js';
import { mdCode } from '../../src/core/md.js';

/**
 * Webex Connect's "Generate Token" sign-in sends its Call Back URL as redirect_uri; Entra accepts
 * only an exact match with a *Web* redirect URI. Reads the registration; when it cannot be read
 * (no permission, or the Webex app cannot sign in) it asks the authorize endpoint instead, which
 * needs no token at all.
 */
export default defineCheck({
  id: 'entra.redirect-uri',
  title: 'The Call Back URL is a Web redirect URI of the app',
  step: 2,
  description:
    'The Call Back URL from Webex Connect must be exactly one of the app registration\'s Web redirect URIs, or the mailbox user\'s sign-in at "Generate Token" ends with AADSTS50011. ' +
    'Names near misses (trailing slash, http, letter case, another tenant or region host) and URIs registered under the SPA or mobile/desktop platform. ' +
    'Without read access to the registration it probes the authorize endpoint with the Call Back URL (never following the redirect).',
  scope: 'tenant',
  needs: { app: optional(appRegistrationFact), probe: optional(authorizeProbeFact) },
  // No `requires: entra.token`: with a refused Webex sign-in the probe still answers (it needs no
  // token), so a wrong secret does not hide a wrong redirect URI.
  precondition({ config }) {
    if (!config.callbackUrl) return finding('INPUT_MISSING', 'No Call Back URL configured (--callback-url).');
    if (!config.clientId) return finding('INPUT_MISSING', 'No client ID configured (--client-id).');
    return null;
  },
  permissions: ['Application.Read.All (or the Webex app reading its own registration); without it, no permission (authorize-endpoint probe)'],
  explanations: explain(
    'REDIRECT_URI_MISSING',
    'REDIRECT_URI_WRONG_PLATFORM',
    'APP_NOT_FOUND',
    'APP_DISABLED',
    'TENANT_NOT_FOUND',
    'SERVICE_PRINCIPAL_MISSING',
    'CONDITIONAL_ACCESS_BLOCKED',
    'IMPLICIT_ACCESS_TOKENS_OFF',
    'AUTHORIZE_ERROR',
    'AUTHORIZE_PROBE_INCONCLUSIVE',
  ),
  run({ app, probe }, { config }) {
    const callback = config.callbackUrl!;
    if (app.ok) return fromRegistration(app.value, callback);
    if (probe.ok && probe.value.ran) return fromProbe(probe.value, callback, { clientId: config.clientId, tenantId: config.tenantId });
    const err = probe.ok ? app.error : probe.error;
    return finding(err.code, err.message, { details: err.details, evidence: { ...err.evidence, ...(err.permission ? { missingPermission: err.permission } : {}) }, requestIds: err.requestIds });
  },
});

export function fromRegistration(app: AppRegistration, callback: string): Outcome {
  const byPlatform = { web: app.web.redirectUris, spa: app.spa.redirectUris, publicClient: app.publicClient.redirectUris };
  const evidence = { callbackUrl: callback, redirectUris: byPlatform };
  // The fix sets the whole Web list: every URI already there (other integrations use them) plus the callback.
  const values = { 'redirect-uris': [...app.web.redirectUris, callback] };
  if (app.web.redirectUris.includes(callback)) {
    const others = app.web.redirectUris.length - 1;
    return pass(`The Call Back URL is a Web redirect URI of ${app.displayName || 'the app'}${others > 0 ? ` (with ${others} other)` : ''}.`, { evidence });
  }
  const misses = nearMisses(callback, byPlatform);
  const missList = misses.length ? `Near misses:\n${misses.map(describe).join('\n')}` : '';
  const wrong = (['spa', 'publicClient'] as const).filter((p) => byPlatform[p].includes(callback));
  if (wrong.length > 0) {
    const where = wrong.map((p) => PLATFORM_NAME[p]).join(' and ');
    return finding('REDIRECT_URI_WRONG_PLATFORM', `The Call Back URL is registered under ${where}, not under Web.`, {
      details: [`Webex Connect redeems the code on its server with the client secret; Entra allows that only for Web redirect URIs. Move ${callback} to the Web platform.`, missList].filter(Boolean).join('\n\n'),
      evidence,
      values,
    });
  }
  const none = app.web.redirectUris.length + app.spa.redirectUris.length + app.publicClient.redirectUris.length === 0;
  const registered = app.web.redirectUris.length
    ? `The Web redirect URIs are: ${app.web.redirectUris.map((u) => mdCode(u)).join(', ')}.`
    : none
      ? 'The app has no redirect URI at all, so Entra refuses every sign-in to it (AADSTS500113: no reply address is registered).'
      : 'The app has no Web redirect URI at all.';
  const summary = misses.length
    ? `The Call Back URL is not a Web redirect URI; closest: ${misses[0]!.uri} (${misses[0]!.differences.join(', ')}).`
    : 'The Call Back URL is not a Web redirect URI of the app.';
  return finding('REDIRECT_URI_MISSING', summary, {
    details: [`Webex Connect sends ${mdCode(callback)}; Entra requires an exact match. ${registered}`, missList].filter(Boolean).join('\n\n'),
    evidence: { ...evidence, nearMisses: misses },
    values,
  });
}

export function fromProbe(p: AuthorizeProbe, callback: string, ids: { clientId?: string; tenantId?: string } = {}): Outcome {
  const why = p.registrationError ? reason(p.registrationError) : 'not read';
  const evidence = {
    callbackUrl: callback,
    source: 'authorize-endpoint probe',
    authorizeUrl: p.url ?? null,
    status: p.status ?? null,
    aadsts: p.aadsts ?? null,
    message: p.message ?? null,
    redirectsToCallback: !!p.redirectsToCallback,
    redirectError: p.redirectError ?? null,
    entraMarkers: p.fromEntra ?? null,
    requestId: p.requestId ?? null,
    registrationError: p.registrationError ? { code: p.registrationError.code, summary: p.registrationError.summary } : null,
  };
  const unread = `The app registration could not be read (${why}), so the doctor asked the authorize endpoint instead.`;
  const mapped = mapAuthorizeError(p.aadsts ?? null, p.redirectError ?? null, p.message ?? null, ids);
  const requestIds = p.requestId ? [p.requestId] : undefined;
  if (p.redirectsToCallback) {
    const accepted = `Entra accepts the Call Back URL as a redirect URI (the probe was redirected there${p.redirectError ? ` with ${p.redirectError}` : ''}).`;
    const caveat = `${unread} The probe cannot tell the platform (Web vs. SPA); give the doctor read access to confirm it is Web.`;
    if (!mapped) return pass(accepted, { details: caveat, evidence, requestIds });
    // G22: the URI is fine, but the code Entra sent with it is a finding of its own.
    return finding(mapped.code, `${accepted} ${mapped.summary}`, { details: [mapped.details, caveat].join('\n\n'), evidence, requestIds });
  }
  if (mapped) {
    const near = mapped.code === 'REDIRECT_URI_MISSING' ? ' The near misses cannot be named without the registration; compare the Web redirect URIs by hand.' : '';
    return finding(mapped.code, `${mapped.summary.replace(/\.$/, '')} (authorize-endpoint probe).`, { details: [mapped.details, unread + near].join('\n\n'), evidence, requestIds });
  }
  if (p.signInPage && p.fromEntra) {
    // [I] With prompt=none Entra redirects rather than showing a page (G23); its own page without a code still means client_id and redirect_uri passed.
    return pass('Entra accepts the Call Back URL as a redirect URI (it showed its sign-in page, not AADSTS50011).', {
      details: `${unread} It answered with its own page (Entra's markers present) and no error. This rests on an inference [I]: Entra checks the redirect URI before it shows any page. The probe cannot tell the platform (Web vs. SPA).`,
      evidence,
      requestIds,
    });
  }
  // G23: a page without an AADSTS code and without Entra's markers is evidence of nothing.
  return finding('AUTHORIZE_PROBE_INCONCLUSIVE', `Cannot tell whether Entra accepts the Call Back URL: the sign-in probe got HTTP ${p.status ?? '?'} ${p.fromEntra ? 'from Entra without an error code or a redirect' : 'without an AADSTS code or Entra\'s markers ($Config, x-ms-request-id)'}.`, {
    details: `${unread} The answer did not come from Entra ID, or says nothing about the redirect URI: a proxy, a block page or a captive portal may have answered.`,
    evidence,
  });
}

function describe(m: NearMiss): string {
  return `- ${mdCode(m.uri)} (${PLATFORM_NAME[m.platform]}): ${m.differences.join(', ')}`;
}

function reason(e: SerializedFactError): string {
  return `${e.code}: ${e.summary}`;
}
