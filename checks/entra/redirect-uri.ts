import { defineCheck, finding, optional, pass, type Outcome } from '../../src/core/check.js';
import type { SerializedFactError } from '../../src/core/fact-error.js';
import { authorizeProbeFact, type AuthorizeProbe } from '../../src/collect/identity/authorize-probe.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import type { AppRegistration } from '../../src/collect/graph/entra/types.js';
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
  explanations: explain('REDIRECT_URI_MISSING', 'REDIRECT_URI_WRONG_PLATFORM', 'APP_NOT_FOUND', 'APP_DISABLED', 'TENANT_NOT_FOUND'),
  run({ app, probe }, { config }) {
    const callback = config.callbackUrl!;
    if (app.ok) return fromRegistration(app.value, callback);
    if (probe.ok && probe.value.ran) return fromProbe(probe.value, callback);
    const err = probe.ok ? app.error : probe.error;
    return finding(err.code, err.message, { details: err.details, evidence: { ...err.evidence, ...(err.permission ? { missingPermission: err.permission } : {}) }, requestIds: err.requestIds });
  },
});

export function fromRegistration(app: AppRegistration, callback: string): Outcome {
  const byPlatform = { web: app.web.redirectUris, spa: app.spa.redirectUris, publicClient: app.publicClient.redirectUris };
  const evidence = { callbackUrl: callback, redirectUris: byPlatform };
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
    });
  }
  const registered = app.web.redirectUris.length
    ? `The Web redirect URIs are: ${app.web.redirectUris.map((u) => mdCode(u)).join(', ')}.`
    : 'The app has no Web redirect URI at all.';
  const summary = misses.length
    ? `The Call Back URL is not a Web redirect URI; closest: ${misses[0]!.uri} (${misses[0]!.differences.join(', ')}).`
    : 'The Call Back URL is not a Web redirect URI of the app.';
  return finding('REDIRECT_URI_MISSING', summary, {
    details: [`Webex Connect sends ${mdCode(callback)}; Entra requires an exact match. ${registered}`, missList].filter(Boolean).join('\n\n'),
    evidence: { ...evidence, nearMisses: misses },
  });
}

export function fromProbe(p: AuthorizeProbe, callback: string): Outcome {
  const why = p.registrationError ? reason(p.registrationError) : '';
  const evidence = {
    callbackUrl: callback,
    source: 'authorize-endpoint probe',
    status: p.status ?? null,
    aadsts: p.aadsts ?? null,
    redirectsToCallback: !!p.redirectsToCallback,
    redirectError: p.redirectError ?? null,
    registrationError: p.registrationError ? { code: p.registrationError.code, summary: p.registrationError.summary } : null,
  };
  if (p.aadsts === 50011) {
    return finding('REDIRECT_URI_MISSING', 'Entra rejects the Call Back URL as redirect URI (AADSTS50011 from the authorize endpoint).', {
      details: `The app registration could not be read (${why}), so the near misses cannot be named; compare the Web redirect URIs by hand.`,
      evidence,
    });
  }
  if (p.aadsts === 700016) return finding('APP_NOT_FOUND', 'The authorize endpoint does not know the client ID (AADSTS700016).', { evidence });
  if (p.aadsts === 90002 || p.aadsts === 900023) return finding('TENANT_NOT_FOUND', `The authorize endpoint does not know the tenant (AADSTS${p.aadsts}).`, { evidence });
  if (p.aadsts === 7000112) return finding('APP_DISABLED', 'The authorize endpoint says the app is disabled (AADSTS7000112).', { evidence });
  if (p.redirectsToCallback || p.signInPage) {
    return pass('Entra accepts the Call Back URL as a redirect URI (authorize-endpoint probe).', {
      details:
        `The app registration could not be read (${why}), so the probe asked the authorize endpoint instead: it ${p.redirectsToCallback ? 'redirected to the Call Back URL' : 'showed its sign-in page'} instead of an AADSTS50011 error. ` +
        'The probe cannot tell the platform (Web vs. SPA); give the doctor read access to confirm it is Web.',
      evidence,
    });
  }
  const e = p.registrationError!;
  return finding(e.code, e.summary, { details: e.details, evidence: { ...evidence, ...e.evidence } });
}

function describe(m: NearMiss): string {
  return `- ${mdCode(m.uri)} (${PLATFORM_NAME[m.platform]}): ${m.differences.join(', ')}`;
}

function reason(e: SerializedFactError): string {
  return `${e.code}: ${e.summary}`;
}
