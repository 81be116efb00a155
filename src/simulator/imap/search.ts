import type { StoredMessage } from '../context.js';
import { decodedText, headerValue, parseMime, splitMessage, type MimePart } from '../mail/mime.js';
import { ImapSyntaxError, parseSequenceSet, text, type Token } from './parser.js';

/** One message as SEARCH sees it. Parsing is lazy: most keys never look past the flags. */
export interface Candidate {
  msg: StoredMessage;
  seq: number;
  maxSeq: number;
  maxUid: number;
}

type Predicate = (c: Candidate) => boolean;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 3501 date (`1-Feb-1994`) → UTC day number. */
function parseDay(value: string | undefined): number {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(value ?? '');
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) throw new ImapSyntaxError(`bad date ${value}`);
  return Date.UTC(Number(m[3]), month, Number(m[1])) / 86_400_000;
}

const dayOf = (d: Date): number => Math.floor(d.getTime() / 86_400_000);

function sentDay(c: Candidate): number | undefined {
  const d = new Date(headerValue(mime(c).fields, 'date') ?? '');
  return Number.isNaN(d.getTime()) ? undefined : dayOf(d);
}

const parsed = new WeakMap<StoredMessage, MimePart>();
function mime(c: Candidate): MimePart {
  let p = parsed.get(c.msg);
  if (!p) {
    p = parseMime(c.msg.raw);
    parsed.set(c.msg, p);
  }
  return p;
}

const contains = (haystack: string | undefined, needle: string): boolean => (haystack ?? '').toLowerCase().includes(needle.toLowerCase());
const hasFlag = (c: Candidate, flag: string): boolean => c.msg.flags.some((f) => f.toLowerCase() === flag.toLowerCase());

/** Compiles SEARCH keys (all AND-ed) into a predicate; throws ImapSyntaxError on what it does not know. */
export function compileSearch(tokens: Token[]): Predicate {
  let i = 0;
  const next = (): Token => {
    const t = tokens[i++];
    if (!t) throw new ImapSyntaxError('search key expected');
    return t;
  };
  const arg = (): string => {
    const v = text(next());
    if (v === undefined) throw new ImapSyntaxError('search argument expected');
    return v;
  };
  const key = (): Predicate => {
    const t = next();
    if (t.type === 'list') return compileSearch(t.items);
    const word = t.value.toUpperCase();
    if (t.type === 'atom' && /^[\d*:,]+$/.test(word)) {
      const set = parseSequenceSet(word);
      return (c) => set(c.seq, c.maxSeq);
    }
    switch (word) {
      case 'ALL':
        return () => true;
      case 'ANSWERED':
      case 'DELETED':
      case 'DRAFT':
      case 'FLAGGED':
      case 'SEEN':
        return (c) => hasFlag(c, `\\${word}`);
      case 'UNANSWERED':
      case 'UNDELETED':
      case 'UNDRAFT':
      case 'UNFLAGGED':
      case 'UNSEEN': {
        const flag = `\\${word.slice(2)}`;
        return (c) => !hasFlag(c, flag);
      }
      // Nothing is \Recent in this store: every session sees messages that already arrived.
      case 'RECENT':
      case 'NEW':
        return () => false;
      case 'OLD':
        return () => true;
      case 'KEYWORD': {
        const k = arg();
        return (c) => hasFlag(c, k);
      }
      case 'UNKEYWORD': {
        const k = arg();
        return (c) => !hasFlag(c, k);
      }
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT': {
        const s = arg();
        return (c) => contains(headerValue(mime(c).fields, word.toLowerCase()), s);
      }
      case 'HEADER': {
        const name = arg();
        const s = arg();
        return (c) => mime(c).fields.some((f) => f.name.toLowerCase() === name.toLowerCase() && contains(f.value, s));
      }
      case 'BODY': {
        const s = arg();
        return (c) => contains(splitMessage(c.msg.raw).body, s) || contains(decodedText(mime(c)), s);
      }
      case 'TEXT': {
        const s = arg();
        return (c) => contains(c.msg.raw, s) || contains(decodedText(mime(c)), s);
      }
      case 'SINCE': {
        const d = parseDay(arg());
        return (c) => dayOf(c.msg.date) >= d;
      }
      case 'BEFORE': {
        const d = parseDay(arg());
        return (c) => dayOf(c.msg.date) < d;
      }
      case 'ON': {
        const d = parseDay(arg());
        return (c) => dayOf(c.msg.date) === d;
      }
      case 'SENTSINCE': {
        const d = parseDay(arg());
        return (c) => (sentDay(c) ?? -Infinity) >= d;
      }
      case 'SENTBEFORE': {
        const d = parseDay(arg());
        return (c) => (sentDay(c) ?? Infinity) < d;
      }
      case 'SENTON': {
        const d = parseDay(arg());
        return (c) => sentDay(c) === d;
      }
      case 'LARGER': {
        const n = Number(arg());
        return (c) => Buffer.byteLength(c.msg.raw, 'utf8') > n;
      }
      case 'SMALLER': {
        const n = Number(arg());
        return (c) => Buffer.byteLength(c.msg.raw, 'utf8') < n;
      }
      case 'UID': {
        const set = parseSequenceSet(arg());
        return (c) => set(c.msg.uid, c.maxUid);
      }
      case 'NOT': {
        const p = key();
        return (c) => !p(c);
      }
      case 'OR': {
        const a = key();
        const b = key();
        return (c) => a(c) || b(c);
      }
      default:
        throw new ImapSyntaxError(`unknown search key ${word}`);
    }
  };
  const all: Predicate[] = [];
  while (i < tokens.length) all.push(key());
  return (c) => all.every((p) => p(c));
}
