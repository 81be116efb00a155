import { describe, expect, it } from 'vitest';
import { fromProbe } from '../../../../checks/entra/implicit-grant.js';
import type { AuthorizeProbe } from '../../../../src/collect/identity/authorize-probe.js';
import { FactError } from '../../../../src/core/fact-error.js';

const denied = new FactError('MISSING_PERMISSION', 'Reading the app registration needs Application.Read.All.', {
  details: 'Grant Application.Read.All to the reader.',
  permission: { name: 'Application.Read.All', identity: 'app' },
  requestIds: ['r-graph'],
});
const probe = (over: Partial<AuthorizeProbe>): AuthorizeProbe => ({ ran: true, status: 302, redirectsToCallback: true, aadsts: null, message: null, redirectError: null, url: 'https://login.example.test/t/oauth2/v2.0/authorize?response_type=token', requestId: 'r-auth', ...over });

describe('entra.implicit-grant without the registration: the response_type=token probe (G22)', () => {
  it('AADSTS700051 or 70005 at the Call Back URL is IMPLICIT_ACCESS_TOKENS_OFF, naming the code and the probe', () => {
    for (const aadsts of [700051, 70005]) {
      const o = fromProbe(denied, probe({ aadsts, redirectError: 'unsupported_response_type', message: "response_type 'token' is not enabled for the application." }));
      expect(o.code).toBe('IMPLICIT_ACCESS_TOKENS_OFF');
      expect(o.summary).toContain(`AADSTS${aadsts}`);
      expect(o.details).toContain('could not be read');
      expect(o.requestIds).toEqual(['r-auth']);
    }
  });

  it('login_required proves nothing: the registration error stays (exit 2), saying what the probe saw', () => {
    const o = fromProbe(denied, probe({ aadsts: 50058, redirectError: 'login_required' }));
    expect(o.code).toBe('MISSING_PERMISSION');
    expect(o.details).toContain('did not refuse response_type=token');
    expect(o.evidence).toMatchObject({ missingPermission: { name: 'Application.Read.All' }, probe: { error: 'login_required' } });
  });

  it('a Call Back URL Entra does not accept (its own error page), a 700051 not at the callback, or no probe: the registration error', () => {
    expect(fromProbe(denied, probe({ status: 400, redirectsToCallback: false, aadsts: 50011 })).details).toContain('see entra.redirect-uri');
    expect(fromProbe(denied, probe({ status: 400, redirectsToCallback: false, aadsts: 700051 })).code).toBe('MISSING_PERMISSION');
    expect(fromProbe(denied, null)).toMatchObject({ code: 'MISSING_PERMISSION', summary: denied.message, requestIds: ['r-graph'] });
  });
});
