import { smtpEndpointFact } from '../../src/collect/smtp/endpoint-fact.js';
import { defineCheck, finding, pass } from '../../src/core/check.js';
import { SMTP_UNREACHABLE } from './explanations.js';

const STAGE_NAME: Record<string, string> = {
  dns: 'DNS',
  proxy: 'proxy (HTTP CONNECT)',
  tcp: 'TCP connect',
  banner: 'banner (220 greeting)',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  tls: 'TLS handshake',
  'ehlo-tls': 'EHLO after STARTTLS',
  'auth-mechanisms': 'AUTH XOAUTH2 advertised',
};

export default defineCheck({
  id: 'smtp.connect',
  title: 'SMTP endpoint answers with STARTTLS and AUTH XOAUTH2',
  step: 4,
  description:
    'Connects to the cloud\'s SMTP submission endpoint (smtp.office365.com:587 worldwide) the way Webex Connect does: TCP, banner, EHLO, STARTTLS, EHLO again, and checks that AUTH XOAUTH2 is offered. Names the stage that fails and keeps the (redacted) dialogue.',
  scope: 'tenant',
  needs: { probe: smtpEndpointFact },
  explanations: { SMTP_UNREACHABLE },
  run({ probe }) {
    const where = `${probe.host}:${probe.port}${probe.via === 'proxy' ? ` (through ${probe.proxy})` : ''}`;
    const evidence = {
      host: probe.host,
      port: probe.port,
      via: probe.via,
      proxy: probe.proxy,
      banner: probe.banner,
      tls: probe.tls,
      authMechanisms: probe.authMechanisms,
      ...(probe.failure ? { stage: probe.failure.stage, swaksExitCode: probe.failure.swaksCode, cause: probe.failure.cause, reply: probe.failure.reply, errorCode: probe.failure.errorCode } : {}),
      transcript: probe.transcript,
      durationMs: probe.durationMs,
    };
    if (probe.failure) {
      const f = probe.failure;
      return finding('SMTP_UNREACHABLE', `${where} failed at stage "${f.stage}" (${STAGE_NAME[f.stage] ?? f.stage}): ${f.cause}.`, {
        details: `${f.stage === 'dns' ? 'The first stage' : 'Every stage before it worked; the stage'} **${STAGE_NAME[f.stage] ?? f.stage}** failed. The dialogue so far is in the evidence (\`transcript\`).`,
        evidence,
      });
    }
    const tls = probe.tls?.protocol ? ` (${probe.tls.protocol})` : '';
    return pass(`${where} answered; STARTTLS${tls} works and AUTH XOAUTH2 is offered (${probe.authMechanisms.join(' ')}).`, { evidence });
  },
});
