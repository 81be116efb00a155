import { describe, expect, it } from 'vitest';
import { readOnce } from '../../../../src/collect/exchange/read-ahead.js';
import type { Row } from '../../../../src/collect/exchange/values.js';
import type { CollectContext } from '../../../../src/core/fact.js';

const ctxWith = (mailboxes: string[], signal = new AbortController().signal) =>
  ({ config: { assets: mailboxes.map((mailbox) => ({ mailbox })) }, services: new Map(), signal }) as unknown as CollectContext;

const mailboxRow = (address: string, extra: Row = {}): Row => ({ Identity: address.split('@')[0], PrimarySmtpAddress: address, EmailAddresses: [`SMTP:${address}`], ...extra });

/** The addresses a filter of the form `EmailAddresses -eq '<a>' -or …` names (quotes undoubled). */
const named = (filter: string) => [...filter.matchAll(/EmailAddresses -eq '((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));

/** A tenant: a filter returns the rows of the named addresses it knows; -Identity finds one or throws. */
function tenant(known: string[], opts: { refuseFilter?: boolean } = {}) {
  const reads: Record<string, unknown>[] = [];
  const read = async (p: Record<string, unknown>): Promise<Row[]> => {
    reads.push(p);
    if (typeof p.Filter === 'string') {
      if (opts.refuseFilter) throw new Error('filter refused');
      const wanted = new Set(named(p.Filter).map((a) => a.toLowerCase()));
      return known.filter((k) => wanted.has(k.toLowerCase())).map((k) => mailboxRow(k));
    }
    const hit = known.find((k) => k.toLowerCase() === String(p.Identity).toLowerCase() || k.split('@')[0] === p.Identity);
    if (!hit) throw new Error(`no mailbox ${String(p.Identity)}`);
    return [mailboxRow(hit)];
  };
  return { reads, read };
}

describe('admin API reads: once per run, a fleet read ahead', () => {
  it('a per-mailbox read of another cmdlet starts the same read for every asset; each later read finds its own answer', async () => {
    const ctx = ctxWith(['a@contoso.com', 'B@contoso.com', 'c@contoso.com']);
    const reads: unknown[] = [];
    const read = async (p: Record<string, unknown>) => {
      reads.push(p.Identity);
      return [{ Identity: String(p.Identity) }];
    };
    expect(await readOnce(ctx, 'Get-MailboxPermission', { Identity: 'a@contoso.com' }, read)).toEqual([{ Identity: 'a@contoso.com' }]);
    expect(reads).toEqual(['a@contoso.com', 'B@contoso.com', 'c@contoso.com']);
    expect(await readOnce(ctx, 'Get-MailboxPermission', { Identity: 'B@contoso.com' }, read)).toEqual([{ Identity: 'B@contoso.com' }]);
    expect(reads).toHaveLength(3);
  });

  it('a tenant-wide read, a single asset, or an identity that is no asset reads only itself', async () => {
    const fleet = ctxWith(['a@contoso.com', 'b@contoso.com']);
    const seen: unknown[] = [];
    const spy = async (p: Record<string, unknown>) => (seen.push(p), []);
    await readOnce(fleet, 'Get-RemoteDomain', {}, spy);
    await readOnce(fleet, 'Get-Recipient', { Identity: 'contact-x' }, spy);
    await readOnce(ctxWith(['a@contoso.com']), 'Get-Mailbox', { Identity: 'a@contoso.com' }, spy);
    expect(seen).toEqual([{}, { Identity: 'contact-x' }, { Identity: 'a@contoso.com' }]);
  });

  it("Get-Mailbox of a fleet: one filter per chunk of 50, each asset gets its own row, an address with a quote cannot break out", async () => {
    const fleet = Array.from({ length: 119 }, (_, i) => `user${i}@contoso.com`).concat(["o'brien@contoso.com"]);
    const t = tenant(fleet);
    const ctx = ctxWith(fleet);
    const first = await readOnce(ctx, 'Get-Mailbox', { Identity: 'user7@contoso.com' }, t.read);
    expect(first).toEqual([mailboxRow('user7@contoso.com')]);
    const filters = t.reads.map((r) => r.Filter as string);
    expect(t.reads.every((r) => Object.keys(r).join() === 'Filter')).toBe(true);
    expect(filters.map((f) => named(f).length)).toEqual([50, 50, 20]);
    expect(filters[2]).toContain("EmailAddresses -eq 'o''brien@contoso.com'");
    expect(filters[0]!.split(' -or ')).toHaveLength(50);
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: "o'brien@contoso.com" }, t.read)).toEqual([mailboxRow("o'brien@contoso.com")]);
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: 'user99@contoso.com' }, t.read)).toEqual([mailboxRow('user99@contoso.com')]);
    expect(t.reads).toHaveLength(3);
  });

  it('a mailbox the filter does not return is read by identity; one that exists nowhere fails as that read fails', async () => {
    // alias@ is no proxy address (the filter misses it) but Identity resolves the alias; nobody@ exists nowhere.
    const t = tenant(['a@contoso.com', 'b@contoso.com']);
    const ctx = ctxWith(['a@contoso.com', 'b', 'nobody@contoso.com']);
    expect(await readOnce(ctx, 'Get-CASMailbox', { Identity: 'a@contoso.com' }, t.read)).toEqual([mailboxRow('a@contoso.com')]);
    expect(await readOnce(ctx, 'Get-CASMailbox', { Identity: 'b' }, t.read)).toEqual([mailboxRow('b@contoso.com')]);
    await expect(readOnce(ctx, 'Get-CASMailbox', { Identity: 'nobody@contoso.com' }, t.read)).rejects.toThrow('no mailbox nobody@contoso.com');
    expect(t.reads.map((r) => r.Identity ?? named(r.Filter as string).join())).toEqual(['b', 'a@contoso.com,nobody@contoso.com', 'nobody@contoso.com']);
  });

  it('a refused filter changes nothing: every mailbox of the chunk is read by identity, with its own error', async () => {
    const t = tenant(['a@contoso.com', 'b@contoso.com'], { refuseFilter: true });
    const ctx = ctxWith(['a@contoso.com', 'b@contoso.com', 'gone@contoso.com']);
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: 'b@contoso.com' }, t.read)).toEqual([mailboxRow('b@contoso.com')]);
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: 'a@contoso.com' }, t.read)).toEqual([mailboxRow('a@contoso.com')]);
    await expect(readOnce(ctx, 'Get-Mailbox', { Identity: 'gone@contoso.com' }, t.read)).rejects.toThrow('no mailbox gone@contoso.com');
    expect(t.reads.filter((r) => 'Identity' in r).map((r) => r.Identity)).toEqual(['a@contoso.com', 'b@contoso.com', 'gone@contoso.com']);
    expect(t.reads.filter((r) => 'Filter' in r)).toHaveLength(1);
  });

  it('two rows carrying the same address are no answer: Identity decides', async () => {
    const reads: Record<string, unknown>[] = [];
    const read = async (p: Record<string, unknown>): Promise<Row[]> => {
      reads.push(p);
      if (p.Filter) return [mailboxRow('a@contoso.com'), mailboxRow('x@contoso.com', { EmailAddresses: ['SMTP:x@contoso.com', 'smtp:a@contoso.com'] })];
      return [mailboxRow('a@contoso.com', { Identity: 'by-identity' })];
    };
    const ctx = ctxWith(['a@contoso.com', 'x@contoso.com']);
    expect(await readOnce(ctx, 'Get-Mailbox', { Identity: 'a@contoso.com' }, read)).toEqual([mailboxRow('a@contoso.com', { Identity: 'by-identity' })]);
    expect(reads.map((r) => r.Identity ?? 'filter')).toEqual(['filter', 'a@contoso.com']);
  });

  it('when the run is past its deadline, a failed filter ends the read without a second request', async () => {
    const abort = new AbortController();
    const reads: unknown[] = [];
    const read = async (p: Record<string, unknown>): Promise<Row[]> => {
      reads.push(p);
      abort.abort();
      throw new Error('timed out');
    };
    const ctx = ctxWith(['a@contoso.com', 'b@contoso.com'], abort.signal);
    await expect(readOnce(ctx, 'Get-Mailbox', { Identity: 'a@contoso.com' }, read)).rejects.toThrow('timed out');
    expect(reads).toHaveLength(1);
  });
});
