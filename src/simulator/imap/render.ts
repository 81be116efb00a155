import type { StoredMessage } from '../context.js';
import { headerValue, parseAddressList, parseMime, type HeaderField, type MimePart } from '../mail/mime.js';

/**
 * IMAP response data (RFC 3501 §9): strings, ENVELOPE, BODYSTRUCTURE, dates. Parts are returned as
 * Buffer chunks so literals carry exact byte counts.
 */
export type Chunk = string | Buffer;

/** A quoted string when it is plain printable ASCII, else a literal (exact octets). */
export function imapString(value: string): Chunk[] {
  if (/^[\x20-\x7e]*$/.test(value) && value.length < 1000) return [`"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`];
  const bytes = Buffer.from(value, 'utf8');
  return [`{${bytes.length}}\r\n`, bytes];
}

export function nstring(value: string | undefined | null): Chunk[] {
  return value === undefined || value === null ? ['NIL'] : imapString(value);
}

export function literal(value: string): Chunk[] {
  const bytes = Buffer.from(value, 'utf8');
  return [`{${bytes.length}}\r\n`, bytes];
}

export function join(parts: Chunk[][], sep = ' '): Chunk[] {
  const out: Chunk[] = [];
  parts.forEach((p, i) => {
    if (i > 0 && sep) out.push(sep);
    out.push(...p);
  });
  return out;
}

export function paren(parts: Chunk[][], sep = ' '): Chunk[] {
  return ['(', ...join(parts, sep), ')'];
}

function addressList(value: string | undefined): Chunk[] {
  const list = parseAddressList(value);
  if (!list.length) return ['NIL'];
  return paren(
    list.map((a) => {
      const at = a.address.lastIndexOf('@');
      const mailbox = at < 0 ? a.address : a.address.slice(0, at);
      const host = at < 0 ? undefined : a.address.slice(at + 1);
      return paren([nstring(a.name || undefined), ['NIL'], nstring(mailbox), nstring(host)]);
    }),
    '',
  );
}

export function envelope(fields: HeaderField[]): Chunk[] {
  const h = (n: string): string | undefined => headerValue(fields, n);
  const from = h('from');
  return paren([
    nstring(h('date')),
    nstring(h('subject')),
    addressList(from),
    // RFC 3501: the server fills sender and reply-to from From when they are absent.
    addressList(h('sender') ?? from),
    addressList(h('reply-to') ?? from),
    addressList(h('to')),
    addressList(h('cc')),
    addressList(h('bcc')),
    nstring(h('in-reply-to')),
    nstring(h('message-id')),
  ]);
}

function bodyParams(params: Record<string, string>): Chunk[] {
  const entries = Object.entries(params).filter(([k]) => k !== 'boundary');
  if (!entries.length) return ['NIL'];
  return paren(entries.flatMap(([k, v]) => [imapString(k.toUpperCase()), imapString(v)]));
}

function lineCount(body: string): number {
  return body === '' ? 0 : body.split('\r\n').length;
}

/** BODYSTRUCTURE without extension data (which RFC 3501 makes optional); it doubles as BODY. */
export function bodyStructure(part: MimePart): Chunk[] {
  if (part.children.length) {
    return ['(', ...join(part.children.map(bodyStructure), ''), ' ', ...imapString(part.subtype.toUpperCase()), ')'];
  }
  const h = (n: string): string | undefined => headerValue(part.fields, n);
  const basic: Chunk[][] = [
    imapString(part.type.toUpperCase()),
    imapString(part.subtype.toUpperCase()),
    bodyParams(part.params),
    nstring(h('content-id')),
    nstring(h('content-description')),
    imapString(part.encoding.toUpperCase()),
    [String(Buffer.byteLength(part.body, 'utf8'))],
  ];
  if (part.type === 'message' && part.subtype === 'rfc822' && part.message) {
    basic.push(envelope(part.message.fields), bodyStructure(part.message), [String(lineCount(part.body))]);
  } else if (part.type === 'text') {
    basic.push([String(lineCount(part.body))]);
  }
  return paren(basic);
}

/** `17-Jul-1996 02:44:25 +0000` */
export function internalDate(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Parses a stored message once per use site (messages are small; nothing is cached across commands). */
export function mimeOf(msg: StoredMessage): MimePart {
  return parseMime(msg.raw);
}
