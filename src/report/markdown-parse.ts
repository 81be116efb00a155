/**
 * A small parser for the markdown checks write in `details`: enough to show it as plain text in
 * a terminal or JUnit and as safe HTML, without a dependency. It never produces raw HTML from
 * the input — text is data here, and the report may hold strings Microsoft sent back.
 * Supported: paragraphs, headings, bullet and numbered lists, fenced code, GFM tables, quotes,
 * `code`, **strong**, *em*, [links](url), <autolinks> and bare http(s) URLs.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'table'; rows: string[][] }
  | { kind: 'quote'; text: string };

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const LIST_ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_ROW = /^\s*\|/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  const body = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && body[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join('\n') });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1]!;
      const body: string[] = [];
      for (i++; i < lines.length; i++) {
        const close = lines[i]!.trim();
        if (close.startsWith(marker) && /^(`+|~+)$/.test(close) && close[0] === marker[0]) break;
        body.push(lines[i]!);
      }
      blocks.push({ kind: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]!);
      const items = [item[2]!];
      // Following items and indented continuation lines belong to the same list.
      while (i + 1 < lines.length) {
        const next = lines[i + 1]!;
        // A blank line between two items of the same kind keeps one (loose) list, as CommonMark
        // does: otherwise "1. … (blank) 2. …" renders as two lists, both numbered 1.
        const after = lines[i + 2];
        const loose = !next.trim() && after !== undefined && !/^\s/.test(after) ? LIST_ITEM.exec(after) : null;
        if (loose && /\d/.test(loose[1]!) === ordered) {
          i++;
          continue;
        }
        const nextItem = LIST_ITEM.exec(next);
        const indented = /^\s{2,}\S/.test(next);
        // An indented item is a sub-item: it stays inside the current item, keeping its bullet.
        if (nextItem && indented) items[items.length - 1] += `\n- ${nextItem[2]!}`;
        else if (nextItem) items.push(nextItem[2]!);
        else if (indented) items[items.length - 1] += `\n${next.trim()}`;
        else break;
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && TABLE_ROW.test(lines[i]!); i++) {
        if (!TABLE_SEPARATOR.test(lines[i]!)) rows.push(splitRow(lines[i]!));
      }
      i--;
      blocks.push({ kind: 'table', rows });
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      flush();
      const body = [quote[1]!];
      while (i + 1 < lines.length && QUOTE.test(lines[i + 1]!)) body.push(QUOTE.exec(lines[++i]!)![1]!);
      blocks.push({ kind: 'quote', text: body.join('\n') });
      continue;
    }
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

const LINK = /^\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;
const BARE_URL = /^https?:\/\/[^\s<>"'`]+/i;
const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|<>~]/;

/** Links only to places a reader can safely open; anything else stays text. */
export function isSafeHref(href: string): boolean {
  return /^(?:https?:\/\/|mailto:)/i.test(href);
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const push = (node: Inline) => {
    if (buffer) out.push({ kind: 'text', text: buffer });
    buffer = '';
    out.push(node);
  };
  for (let i = 0; i < text.length; ) {
    const rest = text.slice(i);
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(rest)![0];
      const close = rest.indexOf(run, run.length);
      if (close !== -1 && rest[close + run.length] !== '`') {
        let code = rest.slice(run.length, close);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        push({ kind: 'code', text: code });
        i += close + run.length;
        continue;
      }
      buffer += run;
      i += run.length;
      continue;
    }
    if (rest.startsWith('**')) {
      const close = rest.indexOf('**', 2);
      if (close > 2) {
        push({ kind: 'strong', children: parseInline(rest.slice(2, close)) });
        i += close + 2;
        continue;
      }
    }
    if (ch === '*' && /^\*[^\s*]/.test(rest)) {
      const m = /^\*([^*]*[^\s*])\*(?!\*)/.exec(rest);
      if (m) {
        push({ kind: 'em', children: parseInline(m[1]!) });
        i += m[0].length;
        continue;
      }
    }
    const link = ch === '[' ? LINK.exec(rest) : null;
    if (link) {
      push({ kind: 'link', href: link[2]!, children: parseInline(link[1]!) });
      i += link[0].length;
      continue;
    }
    const auto = ch === '<' ? AUTOLINK.exec(rest) : null;
    if (auto) {
      push({ kind: 'link', href: auto[1]!, children: [{ kind: 'text', text: auto[1]! }] });
      i += auto[0].length;
      continue;
    }
    const bare = (ch === 'h' || ch === 'H') && !/[A-Za-z0-9]$/.test(buffer) ? BARE_URL.exec(rest) : null;
    if (bare) {
      // Sentence punctuation after a URL is not part of it.
      const url = bare[0].replace(/[.,;:!?)\]]+$/, '');
      push({ kind: 'link', href: url, children: [{ kind: 'text', text: url }] });
      i += url.length;
      continue;
    }
    buffer += ch;
    i++;
  }
  if (buffer) out.push({ kind: 'text', text: buffer });
  return out;
}
