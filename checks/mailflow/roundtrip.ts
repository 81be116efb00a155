import { exchangeMailboxFact, transportRulesFact } from '../../src/collect/exchange/facts.js';
import type { TransportRule } from '../../src/collect/exchange/types.js';
import { inboxRulesFact } from '../../src/collect/graph/mailbox/inbox-rules.js';
import type { ExternalTrip, Roundtrip } from '../../src/collect/imap/roundtrip-fact.js';
import type { WatchResult } from '../../src/collect/imap/watch.js';
import { roundtripFact } from '../../src/collect/imap/roundtrip-fact.js';
import type { ImapFailure } from '../../src/collect/imap/session.js';
import type { CredentialSummary } from '../../src/collect/smtp/mail-tokens.js';
import { defineCheck, finding, optional, pass, type Outcome } from '../../src/core/check.js';
import { appOnlyCommands, credentialEvidence, notApplicableDetails } from '../smtp/token-advice.js';
import { forwardingPath } from '../exchange/lib/forwarding-path.js';
import type { ForwardingPath } from '../exchange/lib/transport-rules.js';
import { FORWARDING_NDR, FORWARDING_NDR_OTHER, FORWARDING_NDR_TRANSPORT_RULE, ROUNDTRIP_INCONCLUSIVE } from './explanations.js';
import { attributeNdr } from './ndr-attribution.js';

const SILENT_DROP_CHECKS = 'exchange.remote-domain and exchange.transport-rules';

export default defineCheck({
  id: 'mailflow.roundtrip',
  title: 'Mail to the mailbox is forwarded without a bounce',
  step: 4,
  description:
    'Only with --send-test: reads the mailbox over IMAP (XOAUTH2) after smtp.send (or after the probe of the external sender, which does not need smtp.send) and waits, at most --roundtrip-timeout, for the probe\'s copy and for a non-delivery report about it. A 5.7.520 NDR means the outbound spam policy blocks forwarding to Webex Connect; a copy and no NDR means Exchange Online forwarded it (what happens inside Webex Connect cannot be seen from the tenant).',
  scope: 'asset',
  optIn: 'sendTest',
  // The self-sent probe needs smtp.send; a probe from an external sender (G13) does not: a mailbox
  // whose own SMTP AUTH fails can still show whether customer mail is forwarded.
  requires: (cfg) => (cfg.externalSender ? [] : ['smtp.send']),
  // The wait for the copy and the NDR comes on top of the usual per-check time.
  timeoutMs: (cfg) => cfg.checkTimeoutMs + cfg.roundtripTimeoutMs,
  // The rules name the rule behind a bounce (G14); the mailbox and inbox rules say how it forwards (G15).
  needs: { trip: roundtripFact, mailbox: optional(exchangeMailboxFact), transport: optional(transportRulesFact), inboxRules: optional(inboxRulesFact) },
  precondition({ asset }) {
    return asset?.mailbox ? null : finding('INPUT_MISSING', 'No mailbox configured (--mailbox).');
  },
  explanations: { FORWARDING_NDR, FORWARDING_NDR_TRANSPORT_RULE, FORWARDING_NDR_OTHER, ROUNDTRIP_INCONCLUSIVE },
  run({ trip, mailbox, transport, inboxRules }, { config, asset }) {
    const keepsCopy = mailbox.ok ? mailbox.value.deliverToMailboxAndForward : null;
    const fwd = asset?.forwardingAddress?.trim().toLowerCase() ?? null;
    return evaluateRoundtrip(trip, keepsCopy, config.clientId, {
      forwardingPath: forwardingPath(mailbox, inboxRules, fwd),
      rules: transport.ok ? transport.value.rules : null,
    });
  },
});

/** What else the verdict rests on: how the mailbox forwards (G15) and the mail flow rules (G14), when they could be read. */
export interface RoundtripContext {
  forwardingPath?: ForwardingPath;
  rules?: TransportRule[] | null;
}

/**
 * What a self-sent probe proves and what it cannot (G13): said in every verdict on one.
 */
const SELF_SENT_LIMITS =
  'The probe is sent by the mailbox to itself: internal mail, From the mailbox. It proves that Exchange Online accepts this mailbox\'s mail and that the forwarded copy of *internal* mail is not bounced. It cannot prove the same for customer mail: forwarded customer mail keeps the customer\'s From, mail flow rules match on that header (exchange.transport-rules evaluates them for customer mail), and an NDR for a customer\'s message goes to the customer, not here. To test what customers do, send the probe from outside the organisation (`--external-sender-*`, README "SMTP and mail-flow probes").';

/** The verdict, pure: what the mailbox showed, and whether it is configured to keep a copy (null: unknown). */
export function evaluateRoundtrip(trip: Roundtrip, keepsCopy: boolean | null, clientId: string | undefined, more: RoundtripContext = {}): Outcome {
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
  const ext = trip.external ?? null;
  if (ext) {
    Object.assign(evidence, { externalSender: ext.sender, externalSent: ext.sent, senderInbox: ext.senderInbox });
    if (!ext.sent) {
      const why = ext.sendFailure ? `${ext.sendFailure.stage}: ${ext.sendFailure.reply ?? ext.sendFailure.message}` : 'no answer';
      evidence.externalSendTranscript = ext.sendTranscript;
      return finding('ROUNDTRIP_INCONCLUSIVE', `The external sender ${ext.sender} could not send the probe (${why}), so the round trip from outside was not tested.`, {
        details: 'Check the external sender\'s SMTP host, port (STARTTLS submission, usually 587), account and password or token (`--external-sender-*`, README "SMTP and mail-flow probes"). That account belongs to another provider: its refusal says nothing about this tenant.',
        evidence,
      });
    }
  }
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

  const ndrSeen = w.ndr ?? ext?.ndrAtSender ?? null;
  if (ndrSeen) {
    const ndr = ndrSeen;
    const line = ndr.diagnostic.line ?? (ndr.diagnostic.enhanced ? `status ${ndr.diagnostic.enhanced}` : ndr.subject);
    const a = attributeNdr(line, more.rules ?? null);
    Object.assign(evidence, { ndrRule: a.tableRow, ndrRuleCandidates: a.candidates });
    const from = `The NDR came from ${ndr.from ?? 'Exchange Online'} ("${ndr.subject}")${ext?.ndrAtSender === ndr ? `, to the external sender ${ext.sender}: the bounce a customer would get` : ''}.`;
    if (a.code === 'FORWARDING_NDR') {
      return finding('FORWARDING_NDR', `The probe bounced: ${line}.`, {
        details: `The blocking setting is the outbound spam filter policy that applies to this mailbox (automatic forwarding Off, or Automatic, which now means Off); exchange.outbound-spam-policy names it.\n\n${from}`,
        evidence,
      });
    }
    if (a.code === 'FORWARDING_NDR_TRANSPORT_RULE') {
      const who = a.rule
        ? `mail flow rule "${a.rule}"`
        : a.candidates.length
          ? `one of the mail flow rules ${a.candidates.map((c) => `"${c}"`).join(', ')}`
          : more.rules
            ? 'a mail flow rule (none of the rules read rejects with this status: it may have changed since)'
            : 'a mail flow rule (the rules could not be read to name it; exchange.transport-rules does when they can)';
      return finding('FORWARDING_NDR_TRANSPORT_RULE', `The probe bounced, rejected by ${who}: ${line}.`, {
        details: `${a.meaning} Not the outbound spam policy: that bounces with 5.7.520.\n\n${from}`,
        evidence,
        ...(a.rule ? { values: { 'rule-name': a.rule } } : {}),
      });
    }
    return finding('FORWARDING_NDR_OTHER', `The probe bounced: ${line}.`, {
      details: `${a.meaning} The status is neither the outbound spam policy's 5.7.520 nor a mail flow rule's 5.7.1: read the quoted reply and trace the probe's Message-ID (Exchange admin center → Mail flow → Message trace).\n\n${from}`,
      evidence,
    });
  }

  if (ext) return externalVerdict(trip, ext, w, keepsCopy, evidence);

  // G15 [V]: with inbox-rule forwarding Exchange sends no NDR to internal senders, so a self-sent
  // probe that got none proves nothing about the forward.
  if (more.forwardingPath === 'inbox-rule') {
    return finding(
      'ROUNDTRIP_INCONCLUSIVE',
      `No NDR ${w.copy ? 'after the probe\'s copy arrived' : `within ${waited}`}, but the mailbox forwards with an inbox rule, and Exchange Online sends no NDR to internal senders for inbox-rule forwards: a blocked forward would look the same.`,
      {
        details: `Microsoft: when automatic forwarding is blocked, an NDR goes to internal senders "if the forwarding method is mailbox forwarding. If the forwarding method is an Inbox rule, an NDR isn't generated for internal senders". Send the probe from outside the organisation (\`--external-sender-*\`), or trace the probe's Message-ID (Exchange admin center → Mail flow → Message trace).\n\n${SELF_SENT_LIMITS}`,
        evidence,
      },
    );
  }

  if (w.copy) {
    const note = w.failure ? ` (the inbox could not be read to the end: ${w.failure.message})` : '';
    return pass(
      `The probe reached the mailbox and no NDR came back within ${Math.round(trip.timing.graceMs / 1000)} s after it${note}: Exchange Online did not bounce the forwarding. Delivery inside Webex Connect cannot be seen from the tenant.`,
      {
        details: `A remote domain or transport rule that drops auto-forwarded mail *silently* would not show here; ${SILENT_DROP_CHECKS} look at those settings.\n\n${SELF_SENT_LIMITS}`,
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

/**
 * The probe from outside got no NDR in the mailbox. Its bounces go to the external sender, so the
 * round trip passes only when that inbox was read and showed none: then customer-like mail
 * reached the mailbox and its forwarded copy was not bounced.
 */
function externalVerdict(trip: Roundtrip, ext: ExternalTrip, w: WatchResult, keepsCopy: boolean | null, evidence: Record<string, unknown>): Outcome {
  const waited = `${Math.round(w.waitedMs / 1000)} s`;
  if (ext.senderInbox !== 'read') {
    const why =
      ext.senderInbox === 'failed'
        ? `its inbox could not be read (${ext.senderInboxFailure?.message ?? 'IMAP error'})`
        : 'its inbox was not given (--external-sender-imap-host)';
    return finding(
      'ROUNDTRIP_INCONCLUSIVE',
      `The probe from ${ext.sender} (outside the organisation)${w.copy ? ' reached the mailbox' : ` did not show up in the mailbox within ${waited}`}, but a bounce of its forwarded copy goes to ${ext.sender}, and ${why}.`,
      { details: `Give the external sender's IMAP host (\`--external-sender-imap-host\`), or look for an "Undeliverable" message in ${ext.sender}'s inbox about "${trip.probe.subject}".`, evidence },
    );
  }
  if (!w.copy) {
    if (w.failure) return finding('ROUNDTRIP_INCONCLUSIVE', `The mailbox could not be read after ${waited}: ${w.failure.message}.`, { evidence });
    const noCopy = keepsCopy === false ? ' The mailbox keeps no copy of forwarded mail (DeliverToMailboxAndForward is false), so its arrival cannot be seen here.' : '';
    return finding('ROUNDTRIP_INCONCLUSIVE', `The probe from ${ext.sender} did not show up in the mailbox within ${waited}, and no NDR reached ${ext.sender}.${noCopy}`, {
      details: `A mail flow rule that deletes or quarantines customer mail, or a remote domain that drops the forward, gives no bounce; ${SILENT_DROP_CHECKS} check those settings. Trace the probe's Message-ID in the Exchange admin center (Mail flow → Message trace).`,
      evidence,
    });
  }
  return pass(
    `The probe from ${ext.sender}, outside the organisation, reached the mailbox and no NDR came back to ${ext.sender} within ${Math.round(trip.timing.graceMs / 1000)} s after it: Exchange Online forwarded mail as a customer sends it without a bounce. Delivery inside Webex Connect cannot be seen from the tenant.`,
    {
      details: `The probe's From is an outside address, as a customer's is, so the mail flow rules met it as they meet customer mail (G13). A remote domain or mail flow rule that drops or deletes the forward *silently* would not show here; ${SILENT_DROP_CHECKS} look at those settings.`,
      evidence,
    },
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
