import { isSafeHref, parseBlocks, parseInline, type Block, type Inline } from './markdown-parse.js';
import { escapeHtml } from './sanitize.js';

/**
 * Markdown as HTML that is safe by construction: every piece of text is escaped, no tag or
 * attribute of the input survives, and only http(s)/mailto links become anchors.
 */

export function inlineToHtml(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return escapeHtml(n.text);
        case 'code':
          return `<code>${escapeHtml(n.text)}</code>`;
        case 'strong':
          return `<strong>${inlineToHtml(n.children)}</strong>`;
        case 'em':
          return `<em>${inlineToHtml(n.children)}</em>`;
        case 'link': {
          if (!isSafeHref(n.href)) return inlineToHtml(n.children);
          // The visible text never hides a different target: when they differ, the target is shown.
          const anchor = `<a href="${escapeHtml(n.href)}">${escapeHtml(n.href)}</a>`;
          return plainText(n.children) === n.href ? anchor : `${inlineToHtml(n.children)} (${anchor})`;
        }
      }
    })
    .join('');
}

function plainText(nodes: Inline[]): string {
  return nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : plainText(n.children))).join('');
}

function inline(text: string): string {
  return inlineToHtml(parseInline(text)).replace(/\n/g, '<br>\n');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      // Details sit under the report's own h3; their headings rank below it.
      const level = Math.min(6, block.level + 3);
      return `<h${level}>${inline(block.text)}</h${level}>`;
    }
    case 'paragraph':
      return `<p>${inline(block.text)}</p>`;
    case 'quote':
      return `<blockquote>${inline(block.text)}</blockquote>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${tag}>`;
    }
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'table': {
      const [head, ...rows] = block.rows;
      const row = (cells: string[], tag: 'th' | 'td') => `<tr>${cells.map((c) => `<${tag}>${inline(c)}</${tag}>`).join('')}</tr>`;
      return `<table class="md">${head ? `<thead>${row(head, 'th')}</thead>` : ''}<tbody>${rows.map((r) => row(r, 'td')).join('')}</tbody></table>`;
    }
  }
}

export function markdownToHtml(markdown: string): string {
  return parseBlocks(markdown).map(blockHtml).join('\n');
}
