import { describe, expect, it } from 'vitest';
import { readOnce } from '../../../../src/collect/exchange/read-ahead.js';
import type { CollectContext } from '../../../../src/core/fact.js';

const ctxWith = (mailboxes: string[]) => ({ config: { assets: mailboxes.map((mailbox) => ({ mailbox })) }, services: new Map() }) as unknown as CollectContext;

describe('admin API reads: once per run, a fleet read ahead', () => {
  it('a per-mailbox read of one asset starts the same read for every asset; each later read finds its own answer', async () => {
    const ctx = ctxWith(['a@contoso.com', 'B@contoso.com', 'c@contoso.com']);
    const reads: unknown[] = [];
    const read = async (p: Record<string, unknown>) => {
      reads.push(p.Identity);
      return `mailbox ${String(p.Identity)}`;
    };
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: 'a@contoso.com' }, read)).toBe('mailbox a@contoso.com');
    expect(reads).toEqual(['a@contoso.com', 'B@contoso.com', 'c@contoso.com']);
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: 'B@contoso.com' }, read)).toBe('mailbox B@contoso.com');
    expect(await readOnce(ctx, 'Get-CASMailbox', { Identity: 'c@contoso.com' }, read)).toBe('mailbox c@contoso.com');
    expect(reads).toHaveLength(6);
  });

  it('a tenant-wide read, a single asset, or an identity that is no asset reads only itself', async () => {
    const read = async (p: Record<string, unknown>) => String(p.Identity ?? 'all');
    const fleet = ctxWith(['a@contoso.com', 'b@contoso.com']);
    const seen: string[] = [];
    const spy = async (p: Record<string, unknown>) => (seen.push(await read(p)), 'x');
    await readOnce(fleet, 'Get-RemoteDomain', {}, spy);
    await readOnce(fleet, 'Get-Recipient', { Identity: 'contact-x' }, spy);
    await readOnce(ctxWith(['a@contoso.com']), 'Get-Mailbox', { Identity: 'a@contoso.com' }, spy);
    expect(seen).toEqual(['all', 'contact-x', 'a@contoso.com']);
  });

  it('a failed read ahead is kept for its own fact, never an unhandled rejection', async () => {
    const ctx = ctxWith(['a@contoso.com', 'gone@contoso.com']);
    const read = async (p: Record<string, unknown>) => {
      if (p.Identity === 'gone@contoso.com') throw new Error('not found');
      return 'ok';
    };
    await readOnce(ctx, 'Get-Mailbox', { Identity: 'a@contoso.com' }, read);
    await expect(readOnce(ctx, 'Get-Mailbox', { Identity: 'gone@contoso.com' }, read)).rejects.toThrow('not found');
  });
});
