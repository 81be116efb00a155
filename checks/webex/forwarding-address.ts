import { forwardingDomainMx } from '../../src/collect/dns/forwarding-mx.js';
import type { MxLookup } from '../../src/collect/dns/mx.js';
import { defineCheck, finding, fromFindings, optional, type Finding } from '../../src/core/check.js';
import { analyzeCallbackUrl } from './lib/callback-url.js';
import { analyzeForwardingAddress, sameRegion } from './lib/forwarding-address.js';
import {
  GET_MAILBOX_FORWARDING,
  LINK_SET_MAILBOX,
  LINK_WEBEX_EMAIL_ASSET,
  M365_FORWARDING,
  PATTERN_CAVEAT,
  SET_MAILBOX_FORWARDING,
  WEBEX_CALLBACK_FIELD,
  WEBEX_FORWARDING_FIELD,
} from './lib/remediation.js';

/**
 * The "Forwarding Address" of the Webex Connect Email app (step 1) is where the mailbox forwards
 * every incoming mail (step 3); Webex Connect receives nothing else. This check judges the value
 * the admin copied, compares its region with the Call Back URL's, and asks DNS whether its domain
 * takes mail. It needs no tenant.
 */
export default defineCheck({
  id: 'webex.forwarding-address',
  title: 'Forwarding Address is a Webex Connect address that takes mail',
  step: 1,
  description:
    'Checks the Forwarding Address copied from the Webex Connect Email app: an address at mail-<region>.imiconnect.io, in the same region as the Call Back URL, whose domain has MX records. ' +
    'The mailbox forwards every incoming mail to it (step 3); Webex Connect receives no inbound mail otherwise.',
  scope: 'asset',
  // optional: DNS trouble on this machine only adds a note; it never decides the status.
  needs: { mx: optional(forwardingDomainMx) },
  precondition({ asset }) {
    return asset?.forwardingAddress ? null : finding('INPUT_MISSING', 'No Forwarding Address configured for this asset (--forwarding-address).');
  },
  explanations: {
    FORWARDING_ADDRESS_INVALID: {
      title: 'The Forwarding Address is not an email address',
      seen: 'The Forwarding Address given to wxmail has no "@", spaces, a display name or "mailto:", or no valid domain after the "@".',
      cause: 'The value was mistyped or only partly copied from the Webex Connect Email app. Mail forwarded to it (step 3) cannot reach Webex Connect.',
      confirm: `Open ${WEBEX_FORWARDING_FIELD} and compare it with the value given to wxmail (--forwarding-address, WXMAIL_FORWARDING_ADDRESS or assets[].forwardingAddress), and with the mailbox's forwarding address.`,
      fix: 'Copy the Forwarding Address with the Copy button of the Email app (step 1), give it to wxmail, and enter the same address as the mailbox\'s forwarding address (step 3).',
      step: 1,
      portal: [WEBEX_FORWARDING_FIELD, M365_FORWARDING],
      commands: [GET_MAILBOX_FORWARDING, SET_MAILBOX_FORWARDING],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_SET_MAILBOX],
    },
    FORWARDING_ADDRESS_UNRECOGNIZED: {
      title: 'The Forwarding Address is not at a known Webex Connect domain',
      seen: 'The Forwarding Address is a valid address, but its domain is not mail-<region>.imiconnect.io, the domain of the addresses Webex Connect shows (for example …@mail-us.imiconnect.io).',
      cause: `Another address was given (a personal or test mailbox, an address from another system), or Webex Connect uses a domain this tool does not know: ${PATTERN_CAVEAT}`,
      confirm: `Open ${WEBEX_FORWARDING_FIELD} and compare it with the value given to wxmail.`,
      fix: 'If it differs, give wxmail the address the Email app shows and forward the mailbox to that address (step 3). If it is exactly what the Email app shows, nothing is wrong.',
      step: 1,
      portal: [WEBEX_FORWARDING_FIELD, M365_FORWARDING],
      commands: [GET_MAILBOX_FORWARDING, SET_MAILBOX_FORWARDING],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_SET_MAILBOX],
    },
    REGION_MISMATCH: {
      title: 'Forwarding Address and Call Back URL are in different regions',
      seen: 'The region in the Call Back URL (us in https://acme.us.webexconnect.io/callback) differs from the region of the forwarding domain (eu in …@mail-eu.imiconnect.io).',
      cause: 'Both values come from the same Email app of one Webex Connect tenant, so they are expected to share a region; a mismatch usually means one of them was copied from another tenant, app or environment (lab vs production). Region labels are read from observed host names, and forwarding domains other than mail-us.imiconnect.io are not confirmed by any Cisco document, so this is a warning.',
      confirm: `Open the Email app and compare both fields with the values given to wxmail: ${WEBEX_FORWARDING_FIELD}; ${WEBEX_CALLBACK_FIELD}.`,
      fix: 'Take both values from the same Email app (step 1). Use that Call Back URL as the redirect URI (step 2) and that Forwarding Address as the mailbox\'s forwarding address (step 3).',
      step: 1,
      portal: [WEBEX_FORWARDING_FIELD, WEBEX_CALLBACK_FIELD, M365_FORWARDING],
      commands: [GET_MAILBOX_FORWARDING],
      links: [LINK_WEBEX_EMAIL_ASSET],
    },
    FORWARDING_DOMAIN_NO_MX: {
      title: 'The forwarding domain has no mail exchanger',
      seen: 'DNS has no MX record for the domain of the Forwarding Address: the domain does not exist (NXDOMAIN), has no MX record, or publishes a "null MX" (RFC 7505) that refuses all mail.',
      cause: 'The domain after the "@" is mistyped (e.g. mail-us.imiconnnect.io) or is not a mail domain, so mail the mailbox forwards to it (step 3) cannot be delivered. The answer comes from the DNS server wxmail asked (--dns-server, else the system\'s); a split-horizon internal DNS can differ from the public DNS that Exchange Online uses.',
      confirm: 'Ask public DNS for the MX records of the domain in the evidence: `nslookup -type=mx mail-us.imiconnect.io`, `Resolve-DnsName -Name mail-us.imiconnect.io -Type MX`, or `dig +short MX mail-us.imiconnect.io`.',
      fix: 'Copy the Forwarding Address again with the Copy button of the Email app (step 1) and forward the mailbox to exactly that address (step 3).',
      step: 1,
      portal: [WEBEX_FORWARDING_FIELD, M365_FORWARDING],
      commands: ['Resolve-DnsName -Name mail-us.imiconnect.io -Type MX', GET_MAILBOX_FORWARDING, SET_MAILBOX_FORWARDING],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_SET_MAILBOX],
    },
  },
  run({ mx }, { config, asset }) {
    const raw = asset?.forwardingAddress ?? '';
    const a = analyzeForwardingAddress(raw);
    if (a.kind === 'invalid') {
      return finding('FORWARDING_ADDRESS_INVALID', a.reason, { evidence: { forwardingAddress: raw } });
    }
    const findings: Finding[] = [];
    const notes = [...a.notes];
    if (a.kind === 'unrecognized') {
      findings.push({ code: 'FORWARDING_ADDRESS_UNRECOGNIZED', message: `Forwarding Address ${a.address} is not at a known Webex Connect domain: ${a.nearMiss ?? ''}`.trim() });
      notes.push(`${PATTERN_CAVEAT} If this is exactly what the Email app shows, the address is fine.`);
    }

    const callback = config.callbackUrl ? analyzeCallbackUrl(config.callbackUrl) : null;
    const callbackRegion = callback && callback.kind !== 'invalid' ? callback.region : null;
    if (a.region && callbackRegion && !sameRegion(a.region, callbackRegion)) {
      findings.push({
        code: 'REGION_MISMATCH',
        message: `Forwarding Address is in region ${a.region} (${a.domain}) but the Call Back URL is in region ${callbackRegion} (${callback && callback.kind !== 'invalid' ? callback.host : ''}); both should come from the same Email app.`,
      });
    }

    const dns = mxEvidence(mx.ok ? mx.value : null);
    if (mx.ok) {
      const problem = noMxProblem(mx.value);
      if (problem) {
        findings.push({ code: 'FORWARDING_DOMAIN_NO_MX', message: problem });
        if (!config.dnsServer) {
          notes.push(
            `The DNS answer came from this machine's resolver, ${mx.value.server}. Where that resolver does not see public DNS (split-horizon DNS, a locked-down network), confirm with a public resolver (--dns-server <ip>:53) before changing the address.`,
          );
        }
      } else if (mx.value.status === 'unreachable') {
        notes.push(`MX records of ${a.domain} not checked: the DNS server ${mx.value.server} gave no answer (${mx.value.error ?? 'unknown error'}). This does not change the result; see --dns-server.`);
      }
    } else {
      notes.push(`MX records of ${a.domain} not checked: ${mx.error.message} This does not change the result.`);
    }

    const evidence = {
      forwardingAddress: a.address,
      domain: a.domain,
      region: a.region,
      callbackRegion,
      ...(dns ? { mx: dns } : {}),
    };
    const mxText = mx.ok && mx.value.status === 'ok' ? `, MX ${mx.value.exchangers.map((e) => e.exchange).join(', ')}` : '';
    const passSummary = `Forwarding Address ${a.address} is a Webex Connect address (region ${a.region ?? 'unknown'}${mxText}).`;
    return fromFindings(findings, passSummary, { evidence, ...(notes.length > 0 ? { details: notes.join('\n\n') } : {}) });
  },
});

/** The message of FORWARDING_DOMAIN_NO_MX, or null when the domain takes mail (or DNS said nothing). */
function noMxProblem(m: MxLookup): string | null {
  switch (m.status) {
    case 'nxdomain':
      return `The forwarding domain ${m.domain} does not exist (NXDOMAIN from ${m.server}).`;
    case 'nodata':
      return `The forwarding domain ${m.domain} has no MX record (answer from ${m.server}).`;
    case 'ok':
      return m.exchangers.every((e) => e.exchange === '' || e.exchange === '.')
        ? `The forwarding domain ${m.domain} publishes a null MX (RFC 7505): it accepts no mail.`
        : null;
    case 'unreachable':
      return null;
  }
}

function mxEvidence(m: MxLookup | null): Record<string, unknown> | null {
  if (!m) return null;
  return { status: m.status, server: m.server, exchangers: m.exchangers, ...(m.error ? { error: m.error } : {}) };
}
