/**
 * A fleet's Get-Mailbox and Get-CASMailbox in a few calls (issue 9): instead of one
 * `-Identity <mailbox>` call per mailbox and cmdlet, one `-Filter` per chunk of mailboxes, e.g.
 * `EmailAddresses -eq 'a@contoso.com' -or EmailAddresses -eq 'o''brien@contoso.com'`.
 *
 * What this relies on (EXPS `exchange/docs-conceptual/filter-properties.md`, `recipient-filters.md`):
 * - [V] Get-Mailbox and Get-CASMailbox both take `-Filter`, and `EmailAddresses` (proxyAddresses)
 *   is filterable on both.
 * - [V] "When you use a complete email address, you don't need to account for the `smtp:`
 *   prefix"; the multivalued property matches if it *contains* the value.
 * - [V] A text value is enclosed in single quotes; a single quote inside it is escaped by doubling
 *   it (`-Replace "'","''"`). `-eq` compares case-insensitively; `-or` joins comparisons.
 * - [I] How long a filter may be is not documented; 50 comparisons are about 2–3 kB of filter
 *   text, well inside what PowerShell clients send in practice.
 * A mailbox the filter does not return is read with `-Identity` (read-ahead.ts): Identity
 * resolves more names (alias, UPN, display name …) than the proxy addresses the filter searches.
 */
import { mailboxAddresses } from './mailbox-identity.js';
import { toMailbox } from './normalize.js';
import { ADMIN_API_SOURCE } from './types.js';
import type { Row } from './values.js';

/**
 * Mailboxes per filter. 50: a 100-mailbox fleet needs 2 filters per cmdlet, i.e. 4 InvokeCommand
 * items that leave in one `$batch` (at most 10 items, command-batch.ts) in one round trip, while
 * each filter stays short ([I] above) and each answer (≤ 50 rows) fits in one page
 * (`odata.maxpagesize=1000`), so it needs no `ResultSize` (Get-Mailbox's default is 1000 [V]).
 */
export const FILTER_CHUNK = 50;

/** The cmdlets a fleet reads through a filter (lower-cased). */
const FILTERED_CMDLETS = new Set(['get-mailbox', 'get-casmailbox']);

/** Whether a read is a per-mailbox read the fleet may answer through a filter. */
export function isFilterableRead(cmdlet: string, parameters: Record<string, unknown>): boolean {
  const keys = Object.keys(parameters);
  return FILTERED_CMDLETS.has(cmdlet.toLowerCase()) && keys.length === 1 && keys[0] === 'Identity' && typeof parameters.Identity === 'string';
}

/**
 * Whether a configured mailbox can be looked up as a complete address: no whitespace or control
 * characters, and none of the curly quotes U+2018–U+201B, which PowerShell's tokenizer also takes
 * for a closing quote (G21 [O]); such an address is read with `-Identity`, never put in a filter.
 */
export function isFilterableAddress(mailbox: string): boolean {
  return /^[^\s@\p{Cc}\u2018-\u201B]+@[^\s@\p{Cc}\u2018-\u201B]+$/u.test(mailbox);
}

/** An OPATH text value: single-quoted, every single quote inside doubled ([V] recipient-filters.md). */
export function opathText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `EmailAddresses -eq '<a>' -or EmailAddresses -eq '<b>' …` for complete addresses. */
export function emailAddressesFilter(addresses: string[]): string {
  return addresses.map((a) => `EmailAddresses -eq ${opathText(a)}`).join(' -or ');
}

/** The addresses in chunks of FILTER_CHUNK, each address once (compared case-insensitively, as Exchange does). */
export function filterChunks(addresses: string[], size = FILTER_CHUNK): string[][] {
  const seen = new Set<string>();
  const unique = addresses.filter((a) => {
    const k = a.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

/**
 * The one row of a filter's answer that is `address`'s mailbox: its primary or proxy SMTP
 * address or UPN. Null when none or several rows carry it (then `-Identity` decides). The CAS view
 * carries PrimarySmtpAddress and EmailAddresses too ([V] CASMailbox.EmailAddresses), not the UPN.
 */
export function rowForAddress(rows: Row[], address: string): Row | null {
  const hits = addressIndex(rows).get(address.trim().toLowerCase()) ?? [];
  return hits.length === 1 ? hits[0]! : null;
}

/** Each answer's rows by every address they carry, built once: a fleet looks up each mailbox in it. */
const indexes = new WeakMap<Row[], Map<string, Row[]>>();

function addressIndex(rows: Row[]): Map<string, Row[]> {
  let index = indexes.get(rows);
  if (!index) {
    index = new Map();
    for (const row of rows) {
      for (const a of new Set(mailboxAddresses(toMailbox(row, ADMIN_API_SOURCE)))) index.set(a, [...(index.get(a) ?? []), row]);
    }
    indexes.set(rows, index);
  }
  return index;
}
