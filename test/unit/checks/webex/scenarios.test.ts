import { describe, expect, it } from 'vitest';
import callbackUrl from '../../../../checks/webex/callback-url.js';
import forwardingAddress from '../../../../checks/webex/forwarding-address.js';
import type { FactOutcome, Outcome } from '../../../../src/core/check.js';
import type { MxLookup } from '../../../../src/collect/dns/mx.js';
import { mailDomainOf } from '../../../../src/collect/dns/domain.js';
import { loadScenario } from '../../../../src/simulator/scenario/load.js';
import type { Scenario } from '../../../../src/simulator/scenario/schema.js';
import { ctx } from './helpers.js';

/**
 * What lookupMx would make of the simulator's DNS for the scenario (its `dns` map, `['.']` a null
 * MX, `dnsAddresses` the implicit MX; others NXDOMAIN). The integration test
 * test/integration/dns/mx.test.ts asks the simulator's DNS server itself.
 */
function mxFromScenario(s: Scenario, address: string): FactOutcome<MxLookup> {
  const domain = mailDomainOf(address) ?? '';
  const hosts = s.dns[domain];
  const addresses = s.dnsAddresses[domain];
  const base = { domain, server: 'sim', exchangers: [] };
  if (hosts && hosts.length > 0) {
    const exchangers = hosts[0] === '.' ? [{ exchange: '', priority: 0 }] : hosts.map((exchange, i) => ({ exchange, priority: 10 * (i + 1) }));
    return { ok: true, value: { ...base, status: 'ok', exchangers } };
  }
  if (addresses && addresses.length > 0) return { ok: true, value: { ...base, status: 'implicit-mx', addresses } };
  return { ok: true, value: { ...base, status: hosts ? 'nodata' : 'nxdomain' } };
}

function evaluate(name: string): { callback: Outcome; forwarding: Outcome } {
  const s = loadScenario(name);
  const asset = { mailbox: 'john@contoso.com', forwardingAddress: s.doctor.assets[0]?.forwardingAddress };
  const c = ctx({ callbackUrl: s.doctor.callbackUrl }, asset);
  return {
    callback: callbackUrl.run({}, c) as Outcome,
    forwarding: forwardingAddress.run({ mx: mxFromScenario(s, asset.forwardingAddress ?? '') }, c) as Outcome,
  };
}

describe('webex scenarios end in the code they are about (checks on the scenario\'s doctor input)', () => {
  it.each([
    ['healthy', null, null],
    ['webex-callback-trailing-slash', 'CALLBACK_URL_UNRECOGNIZED', null],
    ['webex-region-mismatch', null, 'REGION_MISMATCH'],
    ['webex-forwarding-no-mx', null, 'FORWARDING_DOMAIN_NO_MX'],
    ['webex-forwarding-unrecognized', null, 'FORWARDING_ADDRESS_UNRECOGNIZED'],
    ['webex-forwarding-implicit-mx', null, null],
    ['webex-forwarding-null-mx', null, 'FORWARDING_DOMAIN_NO_MX'],
    ['webex-callback-legacy-host', null, null],
    ['webex-callback-legacy-eu', null, 'REGION_MISMATCH'],
  ])('%s', (name, callbackCode, forwardingCode) => {
    const { callback, forwarding } = evaluate(name);
    expect(callback.code).toBe(callbackCode);
    expect(forwarding.code).toBe(forwardingCode);
  });

  it('keeps the mailbox forwarding consistent with the Forwarding Address given to the doctor', () => {
    for (const name of ['webex-region-mismatch', 'webex-forwarding-no-mx', 'webex-forwarding-unrecognized']) {
      const s = loadScenario(name);
      expect(s.users.john?.mailbox?.forwardingSmtpAddress, name).toBe(s.doctor.assets[0]?.forwardingAddress);
    }
    for (const name of ['webex-callback-trailing-slash', 'webex-callback-legacy-host', 'webex-callback-legacy-eu']) {
      const s = loadScenario(name);
      expect(s.apps.webex?.web?.redirectUris, name).toEqual([s.doctor.callbackUrl]);
    }
  });
});
