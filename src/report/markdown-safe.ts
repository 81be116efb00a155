import { mdCode } from '../core/md.js';
import { parseBlocks, parseInline, type Block, type Inline } from './markdown-parse.js';

export { mdCode };

/**
 * Markdown that text from the tenant or from Microsoft cannot break out of. `details` is
 * markdown a check writes around tenant strings (app names, redirect URIs, rule names, AADSTS
 * texts, NDRs); a saved report may have been edited by anyone. So it is parsed with the small
 * parser the HTML and text renderers use and written again from what it understood: text
 * escaped, code spans and fences longer than any backtick run inside, line breaks flattened,
 * and no raw HTML, image, link or table row that the parse did not make (issue 8, item 2).
 */

/** Characters that would turn text into markup (or raw HTML) in GFM. */
function escapeText(s: string): string {
  return s.replace(/[\\`*_[\]<|~]/g, '\\$&');
}

/** GFM links bare URLs (and www.) by itself: in a code span they stay text. */
const URL_LIKE = /(?:https?:\/\/|www\.)[^\s<>]*/gi;

/** Text on one line, escaped; URLs as code spans. */
export function mdText(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, ' ');
  let out = '';
  let last = 0;
  for (const m of flat.matchAll(URL_LIKE)) {
    out += escapeText(flat.slice(last, m.index)) + mdCode(m[0]);
    last = m.index! + m[0].length;
  }
  return out + escapeText(flat.slice(last));
}

/** A fenced block longer than any fence-like run inside it. */
export function fence(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/^\s*(`{3,})/gm)].map((m) => m[1]!.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${/^[\w+-]*$/.test(lang) ? lang : ''}\n${content}\n${ticks}`;
}

/** At the start of a line, these would open a block (heading, quote, list, rule). */
function lineStart(s: string): string {
  return s.replace(/^(\s*)([#>+=-]|\d+[.)])/, (_m, sp: string, mark: string) => `${sp}${mark.replace(/^(\d+)([.)])$/, '$1\\$2').replace(/^([#>+=-])$/, '\\$1')}`);
}

function plain(nodes: Inline[]): string {
  return nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : n.kind === 'link' ? plain(n.children) : plain(n.children))).join('');
}

function inline(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return mdText(n.text);
        case 'code':
          return mdCode(n.text);
        case 'strong':
          return `**${inline(n.children)}**`;
        case 'em':
          return `*${inline(n.children)}*`;
        case 'link': {
          // Never a link: the target shown as it is, beside the text when they differ.
          const text = plain(n.children);
          return text === n.href ? mdCode(n.href) : `${inline(n.children)} (${mdCode(n.href)})`;
        }
      }
    })
    .join('');
}

const lineOf = (text: string) => lineStart(inline(parseInline(text.replace(/\s*\n\s*/g, ' '))));
const cell = (text: string) => inline(parseInline(text.replace(/\s*\n\s*/g, ' '))).replace(/\|/g, '\\|');

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `**${inline(parseInline(b.text))}**`;
    case 'paragraph':
      return lineOf(b.text);
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inline(parseInline(item.replace(/\s*\n\s*/g, ' ')))}`).join('\n');
    case 'code':
      return fence(b.text, b.lang);
    case 'table': {
      const width = Math.max(1, ...b.rows.map((r) => r.length));
      const row = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => cell(r[i] ?? '')).join(' | ')} |`;
      const [head, ...rest] = b.rows;
      return [row(head ?? []), `|${' --- |'.repeat(width)}`, ...rest.map(row)].join('\n');
    }
    case 'quote':
      return `> ${lineOf(b.text)}`;
  }
}

export function safeMarkdown(markdown: string): string {
  return parseBlocks(markdown).map(block).join('\n\n');
}
