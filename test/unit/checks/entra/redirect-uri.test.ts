import { describe, expect, it } from 'vitest';
import { remediationOf } from '../../../../src/core/explanation.js';
import check, { fromProbe } from '../../../../checks/entra/redirect-uri.js';
import { differences } from '../../../../checks/entra/lib/redirect.js';
import { FactError } from '../../../../src/core/fact-error.js';
import { CALLBACK, app, checkCtx, err, ok } from './fixtures.js';

const run = (a: ReturnType<typeof app>) => check.run({ app: ok(a), probe: ok({ ran: false }) } as never, checkCtx()) as Awaited<ReturnType<typeof check.run>>;
const web = (...uris: string[]) => app({ web: { redirectUris: uris, implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } } });

describe('entra.redirect-uri (registration)', () => {
  it('passes on an exact Web redirect URI', () => {
    expect(run(web('https://other.example/cb', CALLBACK)).code).toBeNull();
  });

  it.each([
    [`${CALLBACK}/`, 'trailing slash added'],
    ['http://contoso.us.webexconnect.io/callback', 'http instead of https'],
    ['https://Contoso.us.webexconnect.io/callback', 'letter case of the host'],
    ['https://contoso.us.webexconnect.io/Callback', 'letter case of the path'],
    ['https://contoso.eu.webexconnect.io/callback', 'another tenant or region host'],
    ['https://fabrikam.us.webexconnect.io/callback', 'another tenant or region host'],
  ])('names the near miss %s', (uri, words) => {
    const o = run(web(uri));
    expect(o.code).toBe('REDIRECT_URI_MISSING');
    expect(o.summary).toContain(words);
    expect(o.details).toContain(uri);
  });

  it('says so when the app has no redirect URI at all (AADSTS500113), or none under Web', () => {
    const o = run(web());
    expect(o.code).toBe('REDIRECT_URI_MISSING');
    expect(o.details).toContain('AADSTS500113');
    const spaOnly = run(app({ web: { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } }, spa: { redirectUris: ['https://spa.fabrikam.example/cb'] } }));
    expect(spaOnly.details).toContain('no Web redirect URI');
  });

  it('the fix keeps every registered Web URI and adds the Call Back URL (never replaces the list)', () => {
    const o = run(web('https://other-integration.fabrikam.example/signin', 'https://contoso.us.webexconnect.io/callback/'));
    expect(o.code).toBe('REDIRECT_URI_MISSING');
    expect(o.values?.['redirect-uris']).toEqual(['https://other-integration.fabrikam.example/signin', 'https://contoso.us.webexconnect.io/callback/', CALLBACK]);
    const cmd = remediationOf(check.explanations.REDIRECT_URI_MISSING!, { 'object-id': 'b1c2', ...o.values }).commands.find((c) => c.startsWith('Update-MgApplication'))!;
    expect(cmd).toBe(
      `Update-MgApplication -ApplicationId b1c2 -Web @{ RedirectUris = @('https://other-integration.fabrikam.example/signin', 'https://contoso.us.webexconnect.io/callback/', '${CALLBACK}') }`,
    );
  });

  it('REDIRECT_URI_WRONG_PLATFORM when the exact URL is under SPA or mobile/desktop', () => {
    const spa = run(app({ web: { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } }, spa: { redirectUris: [CALLBACK] } }));
    expect(spa.code).toBe('REDIRECT_URI_WRONG_PLATFORM');
    expect(spa.summary).toContain('Single-page application');
    const pub = run(app({ web: { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } }, publicClient: { redirectUris: [CALLBACK] } }));
    expect(pub.code).toBe('REDIRECT_URI_WRONG_PLATFORM');
    expect(pub.summary).toContain('Mobile and desktop');
  });

  it('unrelated URIs are not near misses', () => {
    expect(differences('https://app.example.com/signin', CALLBACK)).toBeNull();
  });
});

describe('entra.redirect-uri (authorize probe when the registration cannot be read)', () => {
  const regErr = new FactError('MISSING_PERMISSION', 'lacks Application.Read.All').toJSON();
  it('AADSTS50011 page → REDIRECT_URI_MISSING', () => {
    const o = fromProbe({ ran: true, status: 400, aadsts: 50011, redirectsToCallback: false, registrationError: regErr }, CALLBACK);
    expect(o.code).toBe('REDIRECT_URI_MISSING');
    expect(o.details).toContain('MISSING_PERMISSION');
  });
  it('redirect to the callback (login_required) or an Entra sign-in page → pass, with the platform caveat', () => {
    expect(fromProbe({ ran: true, status: 302, aadsts: 50058, redirectError: 'login_required', redirectsToCallback: true, fromEntra: true, registrationError: regErr }, CALLBACK).code).toBeNull();
    const o = fromProbe({ ran: true, status: 200, aadsts: null, signInPage: true, fromEntra: true, redirectsToCallback: false, registrationError: regErr }, CALLBACK);
    expect(o.code).toBeNull();
    expect(o.details).toContain('platform');
  });
  it('a 200 page without an AADSTS code and without Entra\'s markers is inconclusive, not a pass (G23)', () => {
    const o = fromProbe({ ran: true, status: 200, aadsts: null, signInPage: true, fromEntra: false, redirectsToCallback: false, registrationError: regErr }, CALLBACK);
    expect(o.code).toBe('AUTHORIZE_PROBE_INCONCLUSIVE');
    expect(o.summary).toContain('$Config');
  });
  it('AADSTS500113 (no reply address at all) is REDIRECT_URI_MISSING, not hidden behind the registration skip (G22)', () => {
    const o = fromProbe({ ran: true, status: 400, aadsts: 500113, message: 'No reply address is registered for the application.', fromEntra: true, registrationError: regErr }, CALLBACK);
    expect(o.code).toBe('REDIRECT_URI_MISSING');
    expect(o.summary).toContain('AADSTS500113');
  });
  it('AADSTS50011 keeps Entra\'s "case sensitivity" detail', () => {
    const o = fromProbe({ ran: true, status: 400, aadsts: 50011, message: "The redirect URI 'x' … Reply address did not match because of case sensitivity.", fromEntra: true, registrationError: regErr }, CALLBACK);
    expect(o.code).toBe('REDIRECT_URI_MISSING');
    expect(o.summary).toContain('letter case');
    expect(o.details).toContain('case sensitivity');
  });
  it('every other AADSTS code is a finding of its own: named when the table knows it, AUTHORIZE_ERROR otherwise', () => {
    expect(fromProbe({ ran: true, status: 400, aadsts: 53003, fromEntra: true, registrationError: regErr }, CALLBACK).code).toBe('CONDITIONAL_ACCESS_BLOCKED');
    const unknown = fromProbe({ ran: true, status: 400, aadsts: 90014, message: 'The required field is missing.', fromEntra: true, registrationError: regErr }, CALLBACK);
    expect(unknown.code).toBe('AUTHORIZE_ERROR');
    expect(unknown.summary).toContain('AADSTS90014');
    // Accepted URI, but Entra sent another error with the redirect: the URI is fine, the error is reported.
    const viaRedirect = fromProbe({ ran: true, status: 302, aadsts: 90014, redirectError: 'invalid_request', redirectsToCallback: true, fromEntra: true, registrationError: regErr }, CALLBACK);
    expect(viaRedirect.code).toBe('AUTHORIZE_ERROR');
    expect(viaRedirect.summary).toContain('accepts the Call Back URL');
  });
  it('AADSTS700016 / 90002 → APP_NOT_FOUND / TENANT_NOT_FOUND', () => {
    expect(fromProbe({ ran: true, aadsts: 700016, registrationError: regErr }, CALLBACK).code).toBe('APP_NOT_FOUND');
    expect(fromProbe({ ran: true, aadsts: 70001, message: "Application with identifier 'x' was not found in the directory 'y'.", registrationError: regErr }, CALLBACK).code).toBe('APP_NOT_FOUND');
    expect(fromProbe({ ran: true, aadsts: 90002, registrationError: regErr }, CALLBACK).code).toBe('TENANT_NOT_FOUND');
  });
  it('uses the probe only when the registration failed, and reports the failure when both did', () => {
    const viaProbe = check.run({ app: err('MISSING_PERMISSION'), probe: ok({ ran: true, aadsts: 50011, registrationError: regErr }) } as never, checkCtx()) as { code: string };
    expect(viaProbe.code).toBe('REDIRECT_URI_MISSING');
    const both = check.run({ app: err('READER_SIGN_IN_FAILED', 'reader failed'), probe: err('MISSING_PERMISSION', 'lacks it', { name: 'Application.Read.All', identity: 'x' }) } as never, checkCtx()) as { code: string; evidence: Record<string, unknown> };
    expect(both.code).toBe('MISSING_PERMISSION');
    expect(both.evidence.missingPermission).toMatchObject({ name: 'Application.Read.All' });
  });
  it('precondition: no callback URL → INPUT_MISSING', () => {
    expect(check.precondition!(checkCtx({ callbackUrl: undefined }))?.code).toBe('INPUT_MISSING');
  });
});
