import { defineCheck, finding, optional, pass } from '../../src/core/check.js';
import { casMailboxFact, transportConfigFact } from '../../src/collect/exchange/facts.js';
import { securityDefaultsFact } from '../../src/collect/graph/mailbox/security-defaults.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, paragraphs, requireMailbox, sourceLine, sourceText, whyNot } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';

const GUIDE_PATH = 'Microsoft 365 admin center → Users → Active users → the user → Mail → Manage email apps → Authenticated SMTP → Save changes';

const BASELINE_NOTE =
  'Security baselines (CIS Microsoft 365 Foundations, CISA ScubaGear MS.EXO.5.1v1 "SMTP AUTH SHALL be disabled") want SMTP AUTH off for the organisation. ' +
  'Webex Connect sends through SMTP AUTH (OAuth), so enabling it for this one mailbox is an intended exception to that baseline — not a reason to enable it for everyone.';

export default defineCheck({
  id: 'exchange.smtp-auth',
  title: 'Authenticated SMTP is enabled for the mailbox',
  step: 3,
  description:
    'Webex Connect sends mail as the mailbox user over SMTP AUTH (XOAUTH2). Exchange refuses it with "535 5.7.139 … SmtpClientAuthentication is disabled" when Authenticated SMTP is off for the mailbox, or off for the organisation and the mailbox follows it. Reads Get-CASMailbox and Get-TransportConfig.',
  scope: 'asset',
  needs: { cas: casMailboxFact, org: transportConfigFact, securityDefaults: optional(securityDefaultsFact) },
  requires: exchangeRequires,
  precondition: requireMailbox,
  permissions: [...EXCHANGE_READ_PERMISSIONS, 'Microsoft Graph: Policy.Read.All (optional: security defaults note)'],
  explanations: {
    SMTP_AUTH_DISABLED_MAILBOX: {
      title: 'Authenticated SMTP is turned off for the mailbox',
      seen: 'Webex Connect cannot send; Exchange answers `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.`',
      cause: 'Get-CASMailbox shows SmtpClientAuthenticationDisabled = True for the mailbox. The mailbox setting takes precedence over the organisation setting, so SMTP AUTH — which Webex Connect uses with OAuth — is refused for this mailbox.',
      confirm: `${GUIDE_PATH.replace(' → Save changes', '')}: "Authenticated SMTP" is not ticked. Or \`Get-CASMailbox -Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled\`.`,
      fix: `Enable Authenticated SMTP for this mailbox only (setup guide step 3): tick "Authenticated SMTP" under Manage email apps, or run Set-CASMailbox. ${BASELINE_NOTE}`,
      step: 3,
      portal: [GUIDE_PATH],
      commands: ['Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false'],
      links: [LINKS.smtpAuth, LINKS.setCasMailbox],
    },
    SMTP_AUTH_DISABLED_TENANT: {
      title: 'SMTP AUTH is off for the organisation and the mailbox follows it',
      seen: 'Webex Connect cannot send; Exchange answers `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.`',
      cause: 'Get-TransportConfig shows SmtpClientAuthenticationDisabled = True (the default for organisations created after January 2020), and the mailbox has no setting of its own (Get-CASMailbox SmtpClientAuthenticationDisabled is empty), so it inherits "disabled".',
      confirm: '`Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled` is True and `Get-CASMailbox -Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled` is empty.',
      fix: `Give the mailbox its own exception rather than enabling SMTP AUTH for the whole organisation: tick "Authenticated SMTP" for this user (setup guide step 3), or run Set-CASMailbox with $false — the mailbox setting overrides the organisation's. ${BASELINE_NOTE}`,
      step: 3,
      portal: [GUIDE_PATH],
      commands: ['Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false'],
      links: [LINKS.smtpAuth, LINKS.setCasMailbox, LINKS.setTransportConfig],
    },
    ...sharedExchangeExplanations,
  },
  run({ cas, org, securityDefaults }, ctx) {
    const mailbox = ctx.asset?.mailbox ?? cas.identity;
    const sources = sourceText(cas.source, org.source);
    const source = sourceLine(sources);
    const orgDisabled = org.smtpClientAuthenticationDisabled;
    const evidence = {
      mailbox,
      casMailboxSmtpClientAuthenticationDisabled: cas.smtpClientAuthenticationDisabled,
      transportConfigSmtpClientAuthenticationDisabled: orgDisabled,
      securityDefaultsEnabled: securityDefaults.ok ? securityDefaults.value.isEnabled : null,
      source: sources,
    };
    const sdNote = securityDefaults.ok
      ? securityDefaults.value.isEnabled
        ? 'Note: security defaults are on. They block *basic* authentication for SMTP AUTH ("535 5.7.139 … security defaults policy"), not OAuth, so they do not stop Webex Connect here.'
        : null
      : `Note: security defaults could not be read (${whyNot(securityDefaults)}); they would block basic authentication only, not OAuth.`;

    if (cas.smtpClientAuthenticationDisabled === true) {
      return finding('SMTP_AUTH_DISABLED_MAILBOX', `Authenticated SMTP is turned off for ${mailbox} (Get-CASMailbox SmtpClientAuthenticationDisabled = True).`, {
        details: paragraphs('The mailbox setting overrides the organisation setting, so SMTP AUTH is refused for this mailbox whatever Get-TransportConfig says.', sdNote, source),
        evidence,
      });
    }
    if (cas.smtpClientAuthenticationDisabled === null && orgDisabled === true) {
      return finding('SMTP_AUTH_DISABLED_TENANT', `SMTP AUTH is off for the organisation and ${mailbox} follows it (Get-TransportConfig SmtpClientAuthenticationDisabled = True; Get-CASMailbox value empty).`, {
        details: paragraphs(sdNote, source),
        evidence,
      });
    }
    if (cas.smtpClientAuthenticationDisabled === false) {
      const orgNote =
        orgDisabled === true
          ? `The organisation keeps SMTP AUTH off and this mailbox is an exception — as intended: ${BASELINE_NOTE}`
          : 'SMTP AUTH is also enabled for the whole organisation. Baselines (CIS, ScubaGear MS.EXO.5.1v1) want it off tenant-wide; this mailbox keeps working if you turn it off for the organisation (`Set-TransportConfig -SmtpClientAuthenticationDisabled $true`), since its own setting is enabled.';
      return pass(`Authenticated SMTP is enabled for ${mailbox} (Get-CASMailbox SmtpClientAuthenticationDisabled = False).`, {
        details: paragraphs(orgNote, sdNote, source),
        evidence,
      });
    }
    // Mailbox follows the organisation, and the organisation allows it (or did not say; before 2020 the default was enabled).
    const unknownOrg = orgDisabled === null ? 'Get-TransportConfig did not report SmtpClientAuthenticationDisabled; it was taken as enabled (the default before 2020).' : null;
    return pass(`Authenticated SMTP is enabled for ${mailbox}: the mailbox follows the organisation, which allows SMTP AUTH.`, {
      details: paragraphs(
        unknownOrg,
        `SMTP AUTH is enabled for the whole organisation. Baselines (CIS, ScubaGear MS.EXO.5.1v1) want it off tenant-wide: enable it for this mailbox (\`Set-CASMailbox -Identity ${mailbox} -SmtpClientAuthenticationDisabled $false\`) before turning it off for the organisation, so Webex Connect keeps working as an intended exception.`,
        sdNote,
        source,
      ),
      evidence,
    });
  },
});
