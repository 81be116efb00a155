import { defineCheck, finding, pass } from '../../src/core/check.js';
import { analyzeCallbackUrl } from './lib/callback-url.js';
import {
  ENTRA_REDIRECT_URI,
  GRAPH_REDIRECT_URIS,
  LINK_REDIRECT_URI_RULES,
  CALLBACK_CAVEAT,
  LINK_WEBEX_EMAIL_ASSET,
  LINK_WEBEX_REGIONS,
  WEBEX_CALLBACK_FIELD,
} from './lib/remediation.js';

/**
 * The "Call Back URL" of the Webex Connect Email app (step 1) is where Microsoft sends the
 * authorization code; step 2 registers it as the app's Web redirect URI. This check needs no
 * tenant: it only judges the shape of the value the admin copied.
 */
export default defineCheck({
  id: 'webex.callback-url',
  title: 'Call Back URL has the Webex Connect form',
  step: 1,
  description:
    'Checks the Call Back URL copied from the Webex Connect Email app: an https URL of the form https://<tenant>.<region>.webexconnect.io/callback, or a legacy host that still works for existing tenants (https://<tenant>.imiconnect.eu/callback, .ca, .us, .in, .com, .io, .com.au). ' +
    'It becomes the Web redirect URI of the app registration (step 2); a wrong value there ends the "Generate Token" sign-in with AADSTS50011. Reads the region for the forwarding-address check.',
  scope: 'tenant',
  needs: {},
  precondition({ config }) {
    return config.callbackUrl ? null : finding('INPUT_MISSING', 'No Call Back URL configured (--callback-url).');
  },
  explanations: {
    CALLBACK_URL_INVALID: {
      title: 'The Call Back URL is not an https URL',
      seen: 'The Call Back URL given to wxmail starts with http://, has no scheme, or is not a URL at all.',
      cause:
        'The value was mistyped or only partly copied from the Webex Connect Email app. Microsoft Entra accepts only https redirect URIs (http only for localhost), so it cannot be the redirect URI of step 2, and the sign-in behind "Generate Token" cannot return to Webex Connect.',
      confirm: `Open ${WEBEX_CALLBACK_FIELD} and compare it character by character with the value given to wxmail (--callback-url, WXMAIL_CALLBACK_URL or callbackUrl).`,
      fix: 'Copy the Call Back URL exactly as the Webex Connect Email app shows it (step 1) and give that to wxmail; register the same value as a Web redirect URI of the app registration (step 2).',
      step: 1,
      portal: [WEBEX_CALLBACK_FIELD, ENTRA_REDIRECT_URI],
      commands: [GRAPH_REDIRECT_URIS],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_REDIRECT_URI_RULES],
    },
    CALLBACK_URL_UNRECOGNIZED: {
      title: 'The Call Back URL does not have a known Webex Connect form',
      seen:
        'The Call Back URL is an https URL, but not https://<tenant>.<region>.webexconnect.io/callback or a legacy https://<tenant>.imiconnect.<eu|ca|us|in|com|io|com.au>/callback. The summary names the nearest difference: a trailing slash, another path, a missing region, the shared integration callback (oauth.us.webexconnect.io), another host.',
      cause: `Most often a copy mistake (an added slash, a different path, a shortened host) or a URL taken from somewhere other than the Email app. It can also be a Webex Connect host this tool does not know: ${CALLBACK_CAVEAT}`,
      confirm: `Open ${WEBEX_CALLBACK_FIELD} and compare it character by character with the value given to wxmail; then compare both with the Web redirect URIs of the app registration (step 2).`,
      fix: 'If the value differs from what the Email app shows, give wxmail the value the app shows and put the same value in the app registration\'s Web redirect URIs (step 2). If it is exactly what the Email app shows, nothing is wrong: the redirect URI in Azure only has to equal it character for character (paths are case-sensitive).',
      step: 1,
      portal: [WEBEX_CALLBACK_FIELD, ENTRA_REDIRECT_URI],
      commands: [GRAPH_REDIRECT_URIS],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_WEBEX_REGIONS, LINK_REDIRECT_URI_RULES],
    },
  },
  run(_facts, { config }) {
    const raw = config.callbackUrl ?? '';
    const a = analyzeCallbackUrl(raw);
    if (a.kind === 'invalid') {
      return finding('CALLBACK_URL_INVALID', a.reason, { evidence: { callbackUrl: raw } });
    }
    const evidence = { callbackUrl: a.url, host: a.host, pattern: a.pattern, tenant: a.tenant, region: a.region };
    if (a.kind === 'unrecognized') {
      // The near miss is the summary already; details add what does not fit one line.
      const details = [...a.notes, `${CALLBACK_CAVEAT} If this is exactly what the Email app shows, the URL is fine; the redirect URI in Azure (step 2) must equal it.`]
        .filter(Boolean)
        .join('\n\n');
      return finding('CALLBACK_URL_UNRECOGNIZED', `Call Back URL ${a.url} is not a known Webex Connect form: ${a.nearMiss ?? ''}`.trim(), {
        details,
        evidence,
      });
    }
    const where = [a.tenant ? `tenant ${a.tenant}` : null, a.region ? `region ${a.region}` : 'region not named by this legacy host']
      .filter(Boolean)
      .join(', ');
    return pass(`Call Back URL ${a.url} has the Webex Connect form (${where}).`, {
      details: [...a.notes, `${CALLBACK_CAVEAT} The redirect URI in Azure (step 2) must equal this URL.`].join('\n\n'),
      evidence,
    });
  },
});
