import forwarding from './forwarding.js';
import outboundSpamPolicy from './outbound-spam-policy.js';
import remoteDomain from './remote-domain.js';
import smtpAuth from './smtp-auth.js';
import transportRules from './transport-rules.js';

/** The Exchange Online checks of setup step 3, in report order (none depends on another). */
export const exchangeChecks = [smtpAuth, forwarding, outboundSpamPolicy, remoteDomain, transportRules];
