import { isHostname } from '../../../src/collect/dns/domain.js';
import { regionLabels, type LegacyDomain } from './hosts.js';

/**
 * What a Webex Connect "Forwarding Address" looks like: `<32 hex>@mail-<region>.imiconnect.io`
 * (reference/microsoft-365.md E4 [O]: `…@mail-us.imiconnect.io` is seen in the setup guide; other
 * regional domains such as mail-eu are NOT VERIFIED). Patterns come from observed examples, not
 * from a Cisco specification.
 */

export type ForwardingAddressAnalysis =
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'recognized' | 'unrecognized';
      address: string;
      local: string;
      domain: string;
      /** Region label of `mail-<region>.imiconnect.io`, else null. */
      region: string | null;
      /** For 'unrecognized': what differs from the known form. */
      nearMiss: string | null;
      /** Remarks that change nothing about the verdict (e.g. the local part's shape). */
      notes: string[];
    };

const WEBEX_MAIL_DOMAIN = /^mail-([a-z0-9]+)\.imiconnect\.io$/;
/** The local parts Webex Connect generates are 32 hex characters (E4 [O]). */
const WEBEX_LOCAL = /^[0-9a-f]{32}$/i;
/** RFC 5322 dot-atom text (quoted local parts are legal but never what Webex Connect shows). */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export function analyzeForwardingAddress(raw: string): ForwardingAddressAnalysis {
  const value = raw.trim();
  if (value === '') return { kind: 'invalid', reason: 'The forwarding address is empty.' };
  if (/^mailto:/i.test(value)) return { kind: 'invalid', reason: `"${value}" starts with "mailto:"; give only the address.` };
  if (/[<>]/.test(value)) return { kind: 'invalid', reason: `"${value}" has a display name or angle brackets; give only the address.` };
  if (/\s/.test(value)) return { kind: 'invalid', reason: `"${value}" contains spaces.` };
  const ats = value.split('@').length - 1;
  if (ats !== 1) return { kind: 'invalid', reason: `"${value}" ${ats === 0 ? 'has no "@"' : 'has more than one "@"'}; an address is local-part@domain.` };
  const [local, rawDomain] = value.split('@') as [string, string];
  const domain = rawDomain.toLowerCase();
  if (local === '' || local.length > 64 || !DOT_ATOM.test(local)) {
    return { kind: 'invalid', reason: `"${value}" has no valid part before the "@".` };
  }
  if (!isHostname(domain)) return { kind: 'invalid', reason: `"${domain}" (after the "@") is not a domain name.` };

  const notes: string[] = [];
  if (value !== raw) notes.push('The value has spaces around it; enter it without them in the mailbox forwarding (step 3).');
  const address = `${local}@${domain}`;
  const m = WEBEX_MAIL_DOMAIN.exec(domain);
  if (m) {
    notes.push(...localPartNotes(local));
    return { kind: 'recognized', address, local, domain, region: m[1]!, nearMiss: null, notes };
  }
  return { kind: 'unrecognized', address, local, domain, region: null, nearMiss: domainNearMiss(domain), notes };
}

function localPartNotes(local: string): string[] {
  if (WEBEX_LOCAL.test(local)) return [];
  if (/^[0-9a-f]+$/i.test(local)) {
    return [
      `The part before the "@" has ${local.length} hex characters; the addresses Webex Connect shows have 32. It may have been cut off when copied — use the Copy button next to "Forwarding Address".`,
    ];
  }
  return ['The part before the "@" is not the 32 hex characters Webex Connect generates (observed, not specified by Cisco); check that the whole value was copied.'];
}

function domainNearMiss(domain: string): string {
  const expected = 'mail-<region>.imiconnect.io (for example mail-us.imiconnect.io)';
  if (domain === 'imiconnect.io' || domain.endsWith('.imiconnect.io')) {
    return `The domain ${domain} is an imiconnect.io domain, but not of the form ${expected}.`;
  }
  const typo = /(?:^|\.)(imiconnect|webexconnect)\.([a-z]+)$/.exec(domain);
  if (typo && domain.endsWith('.webexconnect.io')) {
    return `The domain ${domain} is a webexconnect.io host; the Forwarding Address Webex Connect shows ends in ${expected}.`;
  }
  if (typo) return `The domain ${domain} ends in ${typo[1]}.${typo[2]}; the Forwarding Address ends in ${expected}.`;
  return `The domain ${domain} is not ${expected}, the domain of the addresses Webex Connect shows.`;
}

/** Whether a forwarding domain's region label and the Call Back URL's region agree. */
export type RegionComparison = 'same' | 'differs' | 'cannot-tell';

/**
 * Compares the label of `mail-<label>.imiconnect.io` with the region read from the Call Back URL's
 * host. `us1` counts as `us` (which forwarding domain a us1 tenant gets has no source), and an
 * imiconnect-era `eu` label matches a legacy `imiconnect.eu` (UK) callback (see ./hosts.ts).
 * 'cannot-tell' when either side names no region.
 */
export function compareRegions(forwardingLabel: string | null, callbackRegion: string | null, legacy: LegacyDomain | null): RegionComparison {
  if (!forwardingLabel || !callbackRegion) return 'cannot-tell';
  const forwarding = regionLabels(forwardingLabel, null);
  return regionLabels(callbackRegion, legacy).some((l) => forwarding.includes(l)) ? 'same' : 'differs';
}

/** The one forwarding domain a source shows (E4 [O]); other mail-<region> domains are extrapolated. */
export const DOCUMENTED_FORWARDING_DOMAIN = 'mail-us.imiconnect.io';
