/**
 * Just enough RFC 5322 / MIME to route, store and serve a message: header fields, address lists and
 * the part tree IMAP's BODYSTRUCTURE and BODY[n] need. Raw messages are kept with CRLF line ends.
 */

export interface HeaderField {
  /** Field name as written. */
  name: string;
  /** Unfolded value, trimmed. */
  value: string;
}

export interface Address {
  name: string;
  address: string;
}

/** One MIME entity: its header, its raw body, and its children when it is a multipart. */
export interface MimePart {
  header: string;
  body: string;
  fields: HeaderField[];
  type: string;
  subtype: string;
  params: Record<string, string>;
  encoding: string;
  children: MimePart[];
  /** For message/rfc822: the enclosed message. */
  message?: MimePart;
}

export function toCrlf(raw: string): string {
  return raw.replace(/\r?\n/g, '\r\n');
}

/** Header block (with its terminating blank line) and body. */
export function splitMessage(raw: string): { header: string; body: string } {
  if (raw.startsWith('\r\n')) return { header: '\r\n', body: raw.slice(2) };
  const i = raw.indexOf('\r\n\r\n');
  if (i < 0) return { header: raw.endsWith('\r\n') ? `${raw}\r\n` : `${raw}\r\n\r\n`, body: '' };
  return { header: raw.slice(0, i + 4), body: raw.slice(i + 4) };
}

export function parseHeader(header: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of header.split('\r\n')) {
    if (line === '') continue;
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

export function headerValue(fields: HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value;
}

/** Header lines (folding kept) whose field name is (or, with `not`, is not) in `names`. */
export function filterHeader(header: string, names: string[], not: boolean): string {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  let keep = false;
  for (const line of header.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      if (keep) out.push(line);
      continue;
    }
    const name = line.slice(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase();
    keep = wanted.has(name) !== not;
    if (keep) out.push(line);
  }
  return `${out.map((l) => `${l}\r\n`).join('')}\r\n`;
}

/** `Name <a@b>, c@d, "Last, First" <e@f>` → addresses (groups flattened, comments dropped). */
export function parseAddressList(value: string | undefined): Address[] {
  if (!value) return [];
  const out: Address[] = [];
  let name = '';
  let angle = '';
  let inQuote = false;
  let inAngle = false;
  let depth = 0;
  const flush = (): void => {
    const text = name.trim();
    if (angle.trim()) out.push({ name: text.replace(/^"|"$/g, '').trim(), address: angle.trim() });
    else if (text.includes('@')) out.push({ name: '', address: text.replace(/^"|"$/g, '') });
    name = '';
    angle = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (depth > 0) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if (inQuote) {
      if (c === '\\' && i + 1 < value.length) name += value[++i];
      else if (c === '"') inQuote = false;
      else name += c;
      continue;
    }
    if (inAngle) {
      if (c === '>') inAngle = false;
      else angle += c;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '<') inAngle = true;
    else if (c === '(') depth = 1;
    else if (c === ',' || c === ';') flush();
    else if (c === ':') name = ''; // group display name
    else name += c;
  }
  flush();
  return out;
}

/** The first address of a header like From, lower-cased; undefined when there is none. */
export function firstAddress(value: string | undefined): string | undefined {
  return parseAddressList(value)[0]?.address.toLowerCase();
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** `text/plain; charset="utf-8"; format=flowed` → type, subtype, params (lower-case names). */
export function parseContentType(value: string | undefined): { type: string; subtype: string; params: Record<string, string> } {
  const [head = '', ...rest] = splitParams(value ?? 'text/plain');
  const [type = 'text', subtype = 'plain'] = head.trim().toLowerCase().split('/');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type || 'text', subtype: subtype || 'plain', params };
}

function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of value) {
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses an entity (a whole message or one body part) into its MIME tree. */
export function parseMime(raw: string, defaultType = 'text/plain'): MimePart {
  const { header, body } = splitMessage(raw);
  const fields = parseHeader(header);
  const ct = parseContentType(headerValue(fields, 'content-type') ?? defaultType);
  const part: MimePart = {
    header,
    body,
    fields,
    type: ct.type,
    subtype: ct.subtype,
    params: ct.params,
    encoding: (headerValue(fields, 'content-transfer-encoding') ?? '7bit').toLowerCase(),
    children: [],
  };
  if (ct.type === 'multipart' && ct.params.boundary) {
    const childDefault = ct.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    part.children = splitMultipart(body, ct.params.boundary).map((p) => parseMime(p, childDefault));
  } else if (ct.type === 'message' && ct.subtype === 'rfc822') {
    part.message = parseMime(body);
  }
  return part;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split('\r\n');
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\r\n'));
      current = null;
      break;
    }
    if (trimmed === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
      continue;
    }
    if (current) current.push(line);
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

/** The part at an IMAP section path like [1, 2]; a non-multipart message is its own part 1. */
export function partAt(root: MimePart, path: number[]): MimePart | undefined {
  let node: MimePart | undefined = root;
  for (const n of path) {
    if (!node) return undefined;
    if (node.type === 'message' && node.message) node = node.message;
    if (node.children.length) node = node.children[n - 1];
    else if (n !== 1) return undefined;
  }
  return node;
}

/** Decoded text of the text/* leaves (for SEARCH BODY/TEXT). */
export function decodedText(part: MimePart): string {
  if (part.children.length) return part.children.map(decodedText).join('\n');
  if (part.message) return `${part.message.header}${decodedText(part.message)}`;
  if (part.type !== 'text') return '';
  if (part.encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (part.encoding === 'quoted-printable') {
    const bytes = part.body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return part.body;
}

/** RFC 5322 date-time in UTC: `Tue, 1 Dec 2026 10:00:00 +0000`. */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
