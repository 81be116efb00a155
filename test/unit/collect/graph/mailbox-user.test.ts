import { describe, expect, it } from 'vitest';
import { mailboxUserFact, noUserMessage, odataString, userFilters } from '../../../../src/collect/graph/entra/mailbox-user.js';
import { inboxRulesFact } from '../../../../src/collect/graph/mailbox/inbox-rules.js';
import { GRAPH, JSON_HEADERS, caught, mockOrigins, refuseBatch, testConfig, testCtx, withToken } from '../identity/ctx.js';

const filterOf = (p: string) => (p.startsWith('/v1.0/users?') ? (new URLSearchParams(p.slice(p.indexOf('?') + 1)).get('$filter') ?? '') : null);

describe('G1: the mailbox resolved to its Entra user', () => {
  it('OData literals double single quotes; both documented filter forms', () => {
    expect(odataString("o'neil@fabrikam.test")).toBe("'o''neil@fabrikam.test'");
    expect(userFilters("o'neil@fabrikam.test").map((f) => f.filter)).toEqual([
      "mail eq 'o''neil@fabrikam.test' or userPrincipalName eq 'o''neil@fabrikam.test'",
      "proxyAddresses/any(p:p eq 'smtp:o''neil@fabrikam.test')",
    ]);
  });

  it('finds by mail/UPN first, else by proxy address; fills <user-id> and <user-principal-name>', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    pool.intercept({ path: (p) => filterOf(p)?.startsWith("mail eq 'sales@fabrikam.test'") === true, method: 'GET' }).reply(200, { value: [] }, { headers: JSON_HEADERS });
    pool.intercept({ path: (p) => filterOf(p) === "proxyAddresses/any(p:p eq 'smtp:sales@fabrikam.test')", method: 'GET' }).reply(200, { value: [{ id: 'u-77', userPrincipalName: 'sj@fabrikam.onmicrosoft.test' }] }, { headers: JSON_HEADERS });
    const u = await mailboxUserFact.collect(testCtx(testConfig()), { mailbox: 'sales@fabrikam.test' });
    expect(u).toMatchObject({ id: 'u-77', userPrincipalName: 'sj@fabrikam.onmicrosoft.test', matchedBy: 'proxyAddresses' });
    expect(mailboxUserFact.fixValues!(u)).toEqual({ 'user-id': 'u-77', 'user-principal-name': 'sj@fabrikam.onmicrosoft.test' });
  });

  it('no match: per-user reads fail MAILBOX_USER_NOT_FOUND naming the address and the filters, whatever /users/{address} answered', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    refuseBatch(agent);
    pool.intercept({ path: (p) => filterOf(p) !== null, method: 'GET' }).reply(200, { value: [] }, { headers: JSON_HEADERS }).times(2);
    // The read by address that left beside the lookup: a mailbox of the same name would not count.
    pool.intercept({ path: '/v1.0/users/typo%40fabrikam.test/mailFolders/inbox/messageRules', method: 'GET' }).reply(200, { value: [{ displayName: 'x' }] }, { headers: JSON_HEADERS });
    const e = await caught(inboxRulesFact.collect(testCtx(testConfig()), { mailbox: 'typo@fabrikam.test' }));
    expect(e.code).toBe('MAILBOX_USER_NOT_FOUND');
    expect(e.message).toContain('typo@fabrikam.test');
    expect(e.message).toContain("proxyAddresses/any(p:p eq 'smtp:typo@fabrikam.test')");
    expect(noUserMessage({ mailbox: 'x@y.test', id: null, userPrincipalName: null, matchedBy: null, filtersTried: ['a', 'b'] })).toBe('No Entra user has the address x@y.test: Microsoft Graph found no user for `$filter=a` nor for `$filter=b`.');
  });

  it('a mailbox that is not its user\'s UPN: inbox rules are read by the user id, not by the mailbox address', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    refuseBatch(agent);
    pool.intercept({ path: (p) => filterOf(p) !== null, method: 'GET' }).reply(200, { value: [{ id: 'u-9', userPrincipalName: 'jd@fabrikam.onmicrosoft.test' }] }, { headers: JSON_HEADERS });
    // G1: `/users/{address}` resolves only a UPN; its answer (here another object's rules) is not used.
    pool.intercept({ path: '/v1.0/users/jane.doe%40fabrikam.test/mailFolders/inbox/messageRules', method: 'GET' }).reply(200, { value: [{ displayName: 'not hers', actions: { forwardTo: [{ emailAddress: { address: 'x@y.test' } }] } }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/users/u-9/mailFolders/inbox/messageRules', method: 'GET' }).reply(200, { value: [{ displayName: 'r', actions: { forwardTo: [{ emailAddress: { address: 'A@B.test' } }] } }] }, { headers: JSON_HEADERS });
    const r = await inboxRulesFact.collect(testCtx(testConfig()), { mailbox: 'jane.doe@fabrikam.test' });
    expect(r.rules[0]!.forwardTo).toEqual(['a@b.test']);
    agent.assertNoPendingInterceptors();
  });
});

describe('inbox rules read beside the user lookup (issue 9: one Graph round trip less)', () => {
  it('a mailbox that IS its user\'s UPN (any case): the read by address counts, no read by id', async () => {
    const agent = mockOrigins();
    await withToken(agent);
    const pool = agent.get(GRAPH);
    refuseBatch(agent);
    pool.intercept({ path: (p) => filterOf(p) !== null, method: 'GET' }).reply(200, { value: [{ id: 'u-5', userPrincipalName: 'Sales@Fabrikam.test' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/v1.0/users/sales%40fabrikam.test/mailFolders/inbox/messageRules', method: 'GET' }).reply(200, { value: [{ displayName: 'fwd', actions: { redirectTo: [{ emailAddress: { address: 'Q@W.test' } }] } }] }, { headers: JSON_HEADERS });
    const r = await inboxRulesFact.collect(testCtx(testConfig()), { mailbox: 'sales@fabrikam.test' });
    expect(r.rules.map((x) => x.redirectTo)).toEqual([['q@w.test']]);
    // No interceptor for /users/u-5/…: a read by id would have failed the collection.
    agent.assertNoPendingInterceptors();
  });
});

describe('G5: thumbprints of a keyCredential key', () => {
  it('SHA-1 and SHA-256 of the base64 DER; null for no key', async () => {
    const { derThumbprints } = await import('../../../../src/collect/identity/certificate.js');
    const { createHash } = await import('node:crypto');
    const der = Buffer.from('30820122300d06092a864886f70d01010105000382010f00'.repeat(3), 'hex');
    const t = derThumbprints(der.toString('base64'))!;
    expect(t.sha1).toBe(createHash('sha1').update(der).digest('hex').toUpperCase());
    expect(t.sha256).toHaveLength(64);
    expect(derThumbprints(null)).toBeNull();
  });
});
