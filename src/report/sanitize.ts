/**
 * Report text can hold what Microsoft or a mail server sent back. A terminal must not execute
 * escape sequences from it, and XML 1.0 must not see characters it forbids.
 */

/** Control characters other than newline and tab (ESC, CSI, BEL, backspace, DEL, C1). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripTerminalControls(s: string): string {
  return markBidi(s.replace(/\r\n?/g, '\n').replace(TERMINAL_CONTROL, ''));
}

/**
 * Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the LRM/RLM marks
 * (U+200E, U+200F) make a reader see text in another order than it is ("Trojan Source"): a
 * rule name could show one address and hold another. They are shown, visibly, as <U+202E>.
 */
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function markBidi(s: string): string {
  return s.replace(BIDI, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Tenant or file text on one line: no control sequence, no line break, no bidi trick. */
export function oneLine(s: string): string {
  return stripTerminalControls(s).replace(/[\s\u2028\u2029\u0085]+/g, ' ').trim();
}

/**
 * Characters outside XML 1.0's Char production: C0 controls except tab, LF, CR; lone
 * surrogates; U+FFFE and U+FFFF.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function stripInvalidXml(s: string): string {
  return markBidi(s.replace(XML_INVALID, ''));
}

export function escapeXml(s: string): string {
  return stripInvalidXml(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** In attributes, line breaks and tabs would be normalised to spaces by any XML parser. */
export function escapeXmlAttribute(s: string): string {
  return escapeXml(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

export function escapeHtml(s: string): string {
  return stripInvalidXml(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A copy of a JSON-like value with every string (keys included) passed through `f`. */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
