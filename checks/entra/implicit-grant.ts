import { defineCheck, finding, optional, pass, type Outcome } from '../../src/core/check.js';
import type { FactError } from '../../src/core/fact-error.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import { implicitGrantProbeFact, type AuthorizeProbe } from '../../src/collect/identity/authorize-probe.js';
import { explain } from './lib/explanations.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

/** AADSTS700051 (the number users report) and 70005 (the error table's): the token response type is off (G22). */
const TOKEN_NOT_ENABLED: ReadonlySet<number> = new Set([700051, 70005]);

/**
 * The setup guide (step 2) ticks "Access tokens (used for implicit flows)". Nothing in the
 * reference shows Webex Connect using the implicit flow (E2), but the doctor verifies what the
 * guide asks for. Reads the registration; when it cannot be read, an authorize request with
 * `response_type=token` can still prove the box is NOT ticked (never that it is).
 */
export default defineCheck({
  id: 'entra.implicit-grant',
  title: 'Implicit grant issues access tokens',
  step: 2,
  description:
    'The setup guide ticks Authentication → Implicit grant and hybrid flows → "Access tokens". Reads web.implicitGrantSettings.enableAccessTokenIssuance of the app registration; ' +
    'without read access it asks the authorize endpoint for response_type=token with the Call Back URL (never following the redirect), which can show the box is off.',
  scope: 'tenant',
  needs: { app: optional(appRegistrationFact), probe: optional(implicitGrantProbeFact) },
  requires: requiresTokenWithoutReader,
  precondition: ({ config }) => (config.clientId ? null : finding('INPUT_MISSING', 'No client ID configured (--client-id).')),
  permissions: ['Application.Read.All (or the Webex app reading its own registration); without it, an authorize-endpoint probe can show the box is off'],
  explanations: explain('IMPLICIT_ACCESS_TOKENS_OFF', 'APP_NOT_FOUND'),
  run({ app, probe }) {
    if (app.ok) {
      const s = app.value.web.implicitGrantSettings;
      const evidence = { enableAccessTokenIssuance: s.enableAccessTokenIssuance, enableIdTokenIssuance: s.enableIdTokenIssuance };
      if (s.enableAccessTokenIssuance) return pass('The authorization endpoint issues access tokens (implicit grant), as the guide requires.', { evidence });
      return finding('IMPLICIT_ACCESS_TOKENS_OFF', 'Implicit grant "Access tokens" is off; the setup guide requires it.', {
        details: 'Authentication → Implicit grant and hybrid flows → tick "Access tokens (used for implicit flows)" → Save.',
        evidence,
      });
    }
    return fromProbe(app.error, probe.ok ? probe.value : null);
  },
});

/** Without the registration: the probe's refusal is a finding; anything else leaves the registration's error. */
export function fromProbe(registrationError: FactError, probe: AuthorizeProbe | null): Outcome {
  const evidence = probe?.ran
    ? { probe: { url: probe.url, status: probe.status, redirectsToCallback: probe.redirectsToCallback, error: probe.redirectError, aadsts: probe.aadsts, requestId: probe.requestId } }
    : {};
  if (probe?.ran && probe.redirectsToCallback && probe.aadsts !== null && probe.aadsts !== undefined && TOKEN_NOT_ENABLED.has(probe.aadsts)) {
    return finding('IMPLICIT_ACCESS_TOKENS_OFF', `Implicit grant "Access tokens" is off: Entra refused response_type=token for the Call Back URL with AADSTS${probe.aadsts}.`, {
      details:
        `The app registration could not be read (${registrationError.message}), so the doctor asked the authorize endpoint for an access token (response_type=token, prompt=none) and Entra answered at the Call Back URL: ` +
        `AADSTS${probe.aadsts} ${probe.message ?? "response_type 'token' is not enabled for the application"}. ` +
        'This answer is what users report for the unticked box (observed, G22); the portal shows it under Authentication → Implicit grant and hybrid flows.',
      evidence,
      ...(probe.requestId ? { requestIds: [probe.requestId] } : {}),
    });
  }
  // Any other answer cannot settle it: keep what stopped the registration read, and say what the probe saw.
  const saw = !probe?.ran
    ? ''
    : probe.redirectsToCallback
      ? `\n\nThe authorize endpoint did not refuse response_type=token (it redirected to the Call Back URL with ${probe.redirectError ?? 'no error'}); that fits "Access tokens" being on but does not prove it, since Entra may check the session first.`
      : `\n\nThe authorize endpoint could not be asked about response_type=token: it did not accept the Call Back URL${probe.aadsts ? ` (AADSTS${probe.aadsts})` : ''}; see entra.redirect-uri.`;
  return finding(registrationError.code, registrationError.message, {
    details: `${registrationError.details ?? ''}${saw}`.trim(),
    evidence: { ...registrationError.evidence, ...(registrationError.permission ? { missingPermission: registrationError.permission } : {}), ...evidence },
    requestIds: registrationError.requestIds,
  });
}
