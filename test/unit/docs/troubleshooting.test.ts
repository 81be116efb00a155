import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../../checks/index.js';
import { buildIndex } from '../../../src/core/explanation-index.js';
import { REGENERATE, TROUBLESHOOTING_FILE, renderTroubleshooting } from '../../../src/report/troubleshooting.js';

const committed = () => readFileSync(fileURLToPath(new URL(`../../../${TROUBLESHOOTING_FILE}`, import.meta.url)), 'utf8');

describe('docs/TROUBLESHOOTING.md', () => {
  it('is up to date with the explanation entries', () => {
    const fresh = renderTroubleshooting(builtinChecks);
    // toBe on a boolean first, so the failure says what to do instead of dumping a 100 kB diff.
    expect(committed() === fresh, `${TROUBLESHOOTING_FILE} is out of date with the explanation entries: run \`${REGENERATE}\` and commit it`).toBe(true);
  });

  it('has every entry under its step, with the exact Microsoft text, and an index link to it', () => {
    const doc = renderTroubleshooting(builtinChecks);
    const steps = [...doc.matchAll(/^## (Step \d|Any step)/gm)].map((m) => m[1]);
    expect(steps).toEqual(['Step 1', 'Step 2', 'Step 3', 'Step 4', 'Any step']);
    for (const e of buildIndex(builtinChecks)) {
      const anchor = `code-${e.code.toLowerCase().replace(/_/g, '-')}`;
      expect(doc).toContain(`<a id="${anchor}"></a>\n### ${e.code}: `);
      expect(doc).toContain(`(#${anchor})`);
    }
    expect(doc).toContain('| `AADSTS7000222` | [SECRET_EXPIRED](#code-secret-expired) |');
    expect(doc).toContain('SmtpClientAuthentication is disabled for the Tenant');
    // Placeholders stay visible: never a bare <mailbox> that Markdown would swallow as a tag.
    const outsideCode = doc.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').replace(/<a id="[^"]+"><\/a>|<!--.*?-->|<https?:[^>]+>/g, '');
    expect(outsideCode.match(/<[a-z][a-z -]*>/gi) ?? []).toEqual([]);
    // A table row that opens a code span closes it (else the rest of the row renders as code).
    const oddRows = doc.split('\n').filter((l) => l.startsWith('|') && (l.match(/`/g) ?? []).length % 2);
    expect(oddRows).toEqual([]);
  });
});
