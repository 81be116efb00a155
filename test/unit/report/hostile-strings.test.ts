import { describe, expect, it } from 'vitest';
import { mdCode } from '../../../src/core/md.js';
import type { CheckResult } from '../../../src/core/result.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderText } from '../../../src/report/text.js';
import { fixtureChecks, makeModel } from './fixture.js';

// Tenant and server strings in every format (issue 8 item 2): a rule name, a redirect URI, an
// SMTP reply or an NDR can hold anything. Each string below once reached Markdown as markup.

const RLO = '\u202e';
const hostile = {
  html: '<img src=x onerror=alert(1)><script>alert(2)</script>',
  link: '[Click to fix](https://evil.example/phish)',
  image: '![logo](https://evil.example/pixel.png)',
  bareUrl: 'https://evil.example/steal',
  fenceBreak: '```\n# Injected heading\n```',
  codeBreak: 'rule` <b>bold</b> `',
  rows: 'name\n\n| injected | row |\n|---|---|\n| x | y |',
  bidi: `invoice${RLO}fdp.exe`,
};

function modelWith(details: string, summary: string) {
  const checks = fixtureChecks().map((c): CheckResult => (c.status === 'fail' ? { ...c, details, summary, remediation: c.remediation ? { ...c.remediation, links: [] } : null } : c));
  return makeModel(checks);
}

/** The Findings part of the Markdown (the summary table above it is the tool's own). */
function findings(md: string): string {
  return md.slice(md.indexOf('## Findings'), md.indexOf('## Environment'));
}

describe('tenant strings in Markdown', () => {
  const details = [
    `Rule ${mdCode(hostile.codeBreak)} redirects to ${mdCode(hostile.bareUrl)}.`,
    `Rule name ${mdCode(hostile.rows)} and ${mdCode(hostile.fenceBreak)}.`,
    `Microsoft said: ${hostile.html} ${hostile.link} ${hostile.image} ${hostile.bareUrl}`,
  ].join('\n\n');
  const md = findings(renderMarkdown(modelWith(details, `Summary ${hostile.html} ${hostile.link} ${hostile.bidi}`)));

  // Inside a code span `<b>` is literal text; outside one it would be markup.
  const outsideCode = md.replace(/``[\s\S]*?``/g, '').replace(/`[^`]*`/g, '');
  it('no raw HTML', () => expect(outsideCode).not.toMatch(/(?<!\\)<(img|script|b)\b/i));
  it('no links or images from tenant data', () => {
    expect(md).not.toMatch(/\]\(https?:/);
    expect(md).not.toMatch(/(?<![`\\])https:\/\/evil\.example\/steal(?!`)/);
  });
  it('no table rows or headings from a name with blank lines', () => {
    expect(md).not.toMatch(/^\|\s*injected/m);
    expect(md).not.toMatch(/^#+ Injected/m);
  });
  it('a code span with backticks inside stays one span', () => expect(md).toContain('`` rule` <b>bold</b> ` ``'));
  it('bidi overrides are marked visibly', () => {
    expect(md).not.toContain(RLO);
    expect(md).toContain('<U+202E>');
  });
});

describe('bidi overrides and links in the other formats', () => {
  const model = modelWith(`See [the fix](https://evil.example/phish) for ${hostile.bidi}.`, `Rule ${hostile.bidi}`);
  it.each([
    ['text', renderText(model, { color: false })],
    ['html', renderHtml(model)],
    ['junit', renderJunit(model)],
  ])('%s marks U+202E', (_f, out) => {
    expect(out).not.toContain(RLO);
    expect(out).toMatch(/&lt;U\+202E&gt;|<U\+202E>/);
  });
  it("HTML: a link's visible text never hides a different target", () => {
    const html = renderHtml(model);
    expect(html).toMatch(/the fix \(<a href="https:\/\/evil\.example\/phish">https:\/\/evil\.example\/phish<\/a>\)/);
  });
});
