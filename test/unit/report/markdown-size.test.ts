import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/core/result.js';
import { MARKDOWN_MAX_BYTES, renderMarkdown } from '../../../src/report/markdown.js';
import { parseMarkdown } from './parse-formats.js';
import { makeModel } from './fixture.js';

function bigCheck(i: number, detailsChars: number): CheckResult {
  // Multi-byte text and an open code fence: the cap is in bytes, and a cut must not leave a fence open.
  const line = `Zeile ${i}: Weiterleitung blockiert — Größe prüfen ✓ `;
  const details = `Intro for ${i}.\n\n\`\`\`text\n${line.repeat(Math.ceil(detailsChars / line.length)).replace(/(.{100})/g, '$1\n')}\n\`\`\`\n\nTail of ${i}.`;
  return {
    id: `exchange.transport-rules-${i}`,
    asset: `user${i}@contoso.com`,
    title: `Transport rule ${i}`,
    step: 3,
    status: 'fail',
    code: 'AUTOFORWARD_BLOCKED_TRANSPORT_RULE',
    summary: `Rule ${i} drops forwarded mail.`,
    details,
    durationMs: 5,
    remediation: { text: `Remove rule ${i}.`, portal: [], commands: [`Remove-TransportRule -Identity "Rule ${i}"`], links: [] },
    evidence: { rules: Array.from({ length: 50 }, (_v, n) => ({ name: `rule ${n}`, priority: n })) },
    requestIds: [],
  };
}

function smallCheck(i: number): CheckResult {
  return { ...bigCheck(i, 10), id: `exchange.small-${i}`, details: `Short details ${i}.`, evidence: {} };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('markdown size cap', () => {
  it('leaves a report under the cap alone', () => {
    const md = renderMarkdown(makeModel());
    expect(md).not.toContain('shortened to stay under 1 MiB');
    expect(md).not.toContain('[Truncated');
  });

  it('shortens the longest findings of a huge report to stay under 1 MiB, and says so', () => {
    const checks = [...Array.from({ length: 20 }, (_v, i) => bigCheck(i, 200_000)), smallCheck(100), smallCheck(101)];
    const model = makeModel(checks);
    expect(bytes(JSON.stringify(model))).toBeGreaterThan(4 * MARKDOWN_MAX_BYTES);

    const md = renderMarkdown(model);
    expect(bytes(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    // Still close to the cap: it shortened, it did not throw content away wholesale.
    expect(bytes(md)).toBeGreaterThan(0.8 * MARKDOWN_MAX_BYTES);
    expect(md).toContain('> **Note:** shortened to stay under 1 MiB: the details of 20 finding(s) were truncated.');
    expect(md.match(/\*\[Truncated: \d+ of \d+ characters/g)).toHaveLength(20);
    // Every check keeps its table row and its finding; short findings keep all their details.
    expect(parseMarkdown(md)).toHaveLength(22);
    expect(md.match(/^### FAIL /gm)).toHaveLength(22);
    expect(md).toContain('Short details 100.');
    expect(md).toContain('Remove-TransportRule -Identity "Rule 19"');
    // No code fence left open by a cut.
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(md.endsWith('- **Duration:** 4.2 s\n')).toBe(true);
  });

  it('cuts the document itself when even the table is too large', () => {
    const checks = Array.from({ length: 6000 }, (_v, i) => ({ ...smallCheck(i), summary: `Rule ${i} ${'x'.repeat(200)}` }));
    const md = renderMarkdown(makeModel(checks));
    expect(bytes(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(md).toContain('this report was cut here to stay under 1 MiB');
    expect(md.startsWith('# wxmail report: FAIL')).toBe(true);
  });

  it('honours a smaller cap', () => {
    const md = renderMarkdown(makeModel([bigCheck(1, 50_000), smallCheck(2)]), { maxBytes: 20_000 });
    expect(bytes(md)).toBeLessThanOrEqual(20_000);
    expect(md).toContain('[Truncated:');
  });
});
