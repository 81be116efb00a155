/**
 * The one OPATH form the simulator understands for `-Filter` on Get-Mailbox / Get-CASMailbox:
 * a disjunction of `EmailAddresses -eq '<value>'`, each comparison optionally in parentheses.
 * As Exchange does ([V] EXPS filter-properties.md, recipient-filters.md): the value is a complete
 * address with or without its `smtp:` prefix, compared case-insensitively; a single quote inside
 * the value is written doubled; `-or` and `-eq` are case-insensitive like PowerShell operators.
 * Anything else is "not understood", and the caller answers with Exchange's invalid-filter error.
 */
const COMPARISON = /\s*(\()?\s*EmailAddresses\s+-eq\s+'((?:[^']|'')*)'\s*(\))?\s*/iy;
const OR = /-or\b/iy;

export type ParsedFilter = { ok: true; addresses: string[] } | { ok: false; position: number };

/** The lower-cased addresses the filter names, or where (0-based) it stops being of that form. */
export function parseEmailAddressesFilter(filter: string): ParsedFilter {
  const addresses: string[] = [];
  let at = 0;
  for (;;) {
    COMPARISON.lastIndex = at;
    const m = COMPARISON.exec(filter);
    if (!m || Boolean(m[1]) !== Boolean(m[3])) return { ok: false, position: at };
    addresses.push(m[2]!.replace(/''/g, "'").replace(/^smtp:/i, '').trim().toLowerCase());
    at = COMPARISON.lastIndex;
    if (at === filter.length) return { ok: true, addresses };
    OR.lastIndex = at;
    if (!OR.test(filter)) return { ok: false, position: at };
    at = OR.lastIndex;
  }
}
