import type { SimContext } from '../context.js';
import { startDnsServer } from '../dns.js';
import { startImapServer } from '../imap/server.js';
import { startSmtpServer } from '../smtp/server.js';

export { createMailStore } from './store.js';
export { submitMessage, type FlowEvent, type Submission } from './flow.js';
export { evaluateExternalForward, effectiveOutboundPolicy, matchRemoteDomain, blockingTransportRule, type ForwardVerdict } from './policy.js';
export { authorizeMailbox, type MailAuthFailure, type MailAuthResult } from './auth.js';

export interface MailServers {
  smtpPort: number;
  imapPort: number;
  dnsPort: number;
  /** Closes the listeners and ends every open session at once (hung ones included). */
  stop(): Promise<void>;
}

/**
 * The mail half of the simulated tenant: SMTP submission (smtp.office365.com:587), IMAP
 * (outlook.office365.com:993) and the DNS the doctor asks for MX records, all on 127.0.0.1.
 * Port 0 (the default) picks a free port.
 */
export async function startMailServers(ctx: SimContext, ports: { smtp?: number; imap?: number; dns?: number } = {}): Promise<MailServers> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const smtp = await startSmtpServer(ctx, ports.smtp ?? 0);
    started.push(smtp);
    const imap = await startImapServer(ctx, ports.imap ?? 0);
    started.push(imap);
    const dns = await startDnsServer(ctx.scenario, ports.dns ?? 0);
    started.push(dns);
    return {
      smtpPort: smtp.port,
      imapPort: imap.port,
      dnsPort: dns.port,
      stop: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}
