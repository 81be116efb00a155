import { describe, expect, it } from 'vitest';
import check from '../../../../checks/webex/callback-url.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import type { Outcome } from '../../../../src/core/check.js';
import { ctx } from './helpers.js';

function run(callbackUrl: string | undefined): Outcome {
  const c = ctx(callbackUrl === undefined ? {} : { callbackUrl });
  const pre = check.precondition?.(c) ?? null;
  if (pre) return pre;
  return check.run({}, c) as Outcome;
}

describe('webex.callback-url', () => {
  it('skips with INPUT_MISSING naming the flag when no callback URL is configured', () => {
    const o = run(undefined);
    expect(o.code).toBe('INPUT_MISSING');
    expect(o.summary).toContain('--callback-url');
  });

  it('passes the Email app form and reads tenant and region from the host', () => {
    const o = run('https://acme.us.webexconnect.io/callback');
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ tenant: 'acme', region: 'us', pattern: 'tenant', host: 'acme.us.webexconnect.io' });
    expect(o.summary).toContain('region us');
    expect(o.details).toMatch(/observed examples/);
  });

  it('passes the legacy pod host, saying its region cannot be read from imiconnect.io', () => {
    const o = run('https://cl1pod12.imiconnect.io/callback');
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ tenant: 'cl1pod12', region: null, pattern: 'legacy-tenant' });
    expect(o.details).toMatch(/cannot tell this tenant's region/);
  });

  // G25 [V]: every legacy host keeps working for existing tenants, and names its region.
  it.each([
    ['https://acme.imiconnect.eu/callback', 'uk'],
    ['https://acme.imiconnect.ca/callback', 'ca'],
    ['https://acme.imiconnect.us/callback', 'us'],
    ['https://acme.imiconnect.in/callback', 'in'],
    ['https://acme.imiconnect.com.au/callback', 'au'],
    ['https://acme.imiconnect.com/callback', null],
    ['https://acme.imiconnect.io/callback', null],
  ])('passes the legacy host %s (not a typo) with region %s', (url, region) => {
    const o = run(url);
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ tenant: 'acme', region, pattern: 'legacy-tenant' });
    expect(o.details).toMatch(/legacy Webex Connect host that still works/);
  });

  it.each(['us', 'us1', 'eu', 'uk', 'ca', 'in', 'au', 'sg'])('passes every current region host: acme.%s.webexconnect.io', (region) => {
    const o = run(`https://acme.${region}.webexconnect.io/callback`);
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ tenant: 'acme', region, pattern: 'tenant' });
    expect(o.details).not.toMatch(/not one of Cisco's regions/);
  });

  it('says Japan uses the au hosts for a jp region label', () => {
    expect(run('https://acme.jp.webexconnect.io/callback').details).toMatch(/Japan-hosted tenants use the au hosts/);
  });

  it.each(['https://acme.imiconnect.net/callback', 'https://acme.imiconnect.co.uk/callback'])('still calls %s a near miss', (url) => {
    const o = run(url);
    expect(o.code).toBe('CALLBACK_URL_UNRECOGNIZED');
  });

  it('is case-insensitive in the host (URLs are) but notes an unseen region label', () => {
    const o = run('https://Acme.ZZ.WebexConnect.io/callback');
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ tenant: 'acme', region: 'zz' });
    expect(o.details).toMatch(/region label "zz" is not one of Cisco's regions/);
  });

  it('passes oauth.<tenant>.<region>.webexconnect.io with a note that the form is unverified', () => {
    const o = run('https://oauth.acme.eu.webexconnect.io/callback');
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ tenant: 'acme', region: 'eu', pattern: 'oauth-tenant' });
    expect(o.details).toMatch(/third-party notes/);
  });

  it.each([
    ['http://acme.us.webexconnect.io/callback', /uses http, not https.*localhost/],
    ['not a url', /is not a URL/],
    ['acme.us.webexconnect.io/callback', /no scheme.*https:\/\/acme\.us\.webexconnect\.io\/callback/],
    ['ftp://acme.us.webexconnect.io/callback', /uses ftp/],
    ['', /empty/],
  ])('fails %j with CALLBACK_URL_INVALID', (value, message) => {
    const o = run(value === '' ? '   ' : value);
    expect(o.code).toBe('CALLBACK_URL_INVALID');
    expect(statusOfCode(o.code!)).toBe('fail');
    expect(o.summary).toMatch(message);
  });

  it.each([
    ['https://acme.webexconnect.io/callback', /no region label.*acme\.<region>\.webexconnect\.io/],
    ['https://acme.us.webexconnect.io/callback/', /ends in a slash/],
    ['https://acme.us.webexconnect.io/oauth/callback', /path is \/oauth\/callback; Webex Connect shows \/callback/],
    ['https://acme.us.webexconnect.io/Callback', /case-sensitively/],
    ['https://acme.us.webexconnect.io', /no path/],
    ['https://acme.us.webexconnect.io:8443/callback', /port 8443/],
    ['https://acme.us.webexconnect.io/callback?x=1', /query/],
    ['https://oauth.us.webexconnect.io/callback', /shared OAuth callback of Webex Connect integrations/],
    ['https://oauthus.imiconnect.io/callback', /legacy shared OAuth callback/],
    ['https://mail-us.imiconnect.io/callback', /domain of the Forwarding Address/],
    ['https://acme.us.webexconnect.com/callback', /ends in webexconnect\.com; Webex Connect hosts end in webexconnect\.io/],
    ['https://a.b.us.webexconnect.io/callback', /more labels/],
    ['https://login.contoso.com/callback', /not a Webex Connect callback host/],
  ])('warns on %j with CALLBACK_URL_UNRECOGNIZED and names the near miss', (value, nearMiss) => {
    const o = run(value);
    expect(o.code).toBe('CALLBACK_URL_UNRECOGNIZED');
    expect(statusOfCode(o.code!)).toBe('warn');
    expect(o.summary).toMatch(nearMiss);
    // The warning says where the patterns come from, and that an exact copy is fine.
    expect(o.details).toMatch(/not from a Cisco specification/);
  });

  it('keeps region and tenant of a recognised host when only the path is wrong', () => {
    const o = run('https://acme.eu.webexconnect.io/callback/');
    expect(o.evidence).toMatchObject({ tenant: 'acme', region: 'eu' });
  });

  it('never echoes credentials embedded in the URL', () => {
    const o = run('https://user:hunter2secret@acme.us.webexconnect.io/callback');
    expect(o.code).toBe('CALLBACK_URL_UNRECOGNIZED');
    expect(JSON.stringify(o)).not.toContain('hunter2secret');
  });

  it('has an explanation for every code it emits, naming step 1 and the redirect URI of step 2', () => {
    for (const code of ['CALLBACK_URL_INVALID', 'CALLBACK_URL_UNRECOGNIZED']) {
      const e = check.explanations[code];
      expect(e, code).toBeDefined();
      expect(e!.step).toBe(1);
      expect(e!.portal!.join('\n')).toMatch(/Assets → Apps → Configure New App → Email/);
      expect(e!.portal!.join('\n')).toMatch(/Redirect URIs/);
    }
  });
});
