import { describe, expect, it } from 'vitest';
import check from '../../../../checks/webex/forwarding-address.js';
import { statusOfCode } from '../../../../src/core/codes.js';
import type { FactOutcome, Outcome } from '../../../../src/core/check.js';
import type { MxLookup } from '../../../../src/collect/dns/mx.js';
import { ctx, mxFailed, mxOk, mxStatus } from './helpers.js';

const US = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io';
const EU = 'a41a0ba3566ed2091155f13e48e6d4f8@mail-eu.imiconnect.io';
const US_CALLBACK = 'https://acme.us.webexconnect.io/callback';

function run(forwardingAddress: string | undefined, mx: FactOutcome<MxLookup>, callbackUrl?: string): Outcome {
  const c = ctx(callbackUrl ? { callbackUrl } : {}, forwardingAddress === undefined ? { mailbox: 'john@contoso.com' } : { mailbox: 'john@contoso.com', forwardingAddress });
  const pre = check.precondition?.(c) ?? null;
  if (pre) return pre;
  return check.run({ mx }, c) as Outcome;
}

describe('webex.forwarding-address', () => {
  it('skips with INPUT_MISSING when the asset has no forwarding address', () => {
    const o = run(undefined, mxOk('x'));
    expect(o.code).toBe('INPUT_MISSING');
    expect(o.summary).toContain('--forwarding-address');
  });

  it('passes a Webex Connect address whose domain has MX, naming region and exchanger', () => {
    const o = run(US, mxOk('mail-us.imiconnect.io'), US_CALLBACK);
    expect(o.code).toBeNull();
    expect(o.summary).toContain('region us');
    expect(o.summary).toContain('mx1.mail-us.imiconnect.io');
    expect(o.evidence).toMatchObject({ domain: 'mail-us.imiconnect.io', region: 'us', callbackRegion: 'us', mx: { status: 'ok' } });
  });

  it.each([
    ['no at sign', 'a41a0ba3566ed2091155f13e48e6d4f8.mail-us.imiconnect.io', /no "@"/],
    ['two at signs', 'a@b@mail-us.imiconnect.io', /more than one "@"/],
    ['mailto prefix', `mailto:${US}`, /mailto/],
    ['display name', `Webex <${US}>`, /display name/],
    ['inner space', 'a41a 0ba3@mail-us.imiconnect.io', /spaces/],
    ['bad domain', 'a41a0ba3@mail-us', /not a domain name/],
    ['empty local part', '@mail-us.imiconnect.io', /before the "@"/],
  ])('fails an address with %s as FORWARDING_ADDRESS_INVALID', (_what, value, message) => {
    const o = run(value, mxFailed('not looked up'));
    expect(o.code).toBe('FORWARDING_ADDRESS_INVALID');
    expect(statusOfCode(o.code!)).toBe('fail');
    expect(o.summary).toMatch(message);
  });

  it('warns REGION_MISMATCH for a mail-eu address with a us Call Back URL', () => {
    const o = run(EU, mxOk('mail-eu.imiconnect.io'), US_CALLBACK);
    expect(o.code).toBe('REGION_MISMATCH');
    expect(statusOfCode(o.code!)).toBe('warn');
    expect(o.summary).toMatch(/region eu .* region us/);
    expect(o.evidence).toMatchObject({ region: 'eu', callbackRegion: 'us' });
  });

  it('does not compare regions when the Call Back URL has none (legacy pod) or is absent', () => {
    expect(run(EU, mxOk('mail-eu.imiconnect.io'), 'https://cl1pod12.imiconnect.io/callback').code).toBeNull();
    expect(run(EU, mxOk('mail-eu.imiconnect.io')).code).toBeNull();
  });

  it('treats us1 and us as one region (no source maps us1 tenants to a forwarding domain)', () => {
    expect(run(US, mxOk('mail-us.imiconnect.io'), 'https://acme.us1.webexconnect.io/callback').code).toBeNull();
  });

  it('warns FORWARDING_ADDRESS_UNRECOGNIZED for another domain, saying the pattern is observed', () => {
    const o = run('webex@contoso.com', mxOk('contoso.com'), US_CALLBACK);
    expect(o.code).toBe('FORWARDING_ADDRESS_UNRECOGNIZED');
    expect(statusOfCode(o.code!)).toBe('warn');
    expect(o.summary).toContain('contoso.com');
    expect(o.details).toMatch(/not from a Cisco specification/);
  });

  it('names the near miss of an imiconnect.io domain of another form', () => {
    const o = run('a41a0ba3566ed2091155f13e48e6d4f8@mail.imiconnect.io', mxOk('mail.imiconnect.io'));
    expect(o.code).toBe('FORWARDING_ADDRESS_UNRECOGNIZED');
    expect(o.summary).toMatch(/imiconnect\.io domain, but not of the form mail-<region>\.imiconnect\.io/);
  });

  it('fails FORWARDING_DOMAIN_NO_MX when the domain does not exist (NXDOMAIN)', () => {
    const o = run('a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnnect.io', mxStatus('mail-us.imiconnnect.io', 'nxdomain'));
    // Unknown domain (warn) and no MX (fail): the fail wins, both are listed.
    expect(o.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(statusOfCode(o.code!)).toBe('fail');
    expect(o.summary).toMatch(/does not exist \(NXDOMAIN/);
    expect(o.details).toContain('`FORWARDING_ADDRESS_UNRECOGNIZED`');
    expect(o.details).toContain('`FORWARDING_DOMAIN_NO_MX`');
    expect(o.findings?.map((f) => f.code)).toEqual(['FORWARDING_ADDRESS_UNRECOGNIZED', 'FORWARDING_DOMAIN_NO_MX']);
  });

  it('says where a NO_MX answer came from: the system resolver gets a hint to confirm with --dns-server', () => {
    const system = run(US, { ok: true, value: { domain: 'mail-us.imiconnect.io', status: 'nxdomain', exchangers: [], server: 'system (10.0.0.53)' } });
    expect(system.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(system.details).toMatch(/this machine's resolver, system \(10\.0\.0\.53\).*--dns-server/s);
    const c = ctx({ dnsServer: '127.0.0.1:5353' }, { forwardingAddress: US });
    const chosen = check.run({ mx: mxStatus('mail-us.imiconnect.io', 'nxdomain') }, c) as Outcome;
    expect(chosen.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(chosen.details ?? '').not.toMatch(/this machine's resolver/);
  });

  it('fails FORWARDING_DOMAIN_NO_MX when the domain has neither MX nor A/AAAA (NOERROR, no answer)', () => {
    const o = run(US, mxStatus('mail-us.imiconnect.io', 'nodata'));
    expect(o.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(o.summary).toMatch(/neither an MX record nor an A\/AAAA record/);
  });

  // G26 [V]: RFC 5321 §5.1, the address record is the implicit MX.
  it('passes a domain without MX but with an address record, naming the implicit MX', () => {
    const mx: FactOutcome<MxLookup> = { ok: true, value: { domain: 'mail-us.imiconnect.io', status: 'implicit-mx', exchangers: [], addresses: ['198.51.100.25'], server: 'test' } };
    const o = run(US, mx, US_CALLBACK);
    expect(o.code).toBeNull();
    expect(o.summary).toContain('no MX but address 198.51.100.25 (implicit MX');
    expect(o.evidence).toMatchObject({ mx: { status: 'implicit-mx', addresses: ['198.51.100.25'] } });
  });

  it('warns REGION_MISMATCH for a legacy imiconnect.eu (UK) Call Back URL with a mail-us address, saying it cannot be certain', () => {
    const o = run(US, mxOk('mail-us.imiconnect.io'), 'https://acme.imiconnect.eu/callback');
    expect(o.code).toBe('REGION_MISMATCH');
    expect(o.summary).toMatch(/region us .* region uk \(acme\.imiconnect\.eu\)/);
    expect(o.details).toMatch(/cannot tell for certain/);
    expect(o.evidence).toMatchObject({ region: 'us', callbackRegion: 'uk' });
  });

  it('matches a legacy imiconnect.eu Call Back URL with an imiconnect-era mail-eu address (same naming era), noting the undocumented domain', () => {
    const o = run(EU, mxOk('mail-eu.imiconnect.io'), 'https://acme.imiconnect.eu/callback');
    expect(o.code).toBeNull();
    expect(o.details).toMatch(/only forwarding domain a source shows/);
    expect(o.details).toMatch(/inferred, not documented/);
  });

  it('passes a legacy imiconnect.us Call Back URL with a mail-us address', () => {
    const o = run(US, mxOk('mail-us.imiconnect.io'), 'https://acme.imiconnect.us/callback');
    expect(o.code).toBeNull();
    expect(o.evidence).toMatchObject({ region: 'us', callbackRegion: 'us' });
  });

  it('says the regions were not compared when the legacy host names none', () => {
    const o = run(US, mxOk('mail-us.imiconnect.io'), 'https://acme.imiconnect.com/callback');
    expect(o.code).toBeNull();
    expect(o.details).toMatch(/Regions not compared: .*acme\.imiconnect\.com names no region/);
  });

  it('fails FORWARDING_DOMAIN_NO_MX on a null MX (RFC 7505)', () => {
    const o = run(US, mxOk('mail-us.imiconnect.io', [{ exchange: '', priority: 0 }]));
    expect(o.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(o.summary).toMatch(/null MX/);
  });

  it('only notes an unreachable DNS server: the status stays pass', () => {
    const o = run(US, mxStatus('mail-us.imiconnect.io', 'unreachable', 'connection refused (ECONNREFUSED)'), US_CALLBACK);
    expect(o.code).toBeNull();
    expect(o.details).toMatch(/not checked.*ECONNREFUSED.*does not change the result/s);
    expect(o.evidence).toMatchObject({ mx: { status: 'unreachable' } });
  });

  it('only notes an unreachable DNS server next to another finding (REGION_MISMATCH stays the code)', () => {
    const o = run(EU, mxStatus('mail-eu.imiconnect.io', 'unreachable', 'no answer within 2000 ms (ETIMEOUT)'), US_CALLBACK);
    expect(o.code).toBe('REGION_MISMATCH');
    expect(o.findings ?? [{ code: o.code }]).toHaveLength(1);
    expect(o.details).toMatch(/ETIMEOUT/);
  });

  it('only notes a lookup that could not run at all', () => {
    const o = run(US, mxFailed('The run deadline passed.'));
    expect(o.code).toBeNull();
    expect(o.details).toMatch(/not checked: The run deadline passed/);
  });

  it('lists several findings with the most severe as the code', () => {
    const o = run(EU, mxStatus('mail-eu.imiconnect.io', 'nodata'), US_CALLBACK);
    expect(o.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(o.findings?.map((f) => f.code).sort()).toEqual(['FORWARDING_DOMAIN_NO_MX', 'REGION_MISMATCH']);
    expect(o.details).toContain('`REGION_MISMATCH`');
  });

  it('notes a local part that is not 32 hex characters, without a finding', () => {
    const short = run('b6b9072db2ce25198b45f08c9a9e@mail-us.imiconnect.io', mxOk('mail-us.imiconnect.io'));
    expect(short.code).toBeNull();
    expect(short.details).toMatch(/28 hex characters.*32.*cut off/s);
    const other = run('support@mail-us.imiconnect.io', mxOk('mail-us.imiconnect.io'));
    expect(other.code).toBeNull();
    expect(other.details).toMatch(/not the 32 hex characters/);
    expect(run(US, mxOk('mail-us.imiconnect.io')).details ?? '').not.toMatch(/hex/);
  });

  it('has an explanation for every code it emits, with step 1 and the forwarding of step 3', () => {
    for (const code of ['FORWARDING_ADDRESS_INVALID', 'FORWARDING_ADDRESS_UNRECOGNIZED', 'REGION_MISMATCH', 'FORWARDING_DOMAIN_NO_MX']) {
      const e = check.explanations[code];
      expect(e, code).toBeDefined();
      expect(e!.step).toBe(1);
      expect(e!.portal!.join('\n')).toMatch(/Forwarding Address/);
      expect(e!.portal!.join('\n')).toMatch(/Manage email forwarding/);
    }
  });
});
