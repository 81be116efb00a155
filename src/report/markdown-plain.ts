import { parseBlocks, parseInline, type Block, type Inline } from './markdown-parse.js';

/** Markdown as plain text for a terminal or a JUnit body: no markup characters, links spelled out. */

/** Stands for a space inside a code span while prose is wrapped (a private-use character). */
const KEEP_TOGETHER = '\uE000';
const KEEP_TOGETHER_ALL = /\uE000/g;

function inlineToPlain(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return n.text;
        case 'code':
          // A command or id in prose is one word to the wrapper: it is never broken across lines.
          return n.text.replace(/ /g, KEEP_TOGETHER);
        case 'strong':
        case 'em':
          return inlineToPlain(n.children);
        case 'link': {
          const label = inlineToPlain(n.children);
          return label === n.href || label === '' ? n.href : `${label} (${n.href})`;
        }
      }
    })
    .join('');
}

/** With `keepTogether`, spaces inside code spans are placeholders the caller restores after wrapping. */
function plain(text: string, keepTogether = false): string {
  const out = inlineToPlain(parseInline(text));
  return keepTogether ? out : out.replace(KEEP_TOGETHER_ALL, ' ');
}

function table(rows: string[][]): string[] {
  const cells = rows.map((r) => r.map((c) => plain(c)));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

/** Breaks a long line at spaces; a word longer than the width (a URL) stays whole. */
export function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let cur = '';
  for (const word of line.split(' ')) {
    // A list marker stays with its first word, however long that word is.
    if (cur && !/^([-*]|\d+\.)$/.test(cur) && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(cur);
  return out;
}

function prose(text: string, width: number): string[] {
  return plain(text, true)
    .split('\n')
    .flatMap((l) => wrap(l, width))
    .map((l) => l.replace(KEEP_TOGETHER_ALL, ' '));
}

/** One paragraph of inline markdown after a plain `prefix`, wrapped at `width`; code spans stay whole. */
export function wrapInline(prefix: string, markdown: string, width: number): string[] {
  return wrap(prefix + plain(markdown, true), width).map((l) => l.replace(KEEP_TOGETHER_ALL, ' '));
}

function blockLines(block: Block, width: number): string[] {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return prose(block.text, width);
    case 'quote':
      return prose(block.text, width - 2).map((l) => `  ${l}`);
    case 'list':
      return block.items.flatMap((item, n) => {
        const marker = block.ordered ? `${n + 1}. ` : '- ';
        return prose(item, width - marker.length).map((l, i) => (i === 0 ? marker : ' '.repeat(marker.length)) + l);
      });
    case 'code':
      return block.text.split('\n').map((l) => `    ${l}`);
    case 'table':
      return table(block.rows);
  }
}

/**
 * Blocks separated by one blank line; lines without trailing blanks. Prose is wrapped at
 * `width`; code and tables never are, so they can be copied as they are.
 */
export function markdownToPlain(markdown: string, width = Infinity): string {
  return parseBlocks(markdown)
    .map((b) => blockLines(b, width).map((l) => l.trimEnd()).join('\n'))
    .join('\n\n');
}
