import { describe, expect, it } from 'vitest';
import remoteDomain from '../../../../checks/exchange/remote-domain.js';
import { matchRemoteDomain } from '../../../../checks/exchange/lib/remote-domain.js';
import { ADMIN_API_SOURCE } from '../../../../src/collect/exchange/types.js';
import { asset, ctx, expectExplained, remoteDomain as rd, run } from './facts.js';

const domains = (...d: ReturnType<typeof rd>[]) => ({ remote: { domains: d, source: ADMIN_API_SOURCE } });

describe('exchange.remote-domain', () => {
  it('passes on the Default remote domain allowing auto-forwarding (with a baseline note)', async () => {
    const r = await run(remoteDomain, domains(rd('Default', '*', true)));
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/MS\.EXO\.1\.1v2/);
  });

  it('fails AUTOFORWARD_BLOCKED_REMOTE_DOMAIN when Default blocks and nothing more specific exists', async () => {
    const r = await run(remoteDomain, domains(rd('Default', '*', false), rd('Fabrikam', 'fabrikam.com', true)));
    expect(r.code).toBe('AUTOFORWARD_BLOCKED_REMOTE_DOMAIN');
    expect(r.summary).toContain('mail-us.imiconnect.io');
    expect(r.summary).toContain('Default');
    expectExplained(remoteDomain, r.code);
  });

  it('the most specific remote domain wins: exact > longer wildcard > shorter wildcard > Default', async () => {
    const allowExact = await run(remoteDomain, domains(rd('Default', '*', false), rd('Imi', '*.imiconnect.io', false), rd('Webex', 'mail-us.imiconnect.io', true)));
    expect(allowExact.status).toBe('pass');
    expect(allowExact.summary).toContain('"Webex"');
    const blockWildcard = await run(remoteDomain, domains(rd('Default', '*', true), rd('Imi', '*.imiconnect.io', false)));
    expect(blockWildcard.code).toBe('AUTOFORWARD_BLOCKED_REMOTE_DOMAIN');
    expect(blockWildcard.summary).toContain('"Imi"');
    const longer = matchRemoteDomain([rd('A', '*.io', false), rd('B', '*.imiconnect.io', true), rd('D', '*', false)], 'mail-us.imiconnect.io');
    expect(longer?.name).toBe('B');
    expect(matchRemoteDomain([rd('W', '*.imiconnect.io', true)], 'imiconnect.io')?.name).toBe('W');
    expect(matchRemoteDomain([rd('W', '*.imiconnect.io', true)], 'notimiconnect.io')).toBeNull();
  });

  it('passes with a note when no remote domain matches at all', async () => {
    const r = await run(remoteDomain, domains(rd('Fabrikam', 'fabrikam.com', false)));
    expect(r.status).toBe('pass');
    expect(r.details).toMatch(/partial/);
  });

  it('needs the forwarding address', async () => {
    expect((await run(remoteDomain, {}, ctx(asset({ forwardingAddress: undefined })))).code).toBe('INPUT_MISSING');
  });

  it('fix adds a remote domain for the forwarding domain only', () => {
    const e = remoteDomain.explanations.AUTOFORWARD_BLOCKED_REMOTE_DOMAIN!;
    expect(e.commands).toEqual(['New-RemoteDomain -Name "Webex Connect" -DomainName mail-us.imiconnect.io', 'Set-RemoteDomain -Identity "Webex Connect" -AutoForwardEnabled $true']);
  });
});
