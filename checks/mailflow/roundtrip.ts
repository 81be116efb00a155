import { diagnoseSmtpReply } from '../../src/collect/errors/smtp.js';
import { exchangeMailboxFact } from '../../src/collect/exchange/facts.js';
import type { Roundtrip } from '../../src/collect/imap/roundtrip-fact.js';
import { roundtripFact } from '../../src/collect/imap/roundtrip-fact.js';
import type { ImapFailure } from '../../src/collect/imap/session.js';
import type { CredentialSummary } from '../../src/collect/smtp/mail-tokens.js';
import { defineCheck, finding, optional, pass, type Outcome } from '../../src/core/check.js';
import { appOnlyCommands, credentialEvidence, notApplicableDetails } from '../smtp/token-advice.js';
import { FORWARDING_NDR, ROUNDTRIP_INCONCLUSIVE } from './explanations.js';

const SILENT_DROP_CHECKS = 'exchange.remote-domain and exchange.transport-rules';

export default defineCheck({
  id: 'mailflow.roundtrip',
  title: 'Mail to the mailbox is forwarded without a bounce',
  step: 4,
  description:
    'Only with --send-test: reads the mailbox over IMAP (XOAUTH2) after smtp.send and waits, at most --roundtrip-timeout, for the probe\'s copy and for a non-delivery report about it. A 5.7.520 NDR means the outbound spam policy blocks forwarding to Webex Connect; a copy and no NDR means Exchange Online forwarded it (what happens inside Webex Connect cannot be seen from the tenant).',
  scope: 'asset',
  optIn: 'sendTest',
  requires: ['smtp.send'],
  // The wait for the copy and the NDR comes on top of the usual per-check time.
  timeoutMs: (cfg) => cfg.checkTimeoutMs + cfg.roundtripTimeoutMs,
  needs: { trip: roundtripFact, mailbox: optional(exchangeMailboxFact) },
  precondition({ asset }) {
    return asset?.mailbox ? null : finding('INPUT_MISSING', 'No mailbox configured (--mailbox).');
  },
  explanations: { FORWARDING_NDR, ROUNDTRIP_INCONCLUSIVE },
  run({ trip, mailbox }, { config }) {
    const keepsCopy = mailbox.ok ? mailbox.value.deliverToMailboxAndForward : null;
    return evaluateRoundtrip(trip, keepsCopy, config.clientId);
  },
});

/** The verdict, pure: what the mailbox showed, and whether it is configured to keep a copy (null: unknown). */
export function evaluateRoundtrip(trip: Roundtrip, keepsCopy: boolean | null, clientId: string | undefined): Outcome {
  const evidence: Record<string, unknown> = {
    mailbox: trip.mailbox,
    endpoint: `${trip.host}:${trip.port}`,
    via: trip.via,
    proxy: trip.proxy,
    probeMessageIds: trip.probe.messageIds,
    probeSubject: trip.probe.subject,
    sentAt: trip.probe.sentAt,
    deliverToMailboxAndForward: keepsCopy,
    ...credentialEvidence(trip.credential),
  };
  if (!trip.attempted) {
    if (trip.credential.kind === 'none') {
      const roles = trip.credential.roles.length > 0 ? trip.credential.roles.join(', ') : 'none';
      return finding(
        'NOT_APPLICABLE',
        `No token to read the mailbox with: the Webex app's Exchange token has no IMAP.AccessAsApp role (roles: ${roles}) and no delegated token was given (--access-token-file).`,
        { details: notApplicableDetails(trip.credential, 'imap', trip.mailbox, clientId), evidence },
      );
    }
    return finding('DEPENDENCY_FAILED', 'Not run: no probe was sent (smtp.send).', { evidence });
  }
  evidence.transcript = trip.transcript;
  if (trip.imapFailure) return imapProblem(trip.imapFailure, trip.credential, trip.mailbox, clientId, evidence);

  const w = trip.watch!;
  const waited = `${Math.round(w.waitedMs / 1000)} s`;
  Object.assign(evidence, {
    copy: w.copy,
    ndr: w.ndr,
    ended: w.ended,
    waitedMs: w.waitedMs,
    polls: w.polls,
    messagesScanned: w.scanned,
    graceMs: trip.timing.graceMs,
    timeoutMs: trip.timing.timeoutMs,
  });

  if (w.ndr) {
    const line = w.ndr.diagnostic.line ?? (w.ndr.diagnostic.enhanced ? `status ${w.ndr.diagnostic.enhanced}` : w.ndr.subject);
    const d = diagnoseSmtpReply(line, 'ndr');
    evidence.ndrRule = d.rule;
    const blocking =
      d.rule === 'external-forwarding-blocked'
        ? 'The blocking setting is the outbound spam filter policy that applies to this mailbox (automatic forwarding Off, or Automatic, which now means Off); exchange.outbound-spam-policy names it.'
        : `${d.meaning}`;
    return finding('FORWARDING_NDR', `The probe bounced: ${line}.`, {
      details: `${blocking}\n\nThe NDR came from ${w.ndr.from ?? 'Exchange Online'} ("${w.ndr.subject}").`,
      evidence,
    });
  }

  if (w.copy) {
    const note = w.failure ? ` (the inbox could not be read to the end: ${w.failure.message})` : '';
    return pass(
      `The probe reached the mailbox and no NDR came back within ${Math.round(trip.timing.graceMs / 1000)} s after it${note}: Exchange Online did not bounce the forwarding. Delivery inside Webex Connect cannot be seen from the tenant.`,
      {
        details: `A remote domain or transport rule that drops auto-forwarded mail *silently* would not show here; ${SILENT_DROP_CHECKS} look at those settings.`,
        evidence,
      },
    );
  }

  if (w.failure) {
    return finding('ROUNDTRIP_INCONCLUSIVE', `The mailbox could not be read after ${waited}: ${w.failure.message}.`, { evidence });
  }
  if (w.ended === 'aborted') {
    return finding('ROUNDTRIP_INCONCLUSIVE', `The run deadline passed after ${waited} with neither the probe's copy nor an NDR in the mailbox.`, { evidence });
  }
  if (keepsCopy === false) {
    return finding(
      'ROUNDTRIP_INCONCLUSIVE',
      `No NDR within ${waited}, and no copy to see: the mailbox does not keep a copy of forwarded mail (DeliverToMailboxAndForward is false), so the probe's arrival cannot be confirmed from here.`,
      {
        details: `This is not a failure: the outbound spam policy did not bounce the forwarded probe. But a remote domain or transport rule that drops auto-forwarded mail silently would look the same — ${SILENT_DROP_CHECKS} check those settings. To see the probe arrive, tick "Keep a copy of forwarded email in this mailbox" or trace the Message-ID in the Exchange admin center.`,
        evidence,
      },
    );
  }
  return finding(
    'ROUNDTRIP_INCONCLUSIVE',
    `Neither the probe's copy nor an NDR arrived within ${waited}: mail may be dropped without a bounce (remote domain or transport rule), or delivery is slower than --roundtrip-timeout.`,
    { details: `See ${SILENT_DROP_CHECKS}, and trace the probe's Message-ID in the Exchange admin center (Mail flow → Message trace).`, evidence },
  );
}

function imapProblem(f: ImapFailure, cred: CredentialSummary, mailbox: string, clientId: string | undefined, evidence: Record<string, unknown>): Outcome {
  Object.assign(evidence, { imapStage: f.stage, imapResponse: f.response, imapErrorCode: f.errorCode });
  if (f.stage !== 'auth' && !f.response) {
    const timeout = f.errorCode === 'TIMEOUT' || f.errorCode === 'ABORTED' || /TIMEOUT/.test(f.errorCode ?? '');
    return finding(timeout ? 'TIMEOUT' : 'NETWORK', `Could not reach the IMAP endpoint (${f.stage}): ${f.message}.`, { evidence });
  }
  let cause: string;
  if (f.notConnected && f.imapEnabled === false) {
    // G27: IMAP turned off is the named cause, not the service principal.
    cause = `Exchange Online accepted the token but IMAP is turned off for ${mailbox} (Get-CASMailbox ImapEnabled False), which answers "User is authenticated but not connected.". Run: \`Set-CASMailbox -Identity ${mailbox} -ImapEnabled $true\`.`;
  } else if (f.notConnected) {
    cause =
      cred.kind === 'app'
        ? `Exchange Online accepted the token but cannot open the mailbox for the app ("User is authenticated but not connected."): most likely the service principal has no FullAccess on ${mailbox}, or it is not registered in Exchange Online. Run: \`${appOnlyCommands(cred, mailbox, clientId).join('` and `')}\`.`
        : `Exchange Online accepted the token but cannot open the mailbox ("User is authenticated but not connected."): IMAP may be disabled for ${mailbox} (\`Set-CASMailbox -Identity ${mailbox} -ImapEnabled $true\`), the token belongs to another user, or a recent change has not propagated (about 30 minutes).`;
  } else {
    cause =
      cred.kind === 'app'
        ? `The IMAP login was refused (${f.response ?? f.message}); the token carries IMAP.AccessAsApp, so the service principal is probably not registered in Exchange Online or has no FullAccess on the mailbox: \`${appOnlyCommands(cred, mailbox, clientId).join('` and `')}\`.`
        : `The IMAP login was refused (${f.response ?? f.message}); the delegated token needs the scope https://outlook.office.com/IMAP.AccessAsUser.All and must belong to the mailbox user.`;
  }
  return finding('ROUNDTRIP_INCONCLUSIVE', `The mailbox could not be read over IMAP, so the round trip was not observed. ${cause}`, {
    details: 'This concerns only the doctor\'s view of the mailbox: Webex Connect receives mail by forwarding, not over IMAP.',
    evidence,
  });
}
