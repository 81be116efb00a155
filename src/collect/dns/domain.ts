/**
 * Host-name syntax for mail domains (RFC 1035 / RFC 1123 labels). One place decides what a
 * domain that DNS can be asked about looks like, so the collector never sends a query for text
 * that cannot be a name, and the checks reject the same values the collector would.
 */

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** The last label is alphabetic (or an IDNA `xn--` label): `contoso.local1` is not a mail domain. */
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A fully qualified host name with at least two labels; case-insensitive, no trailing dot. */
export function isHostname(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.length === 0 || lower.length > 253) return false;
  const labels = lower.split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => LABEL.test(l)) && TOP_LABEL.test(labels[labels.length - 1]!);
}

/**
 * The domain of an address (`local@domain`), lower-cased, or null when there is no single `@`
 * or the part after it is not a host name. Surrounding whitespace is ignored.
 */
export function mailDomainOf(address: string): string | null {
  const trimmed = address.trim();
  const at = trimmed.indexOf('@');
  if (at <= 0 || at !== trimmed.lastIndexOf('@')) return null;
  const domain = trimmed.slice(at + 1).toLowerCase();
  return isHostname(domain) ? domain : null;
}
