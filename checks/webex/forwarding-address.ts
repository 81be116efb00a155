import { forwardingDomainMx } from '../../src/collect/dns/forwarding-mx.js';
import type { MxLookup } from '../../src/collect/dns/mx.js';
import { defineCheck, finding, fromFindings, optional, type Finding } from '../../src/core/check.js';
import { analyzeCallbackUrl } from './lib/callback-url.js';
import { analyzeForwardingAddress, compareRegions, DOCUMENTED_FORWARDING_DOMAIN } from './lib/forwarding-address.js';
import {
  GET_MAILBOX_FORWARDING,
  LINK_SET_MAILBOX,
  LINK_WEBEX_EMAIL_ASSET,
  LINK_WEBEX_REGIONS,
  M365_FORWARDING,
  PATTERN_CAVEAT,
  SET_MAILBOX_FORWARDING,
  WEBEX_CALLBACK_FIELD,
  WEBEX_EMAIL_APP,
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
    'Checks the Forwarding Address copied from the Webex Connect Email app: an address at mail-<region>.imiconnect.io, in the same region as the Call Back URL (current or legacy host), whose domain takes mail (MX records, or an A/AAAA record as the implicit MX of RFC 5321; not a null MX). ' +
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
      seen: 'The region read from the Call Back URL\'s host (us in https://acme.us.webexconnect.io/callback; uk in the legacy https://acme.imiconnect.eu/callback) differs from the region label of the forwarding domain (eu in …@mail-eu.imiconnect.io).',
      cause: 'Both values come from the same Email app of one Webex Connect tenant, so they are expected to share a region; a mismatch usually means one of them was copied from another tenant, app or environment (lab vs production). The Call Back URL\'s region comes from Cisco\'s list of current and legacy hosts; but mail-us.imiconnect.io is the only forwarding domain any source shows, and which forwarding domain a tenant in another region gets is not documented, so the tool cannot tell for certain: this is a warning.',
      confirm: `Open the Email app and compare both fields with the values given to wxmail: ${WEBEX_FORWARDING_FIELD}; ${WEBEX_CALLBACK_FIELD}.`,
      fix: 'Take both values from the same Email app (step 1). Use that Call Back URL as the redirect URI (step 2) and that Forwarding Address as the mailbox\'s forwarding address (step 3).',
      step: 1,
      portal: [WEBEX_FORWARDING_FIELD, WEBEX_CALLBACK_FIELD, M365_FORWARDING],
      commands: [GET_MAILBOX_FORWARDING],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_WEBEX_REGIONS],
    },
    FORWARDING_DOMAIN_NO_MX: {
      title: 'The forwarding domain takes no mail',
      seen: 'DNS says the domain of the Forwarding Address cannot receive mail: the domain does not exist (NXDOMAIN), publishes a "null MX" (RFC 7505: `0 .`, it refuses all mail), or has neither an MX record nor an A/AAAA record (RFC 5321 §5.1: without MX, the address record is the implicit mail exchanger).',
      cause: 'The domain after the "@" is mistyped (e.g. mail-us.imiconnnect.io) or is not a mail domain, so mail the mailbox forwards to it (step 3) cannot be delivered. The answer comes from the DNS server wxmail asked (--dns-server, else the system\'s); a split-horizon internal DNS can differ from the public DNS that Exchange Online uses.',
      confirm: 'Ask public DNS for the MX and address records of the domain in the evidence: `Resolve-DnsName -Name <forwarding-domain> -Type MX`, `Resolve-DnsName -Name <forwarding-domain> -Type A`, or `dig +short MX <forwarding-domain>` and `dig +short A <forwarding-domain>`.',
      fix: 'Copy the Forwarding Address again with the Copy button of the Email app (step 1) and forward the mailbox to exactly that address (step 3).',
      step: 1,
      portal: [WEBEX_FORWARDING_FIELD, M365_FORWARDING],
      commands: ['Resolve-DnsName -Name <forwarding-domain> -Type MX', 'Resolve-DnsName -Name <forwarding-domain> -Type A', GET_MAILBOX_FORWARDING, SET_MAILBOX_FORWARDING],
      links: [LINK_WEBEX_EMAIL_ASSET, LINK_SET_MAILBOX, 'https://www.rfc-editor.org/rfc/rfc5321#section-5.1', 'https://www.rfc-editor.org/rfc/rfc7505'],
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

    const parsed = config.callbackUrl ? analyzeCallbackUrl(config.callbackUrl) : null;
    const callback = parsed && parsed.kind !== 'invalid' ? parsed : null;
    const callbackRegion = callback?.region ?? null;
    const regions = compareRegions(a.region, callbackRegion, callback?.legacy ?? null);
    if (regions === 'differs' && callback) {
      findings.push({
        code: 'REGION_MISMATCH',
        message: `Forwarding Address is in region ${a.region} (${a.domain}) but the Call Back URL is in region ${callbackRegion} (${callback.host}); both should come from the same Email app.`,
      });
      notes.push(
        `Which forwarding domain a ${callbackRegion} tenant's Email app shows is not documented (${DOCUMENTED_FORWARDING_DOMAIN} is the only one any source shows), so the tool cannot tell for certain that the two differ: compare both fields in the Email app.`,
      );
    } else if (regions === 'cannot-tell' && callback && a.kind === 'recognized') {
      notes.push(
        `Regions not compared: the Call Back URL's host ${callback.host} names no region${callback.legacy ? ` (${callback.legacy.source})` : ''}. Whether both values come from the same Email app can be settled only there: ${WEBEX_EMAIL_APP}.`,
      );
    }
    if (a.kind === 'recognized' && a.domain !== DOCUMENTED_FORWARDING_DOMAIN && regions !== 'differs') {
      notes.push(
        `${a.domain} follows the form of ${DOCUMENTED_FORWARDING_DOMAIN}, the only forwarding domain a source shows; the DNS lookup, not the name, shows whether it takes mail.`,
      );
    }
    if (regions === 'same' && callback?.legacy?.domain === 'imiconnect.eu' && a.region === 'eu') {
      notes.push(
        `Compared as the same region: ${callback.legacy.source}, and the eu label of an imiconnect-era forwarding domain is taken to name that data centre too (inferred, not documented).`,
      );
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
    const mxText =
      mx.ok && mx.value.status === 'ok'
        ? `, MX ${mx.value.exchangers.map((e) => e.exchange).join(', ')}`
        : mx.ok && mx.value.status === 'implicit-mx'
          ? `, no MX but address ${(mx.value.addresses ?? []).join(', ')} (implicit MX, RFC 5321 §5.1)`
          : '';
    const passSummary = `Forwarding Address ${a.address} is a Webex Connect address (region ${a.region ?? 'unknown'}${mxText}).`;
    return fromFindings(findings, passSummary, { evidence, ...(notes.length > 0 ? { details: notes.join('\n\n') } : {}) });
  },
});

/**
 * The message of FORWARDING_DOMAIN_NO_MX, or null when the domain takes mail (or DNS said
 * nothing). G26 [V]: without MX, an A/AAAA record is the implicit MX (RFC 5321 §5.1); only
 * NXDOMAIN, a null MX (RFC 7505) or neither MX nor address means no mail.
 */
function noMxProblem(m: MxLookup): string | null {
  switch (m.status) {
    case 'nxdomain':
      return `The forwarding domain ${m.domain} does not exist (NXDOMAIN from ${m.server}).`;
    case 'nodata':
      return `The forwarding domain ${m.domain} has neither an MX record nor an A/AAAA record (answer from ${m.server}): nothing receives its mail.`;
    case 'ok':
      return m.exchangers.every((e) => e.exchange === '' || e.exchange === '.')
        ? `The forwarding domain ${m.domain} publishes a null MX (RFC 7505): it accepts no mail.`
        : null;
    case 'implicit-mx':
    case 'unreachable':
      return null;
  }
}

function mxEvidence(m: MxLookup | null): Record<string, unknown> | null {
  if (!m) return null;
  return { status: m.status, server: m.server, exchangers: m.exchangers, ...(m.addresses ? { addresses: m.addresses } : {}), ...(m.error ? { error: m.error } : {}) };
}
