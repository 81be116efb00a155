import { describe, expect, it } from 'vitest';
import { entraChecks } from '../../../../checks/entra/index.js';
import { statusOfCode } from '../../../../src/core/codes.js';

describe('entra explanations', () => {
  it('every code has a complete remediation: guide step, portal path or command, and a link', () => {
    for (const check of entraChecks) {
      expect(check.id.startsWith('entra.')).toBe(true);
      expect(check.step).toBe(2);
      for (const [code, e] of Object.entries(check.explanations)) {
        expect(statusOfCode(code), `${check.id} ${code}`).toBeDefined();
        for (const k of ['title', 'seen', 'cause', 'confirm', 'fix'] as const) expect(e[k].length, `${check.id} ${code} ${k}`).toBeGreaterThan(5);
        expect(e.step, `${check.id} ${code}`).toBe(2);
        expect((e.portal?.length ?? 0) + (e.commands?.length ?? 0), `${check.id} ${code}`).toBeGreaterThan(0);
        expect(e.links?.length, `${check.id} ${code}`).toBeGreaterThan(0);
        for (const l of e.links ?? []) expect(l).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      }
    }
  });
  it('covers every code of issue 4', () => {
    const all = new Set(entraChecks.flatMap((c) => Object.keys(c.explanations)));
    for (const code of [
      'SECRET_INVALID', 'SECRET_ID_NOT_VALUE', 'SECRET_EXPIRED', 'APP_NOT_FOUND', 'APP_DISABLED', 'TENANT_NOT_FOUND', 'TOKEN_FAILED', 'CLOCK_SKEW',
      'REDIRECT_URI_MISSING', 'REDIRECT_URI_WRONG_PLATFORM', 'IMPLICIT_ACCESS_TOKENS_OFF', 'SECRET_EXPIRES_SOON', 'SECRET_HINT_AMBIGUOUS',
      'CERTIFICATE_EXPIRED', 'CERTIFICATE_EXPIRES_SOON', 'PERMISSION_NOT_CONFIGURED', 'ADMIN_CONSENT_MISSING', 'ROLE_NOT_IN_TOKEN', 'USER_NOT_ASSIGNED', 'USER_CONSENT_DISABLED',
    ]) expect(all.has(code), code).toBe(true);
  });
  it('ids are the contract ids, in dependency order (token first)', () => {
    expect(entraChecks.map((c) => c.id)).toEqual(['entra.token', 'entra.redirect-uri', 'entra.implicit-grant', 'entra.client-secret', 'entra.api-permissions', 'entra.admin-consent', 'entra.user-consent']);
  });
});
