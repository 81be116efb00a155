import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { askMissing, configYaml } from '../../src/cli/commands/init.js';
import { configSchema } from '../../src/config/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wxinit-'));

describe('wxmail init', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'healthy' });
  });
  afterAll(() => sim.stop());

  it('with flags and no terminal writes a commented config without a secret, and the doctor runs from it', async () => {
    const file = join(dir, 'wxmail.yaml');
    const e = sim.env;
    const r = await runCli([
      'init',
      '--tenant-id', e.WXMAIL_TENANT_ID!, '--client-id', e.WXMAIL_CLIENT_ID!, '--callback-url', e.WXMAIL_CALLBACK_URL!,
      '--mailbox', e.WXMAIL_MAILBOX!, '--forwarding-address', e.WXMAIL_FORWARDING_ADDRESS!, '-o', file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/WXMAIL_CLIENT_SECRET/);
    expect(r.stdout).toMatch(/--sign-in/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(e.WXMAIL_CLIENT_SECRET!.slice(0, 12));
    expect(text).toMatch(/^# .*Directory \(tenant\) ID/m);
    expect(configSchema.safeParse(parse(text)).success).toBe(true);

    // The values now come from the file only: the environment keeps endpoints, secret and reader.
    const env = Object.fromEntries(Object.entries(e).filter(([k]) => !/^WXMAIL_(TENANT_ID|CLIENT_ID|CALLBACK_URL|MAILBOX|FORWARDING_ADDRESS)$/.test(k)));
    const doctor = await runCli(['doctor', '--config', file, '--format', 'json'], { env });
    expect(doctor.code, doctor.stderr).toBe(0);
    const report = JSON.parse(doctor.stdout) as { target: { tenantId: string }; checks: { asset: string | null }[] };
    expect(report.target.tenantId).toBe(e.WXMAIL_TENANT_ID);
    expect(report.checks.some((c) => c.asset === e.WXMAIL_MAILBOX)).toBe(true);
  });

  it('never overwrites a file without --force, and names a bad value by its flag', async () => {
    const file = join(dir, 'exists.yaml');
    writeFileSync(file, 'tenantId: keep-me\n');
    const r = await runCli(['init', '--tenant-id', 'fabrikam.onmicrosoft.com', '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists; .*--force/);
    expect(readFileSync(file, 'utf8')).toBe('tenantId: keep-me\n');
    const bad = await runCli(['init', '--client-id', 'not-a-guid', '-o', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/clientId \(--client-id\): must be a GUID/);
  });

  it('doctor with nothing configured says so in one line and points to wxmail init', async () => {
    const r = await runCli(['doctor'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nothing to check.*wxmail init/);
    expect(r.stdout).toBe('');
  });
});

describe('wxmail init at a terminal', () => {
  it('asks for what the flags did not give, asks again after a bad answer, and adds assets on request', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    input.end(
      ['not a tenant', 'fabrikam.onmicrosoft.com', 'https://fabrikam.eu.webexconnect.io/callback', '', 'support@fabrikam.com', 'c0ffee@mail-us.imiconnect.io', 'y', 'sales@fabrikam.com', 'beef@mail-us.imiconnect.io', 'n', ''].join('\n'),
    );
    const answers = await askMissing({ clientId: '11111111-2222-4333-8444-555555555555', assets: [] }, { input, output, interactive: true });
    expect(answers).toEqual({
      tenantId: 'fabrikam.onmicrosoft.com',
      clientId: '11111111-2222-4333-8444-555555555555',
      callbackUrl: 'https://fabrikam.eu.webexconnect.io/callback',
      assets: [
        { mailbox: 'support@fabrikam.com', forwardingAddress: 'c0ffee@mail-us.imiconnect.io' },
        { mailbox: 'sales@fabrikam.com', forwardingAddress: 'beef@mail-us.imiconnect.io' },
      ],
    });
    expect(shown).toMatch(/must be the tenant GUID/);
    expect(shown).not.toMatch(/Application \(client\) ID/); // given by flag: not asked
    const config = parse(configYaml(answers, 'x.yaml')) as Record<string, unknown>;
    expect(configSchema.safeParse(config).success).toBe(true);
    expect(config.assets).toHaveLength(2);
  });
});
