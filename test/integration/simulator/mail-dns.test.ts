import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsListener } from '../../../src/simulator/dns.js';
import { lookupMx } from '../../../src/collect/dns/mx.js';
import { startMailServers } from '../../../src/simulator/mail/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { makeSimContext } from '../../helpers/sim.js';

describe('simulated DNS', () => {
  let dns: DnsListener;
  let resolver: Resolver;

  beforeAll(async () => {
    const scenario = structuredClone(loadScenario('healthy'));
    scenario.dns['two.example'] = ['mx-a.two.example', 'mx-b.two.example'];
    scenario.dns['empty.example'] = [];
    scenario.dns['null.example'] = ['.'];
    scenario.dnsAddresses['null.example'] = ['198.51.100.7'];
    scenario.dnsAddresses['aonly.example'] = ['198.51.100.25', '2001:db8::25'];
    scenario.dnsAddresses['v6only.example'] = ['2001:db8::26'];
    dns = await startDnsServer(scenario);
    resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.port}`]);
  });
  afterAll(async () => {
    await dns.close();
  });

  it('answers MX from the scenario', async () => {
    expect(await resolver.resolveMx('mail-us.imiconnect.io')).toEqual([{ exchange: 'mx1.mail-us.imiconnect.io', priority: 10 }]);
  });

  it('gives several exchangers preferences 10, 20, … in the listed order', async () => {
    const mx = await resolver.resolveMx('two.example');
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: 'mx-a.two.example', priority: 10 },
      { exchange: 'mx-b.two.example', priority: 20 },
    ]);
  });

  it('matches names case-insensitively', async () => {
    expect(await resolver.resolveMx('MAIL-US.IMICONNECT.IO')).toHaveLength(1);
  });

  it('resolves an exchanger to 127.0.0.1', async () => {
    expect(await resolver.resolve4('mx1.mail-us.imiconnect.io')).toEqual(['127.0.0.1']);
  });

  it('says NXDOMAIN for names it does not know', async () => {
    await expect(resolver.resolveMx('mail-xx.imiconnect.io')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('www.contoso.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers NOERROR with no records for a domain listed without exchangers', async () => {
    await expect(resolver.resolveMx('empty.example')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('answers A and AAAA from dnsAddresses, and NOERROR without MX for such a name', async () => {
    expect(await resolver.resolve4('aonly.example')).toEqual(['198.51.100.25']);
    expect(await resolver.resolve6('aonly.example')).toEqual(['2001:db8::25']);
    await expect(resolver.resolveMx('aonly.example')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('answers a null MX (RFC 7505) as preference 0, exchange "."', async () => {
    expect(await resolver.resolveMx('null.example')).toEqual([{ exchange: '', priority: 0 }]);
  });

  // G26 [V]: the collector over the simulator's DNS, the way the doctor asks.
  it.each([
    ['aonly.example', 'implicit-mx', ['198.51.100.25', '2001:db8::25']],
    ['v6only.example', 'implicit-mx', ['2001:db8::26']],
    ['empty.example', 'nodata', undefined],
    ['nowhere.example', 'nxdomain', undefined],
  ])('lookupMx(%s) is %s', async (domain, status, addresses) => {
    const r = await lookupMx(domain, { server: `127.0.0.1:${dns.port}` });
    expect(r.status).toBe(status);
    expect(r.addresses ? [...r.addresses].sort() : undefined).toEqual(addresses ? [...addresses].sort() : undefined);
  });

  it('lookupMx of a null MX next to an A record stays a null MX (the A record is no implicit MX then)', async () => {
    const r = await lookupMx('null.example', { server: `127.0.0.1:${dns.port}` });
    expect(r).toMatchObject({ status: 'ok', exchangers: [{ exchange: '', priority: 0 }] });
  });

  it('answers NOERROR with no records for other types of a known name', async () => {
    await expect(resolver.resolve4('contoso.com')).rejects.toMatchObject({ code: 'ENODATA' });
  });
});

describe('startMailServers', () => {
  it('serves DNS for the context’s scenario next to SMTP and IMAP', async () => {
    const ctx = await makeSimContext('healthy');
    const servers = await startMailServers(ctx);
    try {
      expect(new Set([servers.smtpPort, servers.imapPort]).size).toBe(2);
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${servers.dnsPort}`]);
      expect(await resolver.resolveMx('contoso.com')).toEqual([{ exchange: 'contoso-com.mail.protection.outlook.com', priority: 10 }]);
    } finally {
      await servers.stop();
    }
  });
});
