import type { StoredMessage } from '../context.js';
import { filterHeader, parseMime, partAt, splitMessage, type MimePart } from '../mail/mime.js';
import { ImapSyntaxError, type Token } from './parser.js';
import { bodyStructure, envelope, imapString, internalDate, literal, paren, type Chunk } from './render.js';

type Simple = 'UID' | 'FLAGS' | 'ENVELOPE' | 'INTERNALDATE' | 'RFC822.SIZE' | 'BODYSTRUCTURE' | 'BODY' | 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT';

export type FetchItem = { kind: Simple } | { kind: 'section'; peek: boolean; section: string; origin?: number; length?: number };

const SIMPLE = new Set<string>(['UID', 'FLAGS', 'ENVELOPE', 'INTERNALDATE', 'RFC822.SIZE', 'BODYSTRUCTURE', 'BODY', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);
const MACROS: Record<string, Simple[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

/** FETCH attributes: one atom, a macro, or a parenthesised list. */
export function parseFetchItems(token: Token | undefined): FetchItem[] {
  if (!token) throw new ImapSyntaxError('fetch attributes expected');
  const atoms = token.type === 'list' ? token.items : [token];
  const items: FetchItem[] = [];
  for (const t of atoms) {
    if (t.type !== 'atom') throw new ImapSyntaxError('fetch attribute expected');
    const upper = t.value.toUpperCase();
    if (token.type !== 'list' && MACROS[upper]) {
      items.push(...MACROS[upper].map((kind) => ({ kind })));
      continue;
    }
    if (SIMPLE.has(upper)) {
      items.push({ kind: upper as Simple });
      continue;
    }
    const m = /^(BODY|BODY\.PEEK|BINARY|BINARY\.PEEK)\[(.*)\](?:<(\d+)(?:\.(\d+))?>)?$/is.exec(t.value);
    if (!m) throw new ImapSyntaxError(`unknown fetch attribute ${t.value}`);
    items.push({
      kind: 'section',
      peek: /\.PEEK$/i.test(m[1]!),
      section: m[2]!,
      origin: m[3] === undefined ? undefined : Number(m[3]),
      length: m[4] === undefined ? undefined : Number(m[4]),
    });
  }
  return items;
}

/** The content of `BODY[section]`; undefined when the section does not exist (answered as empty). */
export function sectionContent(root: MimePart, raw: string, section: string): string | undefined {
  const s = section.trim();
  if (s === '') return raw;
  const m = /^((?:\d+\.)*\d+)?\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?\s*(?:\((.*)\))?$/is.exec(s);
  if (!m) throw new ImapSyntaxError(`bad section ${section}`);
  const path = m[1] ? m[1].split('.').map(Number) : [];
  const spec = m[2]?.toUpperCase();
  const names = (m[3] ?? '').split(/\s+/).filter(Boolean).map((n) => n.replace(/^"|"$/g, ''));
  const part = path.length ? partAt(root, path) : root;
  if (!part) return undefined;
  if (spec === 'MIME') return path.length ? part.header : undefined;
  if (!spec) return part.body;
  // HEADER/TEXT of a nested part address the message it encapsulates (message/rfc822).
  const message = path.length ? part.message : root;
  if (!message) return undefined;
  const { header, body } = path.length ? splitMessage(message.header + message.body) : splitMessage(raw);
  if (spec === 'TEXT') return body;
  if (spec === 'HEADER') return header;
  return filterHeader(header, names, spec === 'HEADER.FIELDS.NOT');
}

/**
 * One `* n FETCH (...)` response. Non-peek body fetches set \Seen, as Exchange does; the changed
 * flags are then reported too (RFC 3501 §6.4.5).
 */
export function renderFetch(msg: StoredMessage, seq: number, items: FetchItem[], opts: { uid: boolean; readOnly: boolean }): Chunk[] {
  const want = [...items];
  if (opts.uid && !want.some((i) => i.kind === 'UID')) want.unshift({ kind: 'UID' });
  const setsSeen = want.some((i) => (i.kind === 'section' && !i.peek) || i.kind === 'RFC822' || i.kind === 'RFC822.TEXT');
  if (setsSeen && !opts.readOnly && !msg.flags.includes('\\Seen')) {
    msg.flags.push('\\Seen');
    if (!want.some((i) => i.kind === 'FLAGS')) want.push({ kind: 'FLAGS' });
  }
  let mime: MimePart | undefined;
  const tree = (): MimePart => (mime ??= parseMime(msg.raw));
  const parts: Chunk[][] = want.map((item) => {
    switch (item.kind) {
      case 'UID':
        return [`UID ${msg.uid}`];
      case 'FLAGS':
        return [`FLAGS (${msg.flags.join(' ')})`];
      case 'ENVELOPE':
        return ['ENVELOPE ', ...envelope(tree().fields)];
      case 'INTERNALDATE':
        return ['INTERNALDATE ', ...imapString(internalDate(msg.date))];
      case 'RFC822.SIZE':
        return [`RFC822.SIZE ${Buffer.byteLength(msg.raw, 'utf8')}`];
      case 'BODYSTRUCTURE':
        return ['BODYSTRUCTURE ', ...bodyStructure(tree())];
      case 'BODY':
        return ['BODY ', ...bodyStructure(tree())];
      case 'RFC822':
        return ['RFC822 ', ...literal(msg.raw)];
      case 'RFC822.HEADER':
        return ['RFC822.HEADER ', ...literal(splitMessage(msg.raw).header)];
      case 'RFC822.TEXT':
        return ['RFC822.TEXT ', ...literal(splitMessage(msg.raw).body)];
      case 'section': {
        let content = sectionContent(tree(), msg.raw, item.section) ?? '';
        let label = `BODY[${item.section}]`;
        if (item.origin !== undefined) {
          const bytes = Buffer.from(content, 'utf8');
          content = bytes.subarray(item.origin, item.length === undefined ? undefined : item.origin + item.length).toString('utf8');
          label += `<${item.origin}>`;
        }
        return [`${label} `, ...literal(content)];
      }
    }
  });
  return [`* ${seq} FETCH `, ...paren(parts), '\r\n'];
}
