import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsListener } from '../../../src/simulator/dns.js';
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
