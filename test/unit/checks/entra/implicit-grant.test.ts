import { describe, expect, it } from 'vitest';
import check from '../../../../checks/entra/implicit-grant.js';
import { app, checkCtx } from './fixtures.js';

describe('entra.implicit-grant', () => {
  it('passes when access tokens are issued', () => {
    expect((check.run({ app: { ok: true, value: app() }, probe: { ok: true, value: { ran: false } } } as never, checkCtx()) as { code: unknown }).code).toBeNull();
  });
  it('IMPLICIT_ACCESS_TOKENS_OFF otherwise, with the guide\'s portal path', () => {
    const a = app({ web: { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: true } } });
    const o = check.run({ app: { ok: true, value: a }, probe: { ok: true, value: { ran: false } } } as never, checkCtx()) as { code: string; evidence: Record<string, unknown> };
    expect(o.code).toBe('IMPLICIT_ACCESS_TOKENS_OFF');
    expect(o.evidence).toEqual({ enableAccessTokenIssuance: false, enableIdTokenIssuance: true });
    expect(check.explanations.IMPLICIT_ACCESS_TOKENS_OFF!.portal).toContain(
      'Azure Active Directory → App registrations → your app → Authentication → Implicit grant and hybrid flows → Access tokens',
    );
  });
  it('requires entra.token only without a reader', () => {
    const req = check.requires as (c: unknown) => string[];
    expect(req({})).toEqual(['entra.token']);
    expect(req({ reader: { kind: 'app' } })).toEqual([]);
  });
});
