import { defineFact } from '../../core/fact.js';
import { probeBudgetMs } from './budget.js';
import { probeSmtpEndpoint, type SmtpEndpointProbe } from './connect-probe.js';

/**
 * The cloud's SMTP submission endpoint as an unauthenticated client sees it (banner, STARTTLS,
 * AUTH mechanisms). Tenant-wide: one probe per run, whatever the number of mailboxes.
 */
export const smtpEndpointFact = defineFact<SmtpEndpointProbe>({
  id: 'smtp.endpoint',
  scope: 'tenant',
  collect(ctx) {
    const { smtpHost, smtpPort } = ctx.config.endpoints;
    return probeSmtpEndpoint({ host: smtpHost, port: smtpPort, net: ctx.net, budgetMs: probeBudgetMs(ctx.config), signal: ctx.signal });
  },
});
