import { describe, expect, it } from 'vitest';
import check from '../../../../checks/entra/token.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import { checkCtx, failedTokens, tokens } from './fixtures.js';

const run = (t: ReturnType<typeof tokens>) => check.run({ tokens: t } as never, checkCtx()) as ReturnType<typeof check.run> & object;

describe('entra.token', () => {
  it('passes with both tokens; evidence holds decoded claims, never a token', async () => {
    const o = await run(tokens());
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ exchange: { ok: true, aud: 'https://outlook.office365.com', roles: ['Mail.Send'], exp: 2_000_000_000 } });
    expect(JSON.stringify(o)).not.toMatch(/eyJ/);
    expect(o.requestIds).toEqual(['r-graph', 'r-exchange']);
  });

  it.each(['SECRET_INVALID', 'SECRET_ID_NOT_VALUE', 'SECRET_EXPIRED', 'APP_NOT_FOUND', 'APP_DISABLED', 'TENANT_NOT_FOUND', 'TOKEN_FAILED', 'CERTIFICATE_EXPIRED'])(
    'reports %s from the sign-in once, with its explanation',
    async (code) => {
      const o = await run(failedTokens(code, 'Entra said no'));
      expect(o.code).toBe(code);
      expect(statusOfCode(code)).toBe('fail');
      expect(o.summary).toBe('Entra said no');
      expect(o.details).toBe('why');
      expect(check.explanations[code]).toBeDefined();
    },
  );

  it('names the resource when only one sign-in failed', async () => {
    const t = tokens();
    t.exchange = failedTokens('TOKEN_FAILED', 'AADSTS500011').exchange;
    const o = await run(t);
    expect(o.code).toBe('TOKEN_FAILED');
    expect(o.summary).toBe('Office 365 Exchange Online: AADSTS500011');
  });

  it('warns CLOCK_SKEW beyond 5 minutes, not at 4', async () => {
    expect((await run(tokens({ skew: 301 }))).code).toBe('CLOCK_SKEW');
    expect((await run(tokens({ skew: -900 }))).summary).toMatch(/15 min ahead of/);
    expect((await run(tokens({ skew: 240 }))).code).toBeNull();
  });

  it('a failure outranks the clock warning, and both are listed', async () => {
    const t = failedTokens('SECRET_INVALID');
    t.graph.clockSkewSeconds = 1000;
    const o = await run(t);
    expect(o.code).toBe('SECRET_INVALID');
    expect(o.findings?.map((f) => f.code)).toEqual(['SECRET_INVALID', 'CLOCK_SKEW']);
  });

  it('precondition names every missing input', () => {
    const o = check.precondition!(checkCtx({ tenantId: undefined, clientSecret: undefined }));
    expect(o?.code).toBe('INPUT_MISSING');
    expect(o?.summary).toContain('tenant ID (--tenant-id)');
    expect(o?.summary).toContain('client secret (--client-secret-file) or certificate (--client-certificate)');
    expect(o?.summary).not.toContain('client ID');
    expect(check.precondition!(checkCtx())).toBeNull();
  });
});
