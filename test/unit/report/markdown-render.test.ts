import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../../src/report/markdown-html.js';
import { markdownToPlain, wrap } from '../../../src/report/markdown-plain.js';

describe('markdown as plain text', () => {
  it('drops markup, spells out links and indents code', () => {
    const md = '# Heading\n\nSome **bold**, *em* and `code`; see [docs](https://example.org/a).\n\n1. one\n2. two\n\n```\nSet-X -Y $true\n```';
    expect(markdownToPlain(md)).toBe('Heading\n\nSome bold, em and code; see docs (https://example.org/a).\n\n1. one\n2. two\n\n    Set-X -Y $true');
  });

  it('keeps escaped characters and asterisks inside code', () => {
    expect(markdownToPlain('a \\*literal\\* and `Get-Mailbox *`')).toBe('a *literal* and Get-Mailbox *');
  });

  it('wraps prose but never code or long words', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('https://a-very-long-url.example/path', 10)).toEqual(['https://a-very-long-url.example/path']);
    expect(markdownToPlain('```\nthis code line is long\n```', 5)).toBe('    this code line is long');
    expect(markdownToPlain('- item one two three', 12)).toBe('- item one\n  two three');
  });
});

describe('markdown as HTML', () => {
  it('renders the supported subset', () => {
    const html = markdownToHtml('## Sub\n\nText with **b** and `c` and <https://example.org>.\n\n- x\n- y\n\n| h1 | h2 |\n|---|---|\n| a \\| b | c |');
    expect(html).toBe(
      '<h5>Sub</h5>\n<p>Text with <strong>b</strong> and <code>c</code> and <a href="https://example.org">https://example.org</a>.</p>\n<ul><li>x</li><li>y</li></ul>\n<table class="md"><thead><tr><th>h1</th><th>h2</th></tr></thead><tbody><tr><td>a | b</td><td>c</td></tr></tbody></table>',
    );
  });

  it('never lets markup or unsafe links through', () => {
    const html = markdownToHtml('<script>x</script> [a](javascript:alert(1)) [b](data:text/html,x) <img src=x> "q" & \'s\'\n\n```\n</code></pre><script>\n```');
    expect(html).not.toMatch(/<script|<img|javascript:|data:text/);
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('&quot;q&quot; &amp; &#39;s&#39;');
    expect(html).toContain('<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;</code></pre>');
  });

  it('escapes quotes in link targets', () => {
    expect(markdownToHtml('[x](https://e.org/"onmouseover="alert(1))')).not.toContain('"onmouseover');
  });
});
