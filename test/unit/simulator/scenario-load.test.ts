import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios, loadScenario } from '../../../src/simulator/scenario/load.js';

describe('scenario loader', () => {
  it('loads healthy with defaults filled in', () => {
    const s = loadScenario('healthy');
    expect(s.apps.webex!.web.enableAccessTokenIssuance).toBe(true);
    expect(s.apps.webex!.web.enableIdTokenIssuance).toBe(false);
    expect(s.exchange.outboundSpamPolicies['Default']!.autoForwardingMode).toBe('Automatic');
    expect(s.users.john!.mailbox!.inboxRules).toEqual({});
  });

  it('every scenario in fixtures/scenarios validates', () => {
    expect(listScenarios().length).toBeGreaterThan(0);
  });

  it('extends merges maps deeply and replaces arrays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxs-'));
    const file = join(dir, 'child.yaml');
    writeFileSync(file, `name: child\ndescription: x\nextends: ${join(process.cwd(), 'fixtures/scenarios/healthy.yaml')}\napps:\n  webex:\n    web:\n      enableAccessTokenIssuance: false\n`);
    const s = loadScenario(file);
    expect(s.apps.webex!.web.enableAccessTokenIssuance).toBe(false);
    expect(s.apps.webex!.web.redirectUris).toEqual(['https://contoso.us.webexconnect.io/callback']);
    expect(s.apps.reader!.appId).toBe('2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d');
  });

  it('a bad file names the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxs-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `name: bad\ndescription: x\nextends: ${join(process.cwd(), 'fixtures/scenarios/healthy.yaml')}\ntenant:\n  id: not-a-guid\n`);
    expect(() => loadScenario(file)).toThrow(/scenario .*bad.yaml: tenant\.id: must be a GUID/);
  });
});

describe('go-live-blockers', () => {
  it('drops the custom outbound policy and its rule of healthy (null deletes a map entry)', () => {
    const s = loadScenario('go-live-blockers');
    expect(Object.keys(s.exchange.outboundSpamPolicies)).toEqual(['Default']);
    expect(s.exchange.outboundSpamRules).toEqual({});
    expect(s.users.john!.mailbox!.smtpClientAuthenticationDisabled).toBeNull();
    expect(s.apps.webex!.appRoleAssignments).toEqual([]);
  });
});
