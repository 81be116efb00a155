import { defineCheck, finding, pass } from '../../src/core/check.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import { explain } from './lib/explanations.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

/**
 * The setup guide (step 2) ticks "Access tokens (used for implicit flows)". Nothing in the
 * reference shows Webex Connect using the implicit flow (E2), but the doctor verifies what the
 * guide asks for.
 */
export default defineCheck({
  id: 'entra.implicit-grant',
  title: 'Implicit grant issues access tokens',
  step: 2,
  description:
    'The setup guide ticks Authentication → Implicit grant and hybrid flows → "Access tokens". Reads web.implicitGrantSettings.enableAccessTokenIssuance of the app registration.',
  scope: 'tenant',
  needs: { app: appRegistrationFact },
  requires: requiresTokenWithoutReader,
  precondition: ({ config }) => (config.clientId ? null : finding('INPUT_MISSING', 'No client ID configured (--client-id).')),
  permissions: ['Application.Read.All (or the Webex app reading its own registration)'],
  explanations: explain('IMPLICIT_ACCESS_TOKENS_OFF', 'APP_NOT_FOUND'),
  run({ app }) {
    const s = app.web.implicitGrantSettings;
    const evidence = { enableAccessTokenIssuance: s.enableAccessTokenIssuance, enableIdTokenIssuance: s.enableIdTokenIssuance };
    if (s.enableAccessTokenIssuance) return pass('The authorization endpoint issues access tokens (implicit grant), as the guide requires.', { evidence });
    return finding('IMPLICIT_ACCESS_TOKENS_OFF', 'Implicit grant "Access tokens" is off; the setup guide requires it.', {
      details: 'Authentication → Implicit grant and hybrid flows → tick "Access tokens (used for implicit flows)" → Save.',
      evidence,
    });
  },
});
