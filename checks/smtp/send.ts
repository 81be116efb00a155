import { smtpProbeSendFact } from '../../src/collect/smtp/send-fact.js';
import { defineCheck, finding, pass } from '../../src/core/check.js';
import { SMTP_REPLY_EXPLANATIONS } from './explanations.js';
import { codeForFailure, namedCauses } from './reply-code.js';

const EMITS = ['SEND_AS_DENIED', 'SEND_REJECTED', 'SMTP_AUTH_FAILED', 'SMTP_AUTH_DISABLED_MAILBOX', 'SMTP_AUTH_DISABLED_TENANT', 'SMTP_AUTH_BLOCKED_BY_POLICY'];

export default defineCheck({
  id: 'smtp.send',
  title: 'Exchange Online accepts a probe mail from the mailbox',
  step: 4,
  description:
    'Only with --send-test: sends one probe mail from the mailbox to itself over the smtp.auth session, with a unique Message-ID and the subject "[wxmail probe] …". A send-as refusal (5.7.60, 5.2.252) shows up only here, at MAIL FROM or DATA, never at login.',
  scope: 'asset',
  optIn: 'sendTest',
  requires: ['smtp.auth'],
  needs: { send: smtpProbeSendFact },
  precondition({ asset }) {
    return asset?.mailbox ? null : finding('INPUT_MISSING', 'No mailbox configured (--mailbox).');
  },
  explanations: SMTP_REPLY_EXPLANATIONS,
  run({ send }, { config }) {
    const evidence: Record<string, unknown> = {
      mailbox: send.mailbox,
      messageId: send.messageId,
      serverMessageId: send.serverMessageId,
      subject: send.subject,
      reusedSession: send.reusedSession,
      transcript: send.transcript,
    };
    if (!send.attempted) {
      return finding('DEPENDENCY_FAILED', 'Not sent: the XOAUTH2 login (smtp.auth) did not succeed.', { evidence });
    }
    if (send.ok) {
      evidence.sentAt = send.sentAt;
      evidence.response = send.response;
      return pass(`Probe ${send.messageId} from ${send.mailbox} to itself accepted${send.response ? `: ${send.response}` : ''}.`, { evidence });
    }
    const f = send.failure!;
    const v = codeForFailure(f, f.stage === 'auth' || f.stage === 'connect' || f.stage === 'tls' || f.stage === 'greeting' ? 'auth' : 'send', EMITS);
    evidence.stage = f.stage;
    evidence.reply = f.reply;
    if (v.diagnosis) evidence.replyRule = v.diagnosis.rule;
    const causes = namedCauses(v, { mailbox: send.mailbox, 'client-id': config.clientId });
    const details = causes.length ? [v.meaning, '', 'Causes:', ...causes.map((c) => `- ${c}`)].join('\n') : v.meaning;
    return finding(v.code, `Probe from ${send.mailbox} refused at ${f.stage.toUpperCase()}: ${v.what}`, { details, evidence });
  },
});
