/**
 * Fixes name this run's values (DESIGN.md): explanation entries write placeholders such as
 * `<mailbox>`, `<forwarding-address>`, `<client-id>`, `<object-id>`, `<webex-sp-id>`, `<user-id>`,
 * `<rule-name>`; the runner fills those the run knows, and leaves the rest visible. A placeholder
 * is written bare in a template (no quotes around it): a value that is not a plain token is
 * inserted as a PowerShell single-quoted literal, so no tenant string is ever code (G21).
 *
 * Placeholders are `<lower-case-name>`, never `{name}`: `{…}` is a script block in PowerShell.
 */

/**
 * Placeholder name → value; undefined, null or '' leave the placeholder visible. A list (a
 * command that sets a whole list, e.g. redirect URIs) is written as PowerShell literals joined by
 * ", " for use inside `@(…)`: every element quoted, since `@(…)` is expression mode.
 */
export type FixValues = Record<string, string | readonly string[] | null | undefined>;

/** Values a command may take unquoted: addresses, ids, hosts, URLs without spaces or quotes. */
const PLAIN = /^[A-Za-z0-9@._+:/=?&%#-]+$/;

/**
 * A PowerShell single-quoted literal. Every quote character PowerShell ends such a string on is
 * doubled, the typographic ones (U+2018–U+201B) included; control characters are dropped.
 */
export function psLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '');
  return `'${clean.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

export function fillPlaceholders(text: string, values: FixValues): string {
  return text.replace(/<([a-z][a-z0-9]*(?:-[a-z0-9]+)*)>/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined || v === null || v === '') return whole;
    if (typeof v !== 'string') return v.length ? v.map(psLiteral).join(', ') : whole;
    return PLAIN.test(v) ? v : psLiteral(v);
  });
}

/** The values every run knows from its configuration and the asset a result is for. */
export function configFixValues(config: { clientId?: string; tenantId?: string; callbackUrl?: string }, asset: { mailbox?: string; forwardingAddress?: string } | null): FixValues {
  const fwd = asset?.forwardingAddress;
  return {
    'client-id': config.clientId,
    'tenant-id': config.tenantId,
    'callback-url': config.callbackUrl,
    mailbox: asset?.mailbox,
    'forwarding-address': fwd,
    'forwarding-domain': fwd?.includes('@') ? fwd.slice(fwd.lastIndexOf('@') + 1) : undefined,
  };
}
