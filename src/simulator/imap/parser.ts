/**
 * IMAP command syntax (RFC 3501 §9), as much as a client like imapflow sends: atoms, quoted
 * strings, literals (`{n}` and LITERAL+ `{n+}`), parenthesised lists, and fetch attributes whose
 * `[section]` holds spaces and parentheses (`BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]<0.100>`),
 * which stay one atom.
 */

export type Token = { type: 'atom'; value: string } | { type: 'string'; value: string } | { type: 'list'; items: Token[] };

export interface Command {
  tag: string;
  /** Upper case; `UID FETCH` etc. keep the UID prefix. */
  name: string;
  args: Token[];
}

/** Stand-in for a literal inside the assembled command text (NUL cannot occur in a command line). */
export const LITERAL_MARK = '\u0000';

export class ImapSyntaxError extends Error {}

/** Tokenises one command; `literals` fill the LITERAL_MARK positions in order. */
export function tokenize(text: string, literals: string[]): Token[] {
  let i = 0;
  let lit = 0;
  const stack: Token[][] = [[]];
  const top = (): Token[] => stack[stack.length - 1]!;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ') {
      i++;
    } else if (c === LITERAL_MARK) {
      top().push({ type: 'string', value: literals[lit++] ?? '' });
      i++;
    } else if (c === '(') {
      const list: Token = { type: 'list', items: [] };
      top().push(list);
      stack.push(list.items);
      i++;
    } else if (c === ')') {
      if (stack.length === 1) throw new ImapSyntaxError('unbalanced )');
      stack.pop();
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ImapSyntaxError('unterminated string');
        const d = text[i++]!;
        if (d === '\\') value += text[i++] ?? '';
        else if (d === '"') break;
        else value += d;
      }
      top().push({ type: 'string', value });
    } else {
      let value = '';
      let depth = 0;
      while (i < text.length) {
        const d = text[i]!;
        if (depth === 0 && (d === ' ' || d === '(' || d === ')' || d === LITERAL_MARK)) break;
        if (d === '[') depth++;
        if (d === ']') depth = Math.max(0, depth - 1);
        value += d;
        i++;
      }
      top().push({ type: 'atom', value });
    }
  }
  if (stack.length !== 1) throw new ImapSyntaxError('unbalanced (');
  return stack[0]!;
}

export function parseCommand(text: string, literals: string[]): Command {
  const tokens = tokenize(text, literals);
  const [tag, name, ...rest] = tokens;
  if (!tag || tag.type !== 'atom' || !name || name.type !== 'atom') throw new ImapSyntaxError('missing tag or command');
  let command = name.value.toUpperCase();
  let args = rest;
  if (command === 'UID') {
    const sub = rest[0];
    if (!sub || sub.type !== 'atom') throw new ImapSyntaxError('UID needs a command');
    command = `UID ${sub.value.toUpperCase()}`;
    args = rest.slice(1);
  }
  return { tag: tag.value, name: command, args };
}

/** The text of an atom or string token; undefined for lists or absent tokens. */
export function text(token: Token | undefined): string | undefined {
  if (!token || token.type === 'list') return undefined;
  return token.value;
}

/** RFC 3501 sequence set (`1:3,5,7:*`); `*` is the highest number in use. */
export function parseSequenceSet(value: string): (n: number, max: number) => boolean {
  const ranges = value.split(',').map((part) => {
    const [a, b] = part.split(':');
    const bound = (x: string | undefined): number | '*' => {
      if (x === '*') return '*';
      if (!x || !/^\d+$/.test(x)) throw new ImapSyntaxError(`bad sequence set ${value}`);
      return Number(x);
    };
    const lo = bound(a);
    return [lo, b === undefined ? lo : bound(b)] as const;
  });
  return (n, max) =>
    ranges.some(([a, b]) => {
      const x = a === '*' ? max : a;
      const y = b === '*' ? max : b;
      return n >= Math.min(x, y) && n <= Math.max(x, y);
    });
}

/**
 * Splits a byte stream into complete commands. A line ending in `{n}` or `{n+}` announces a literal
 * of n bytes; for the synchronising form the caller must send a continuation (`onContinue`).
 */
export class CommandReader {
  private buffer = Buffer.alloc(0);
  private parts: string[] = [];
  private literals: string[] = [];
  private literalLeft = -1;

  constructor(
    private readonly onContinue: () => void,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Appends data; returns the complete commands (text with LITERAL_MARKs, plus the literals). */
  push(data: Buffer): { text: string; literals: string[] }[] {
    this.buffer = Buffer.concat([this.buffer, data]);
    if (this.buffer.length > this.maxBytes) throw new ImapSyntaxError('command too long');
    const out: { text: string; literals: string[] }[] = [];
    for (;;) {
      if (this.literalLeft >= 0) {
        if (this.buffer.length < this.literalLeft) break;
        this.literals.push(this.buffer.subarray(0, this.literalLeft).toString('utf8'));
        this.buffer = this.buffer.subarray(this.literalLeft);
        this.literalLeft = -1;
        continue;
      }
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) break;
      const line = this.buffer.subarray(0, eol).toString('utf8');
      this.buffer = this.buffer.subarray(eol + 2);
      const literal = /\{(\d+)(\+?)\}$/.exec(line);
      if (literal) {
        this.parts.push(`${line.slice(0, literal.index)}${LITERAL_MARK}`);
        this.literalLeft = Number(literal[1]);
        if (!literal[2]) this.onContinue();
        continue;
      }
      this.parts.push(line);
      out.push({ text: this.parts.join(''), literals: this.literals });
      this.parts = [];
      this.literals = [];
    }
    return out;
  }
}
