import { defineCheck, finding, pass } from '../../src/core/check.js';
import { remoteDomainsFact } from '../../src/collect/exchange/facts.js';
import { domainOf } from '../../src/collect/exchange/mailbox-identity.js';
import { EXCHANGE_READ_PERMISSIONS, exchangeRequires, normalisedAddress, paragraphs, requireForwardingAddress, sourceLine, sourceText } from './lib/common.js';
import { LINKS, sharedExchangeExplanations } from './lib/explanations.js';
import { matchRemoteDomain } from './lib/remote-domain.js';

const BASELINE_NOTE =
  'Baselines (CISA ScubaGear MS.EXO.1.1v2, CIS) check that remote domains do not allow automatic forwarding. A remote domain for the Webex Connect forwarding domain alone, with AutoForwardEnabled $true, keeps the Default blocked for every other domain: an intended exception.';

export default defineCheck({
  id: 'exchange.remote-domain',
  title: 'The remote domain of the forwarding address allows automatic forwarding',
  step: 3,
  description:
    'Exchange Online applies the remote domain that matches the recipient\'s domain (the most specific one, else Default). With AutoForwardEnabled $false, automatically forwarded mail to that domain is dropped without a bounce, whatever the outbound spam policy allows. Reads Get-RemoteDomain.',
  scope: 'asset',
  needs: { remote: remoteDomainsFact },
  requires: exchangeRequires,
  precondition: requireForwardingAddress,
  permissions: EXCHANGE_READ_PERMISSIONS,
  explanations: {
    AUTOFORWARD_BLOCKED_REMOTE_DOMAIN: {
      title: 'The remote domain blocks automatic forwarding to Webex Connect',
      seen: 'No error and no bounce: forwarded mail silently never reaches Webex Connect (Microsoft documents no NDR for this block).',
      cause:
        'The remote domain that matches the Webex Connect forwarding domain (or the Default remote domain `*`) has AutoForwardEnabled $false. "When one setting allows external forwarding, but another setting blocks external forwarding, the block typically wins" (Microsoft Defender docs).',
      confirm: 'Exchange admin center → Mail flow → Remote domains → the matching domain (or Default) → Email reply types → "Allow automatic forwarding" is off. Or `Get-RemoteDomain | Format-List Name,DomainName,AutoForwardEnabled`.',
      fix: `Add a remote domain for the Webex Connect forwarding domain that allows automatic forwarding, instead of allowing it on the Default remote domain for every domain. ${BASELINE_NOTE}`,
      step: 3,
      portal: ['Exchange admin center → Mail flow → Remote domains → Add a remote domain → Name "Webex Connect", Remote domain = the forwarding domain (e.g. mail-us.imiconnect.io) → Email reply types → Allow automatic forwarding → Save'],
      commands: ['New-RemoteDomain -Name "Webex Connect" -DomainName mail-us.imiconnect.io', 'Set-RemoteDomain -Identity "Webex Connect" -AutoForwardEnabled $true'],
      links: [LINKS.externalForwarding, LINKS.newRemoteDomain, LINKS.setRemoteDomain],
    },
    ...sharedExchangeExplanations,
  },
  run({ remote }, ctx) {
    const address = normalisedAddress(ctx.asset!.forwardingAddress!);
    const domain = domainOf(address);
    const rd = matchRemoteDomain(remote.domains, domain);
    const sources = sourceText(remote.source);
    const source = sourceLine(sources);
    const evidence = {
      forwardingDomain: domain,
      remoteDomain: rd ? { name: rd.name, domainName: rd.domainName, autoForwardEnabled: rd.autoForwardEnabled } : null,
      remoteDomains: remote.domains.map((d) => ({ name: d.name, domainName: d.domainName, autoForwardEnabled: d.autoForwardEnabled })),
      source: sources,
    };
    if (!rd) {
      return pass(`No remote domain matches ${domain}, so none blocks automatic forwarding to it.`, {
        details: paragraphs('Get-RemoteDomain listed no Default (`*`) remote domain either; Exchange Online always has one, so this output may be partial.', source),
        evidence,
      });
    }
    const which = rd.domainName === '*' ? `the Default remote domain ("${rd.name}", *)` : `remote domain "${rd.name}" (${rd.domainName})`;
    if (!rd.autoForwardEnabled) {
      return finding('AUTOFORWARD_BLOCKED_REMOTE_DOMAIN', `Automatic forwarding to ${domain} is blocked: ${which} has AutoForwardEnabled False.`, {
        details: paragraphs('Exchange drops automatically forwarded mail to this domain without a bounce.', source),
        evidence,
      });
    }
    const note = rd.domainName === '*' ? 'Note: the Default remote domain allows automatic forwarding to every domain. ' + BASELINE_NOTE : null;
    return pass(`Automatic forwarding to ${domain} is allowed by ${which}.`, { details: paragraphs(note, source), evidence });
  },
});
