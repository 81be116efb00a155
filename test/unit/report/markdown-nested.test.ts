import { describe, expect, it } from 'vitest';
import { parseBlocks } from '../../../src/report/markdown-parse.js';
import { markdownToPlain } from '../../../src/report/markdown-plain.js';

describe('nested list items', () => {
  const md = 'Either:\n\n1. **App-only**: do this:\n   - `New-ServicePrincipal`\n   - `Add-MailboxPermission`\n2. **Delegated**: a token.';

  it('stay inside their parent item instead of renumbering the list', () => {
    const list = parseBlocks(md).find((b) => b.kind === 'list');
    expect(list).toMatchObject({ kind: 'list', ordered: true });
    expect((list as { items: string[] }).items).toEqual(['**App-only**: do this:\n- `New-ServicePrincipal`\n- `Add-MailboxPermission`', '**Delegated**: a token.']);
  });

  it('render as two numbered items in plain text', () => {
    const plain = markdownToPlain(md);
    expect(plain).toMatch(/^1\. App-only/m);
    expect(plain).toMatch(/^2\. Delegated/m);
    expect(plain).not.toMatch(/^3\./m);
  });
});
