import { smtpLoginFact } from '../../src/collect/smtp/login-fact.js';
import { defineCheck, finding, pass } from '../../src/core/check.js';
import { SMTP_AUTH_BLOCKED_BY_POLICY, SMTP_AUTH_DISABLED_MAILBOX, SMTP_AUTH_DISABLED_TENANT, SMTP_AUTH_FAILED } from './explanations.js';
import { codeForFailure, namedCauses } from './reply-code.js';
import { credentialEvidence, likelyAuthCauses, notApplicableDetails } from './token-advice.js';

const EMITS = ['SMTP_AUTH_DISABLED_MAILBOX', 'SMTP_AUTH_DISABLED_TENANT', 'SMTP_AUTH_BLOCKED_BY_POLICY', 'SMTP_AUTH_FAILED'];

export default defineCheck({
  id: 'smtp.auth',
  title: 'XOAUTH2 login to SMTP as the mailbox',
  step: 4,
  description:
    'Signs in to the SMTP endpoint with AUTH XOAUTH2 as the mailbox, using the Webex app\'s app-only token when it carries SMTP.SendAsApp, or a delegated token given with --access-token-file. What Exchange Online answers confirms or contradicts the configured SMTP AUTH switches, policies and permissions.',
  scope: 'asset',
  // The app token needs entra.token; a delegated token does not. An unreachable endpoint is smtp.connect's finding.
  requires: (cfg) => (cfg.accessToken ? ['smtp.connect'] : ['smtp.connect', 'entra.token']),
  needs: { login: smtpLoginFact },
  precondition({ asset }) {
    return asset?.mailbox ? null : finding('INPUT_MISSING', 'No mailbox configured (--mailbox).');
  },
  explanations: { SMTP_AUTH_DISABLED_MAILBOX, SMTP_AUTH_DISABLED_TENANT, SMTP_AUTH_BLOCKED_BY_POLICY, SMTP_AUTH_FAILED },
  run({ login }, { config }) {
    const cred = login.credential;
    const evidence: Record<string, unknown> = {
      mailbox: login.mailbox,
      endpoint: `${login.host}:${login.port}`,
      via: login.via,
      proxy: login.proxy,
      ...credentialEvidence(cred),
    };
    if (!login.attempted) {
      const roles = cred.roles.length > 0 ? cred.roles.join(', ') : 'none';
      return finding(
        'NOT_APPLICABLE',
        `No token to test SMTP AUTH with: the Webex app's Exchange token has no SMTP.SendAsApp role (roles: ${roles}) and no delegated token was given (--access-token-file).`,
        { details: notApplicableDetails(cred, 'smtp', login.mailbox, config.clientId), evidence },
      );
    }
    evidence.transcript = login.transcript;
    const who = cred.kind === 'app' ? 'the Webex app\'s app-only token with SMTP.SendAsApp' : `a delegated token${cred.upn ? ` of ${cred.upn}` : ''}`;
    if (login.ok) {
      return pass(`XOAUTH2 login as ${login.mailbox} succeeded with ${who}${login.response ? `: ${login.response}` : ''}.`, { evidence });
    }
    const f = login.failure!;
    const v = codeForFailure(f, 'auth', EMITS);
    evidence.reply = f.reply;
    evidence.stage = f.stage;
    if (v.diagnosis) evidence.replyRule = v.diagnosis.rule;
    const lines = [v.meaning];
    if (v.code === 'SMTP_AUTH_FAILED') {
      // A reply that names its cause (G28: credentials refused, mailbox logon failure) beats guessing from the token.
      if (v.diagnosis?.narrows) lines.push('', 'Causes:', ...namedCauses(v, { mailbox: login.mailbox, 'client-id': config.clientId }).map((c) => `- ${c}`));
      else {
        const causes = likelyAuthCauses(cred, login.mailbox, config.clientId);
        lines.push('', `Likely causes, judging by the token (${who}):`, ...causes.map((c) => `- ${c}`));
      }
    }
    return finding(v.code, `XOAUTH2 login as ${login.mailbox} refused: ${v.what}`, { details: lines.join('\n'), evidence });
  },
});
