import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { leaks, secretsOf } from '../helpers/canary.js';
import { doctorJson, runCli } from '../helpers/cli.js';

const verdicts = (r: ReportModel) => r.checks.map((c) => [c.id, c.asset, c.status, c.code]);

describe('--snapshot-out / --from-snapshot (the support workflow)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxsnap-'));
  const snapshot = join(dir, 'facts.json');
  const redactedSnapshot = join(dir, 'facts-redacted.json');
  let live: ReportModel;
  let liveRedacted: ReportModel;
  let tenantId: string;
  let mailbox: string;

  it('re-evaluates the saved facts offline with the same verdicts, and the snapshot holds no secret', async () => {
    const sim = await startSimulator({ scenario: 'go-live-blockers' });
    try {
      const r = await doctorJson(sim, ['--snapshot-out', snapshot]);
      expect(r.code).toBe(1);
      live = r.report;
      const saved = readFileSync(snapshot, 'utf8');
      expect(leaks(saved, secretsOf(sim.ctx.scenario))).toEqual([]);
      tenantId = sim.ctx.scenario.tenant.id;
      expect(JSON.parse(saved)).toMatchObject({ kind: 'wxmail-snapshot', version: 2, redacted: false, target: { tenantId, cloud: 'global' }, config: { tenantId } });
      expect(Date.parse(JSON.parse(saved).collectedAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
      expect(statSync(snapshot).mode & 0o777).toBe(0o600);
      const red = await doctorJson(sim, ['--snapshot-out', redactedSnapshot, '--redact-pii']);
      liveRedacted = red.report;
      mailbox = JSON.parse(saved).config.assets[0].mailbox as string;
    } finally {
      await sim.stop();
    }
    // The simulator is gone: nothing answers on the network any more. No config, no env.
    const offline = await runCli(['doctor', '--from-snapshot', snapshot, '--format', 'json']);
    const report = JSON.parse(offline.stdout) as ReportModel;
    expect(validateReport(report)).toEqual({ ok: true });
    expect(verdicts(report)).toEqual(verdicts(live));
    expect(offline.code).toBe(1);
    expect(report.target.tenantId).toBe(live.target.tenantId);
    expect(report.source).toMatchObject({ kind: 'snapshot', tenantId, cloud: 'global', redacted: false, collectedWith: expect.stringMatching(/^wxmail /) });

    const notSnapshot = await runCli(['doctor', '--from-snapshot', join(dir, 'missing.json')]);
    expect(notSnapshot.code).toBe(2);
    expect(notSnapshot.stderr).toMatch(/from-snapshot \(--from-snapshot\): cannot read/);
  });

  it('a report from a snapshot says so, with when and which tenant and cloud, in every format', async () => {
    for (const format of ['text', 'markdown', 'html', 'junit']) {
      const r = await runCli(['doctor', '--from-snapshot', snapshot, '--format', format]);
      expect(r.code).toBe(1);
      const collectedAt = JSON.parse(readFileSync(snapshot, 'utf8')).collectedAt as string;
      expect({ format, says: r.stdout.includes(`evaluated offline from a snapshot: facts collected ${collectedAt}`) && r.stdout.includes(tenantId) && r.stdout.includes('cloud global') }).toEqual({ format, says: true });
    }
  });

  it('refuses a --tenant-id other than the snapshot\'s', async () => {
    const other = await runCli(['doctor', '--from-snapshot', snapshot, '--tenant-id', '11111111-1111-4111-8111-111111111111']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(new RegExp(`tenantId \\(--tenant-id\\): 11111111-1111-4111-8111-111111111111 is not the tenant the snapshot .* was collected from \\(${tenantId}\\)`));
    const same = await runCli(['doctor', '--from-snapshot', snapshot, '--tenant-id', tenantId.toUpperCase(), '--format', 'json']);
    expect(same.code).toBe(1);
  });

  it('--snapshot-out honours --redact-pii: names masked, Webex Connect domains readable, replay gives the same verdicts', async () => {
    const saved = readFileSync(redactedSnapshot, 'utf8');
    expect(saved).not.toContain(tenantId);
    expect(saved.toLowerCase()).not.toContain(mailbox.toLowerCase());
    const parsed = JSON.parse(saved);
    expect(parsed).toMatchObject({ version: 2, redacted: true, target: { tenantId: 'tenant-1' }, config: { tenantId: 'tenant-1' } });
    expect(parsed.config.assets[0].forwardingAddress).toMatch(/^user-\d+@mail-[a-z]+\.imiconnect\.io$/);
    const offline = await runCli(['doctor', '--from-snapshot', redactedSnapshot, '--format', 'json']);
    const report = JSON.parse(offline.stdout) as ReportModel;
    expect(validateReport(report)).toEqual({ ok: true });
    expect(verdicts(report)).toEqual(verdicts(liveRedacted));
    expect(report.source).toMatchObject({ redacted: true, tenantId: 'tenant-1' });
    expect(offline.stdout).not.toContain(tenantId);
  });

  it('reads a version 1 snapshot (wxmail 0.1) and refuses a newer version, naming both', async () => {
    const v2 = JSON.parse(readFileSync(snapshot, 'utf8'));
    const { tool: _tool, collectedAt: _at, target: _target, redacted: _redacted, ...rest } = v2;
    const v1 = join(dir, 'v1.json');
    writeFileSync(v1, JSON.stringify({ ...rest, version: 1 }));
    const old = await runCli(['doctor', '--from-snapshot', v1, '--format', 'json']);
    const report = JSON.parse(old.stdout) as ReportModel;
    expect(verdicts(report)).toEqual(verdicts(live));
    expect(report.source).toMatchObject({ collectedAt: null, collectedWith: null, tenantId });

    const v9 = join(dir, 'v9.json');
    writeFileSync(v9, JSON.stringify({ ...v2, version: 9, tool: { name: 'wxmail', version: '9.0.0' } }));
    const newer = await runCli(['doctor', '--from-snapshot', v9]);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toMatch(/is a snapshot of version 9 \(written by wxmail 9\.0\.0\); this wxmail \S+ reads snapshot versions 1 to 2/);
  });

  it('a snapshot runs no code and changes no setting: plugins, endpoints, CA and evidence paths are refused', async () => {
    const marker = join(dir, 'plugin-ran');
    const plugin = join(dir, 'evil.mjs');
    writeFileSync(plugin, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default [];\n`);
    const base = JSON.parse(readFileSync(snapshot, 'utf8'));
    const cases: [string, Record<string, unknown>][] = [
      ['plugins', { plugins: [plugin] }],
      ['endpoints', { endpoints: { login: 'https://evil.example' } }],
      ['caFile', { caFile: join(dir, 'ca.pem') }],
      ['exchangeEvidence', { exchangeEvidence: dir }],
      ['clientSecret', { clientSecret: 'x' }],
    ];
    for (const [key, extra] of cases) {
      const file = join(dir, `hostile-${key}.json`);
      writeFileSync(file, JSON.stringify({ ...base, config: { ...base.config, ...extra } }));
      const r = await runCli(['doctor', '--from-snapshot', file]);
      expect({ key, code: r.code, line: r.stderr.trim().split('\n').length }).toEqual({ key, code: 2, line: 1 });
      expect(r.stderr).toContain(`config.${key} is not allowed in a snapshot`);
    }
    expect(existsSync(marker)).toBe(false);
    // The external sender is named (user only), never configured: a host or a credential is refused.
    for (const sender of [{ user: 'a@b.example', smtpHost: 'evil.example' }, { user: 'a@b.example', password: 'x' }]) {
      const file = join(dir, 'hostile-external-sender.json');
      writeFileSync(file, JSON.stringify({ ...base, config: { ...base.config, externalSender: sender } }));
      const r = await runCli(['doctor', '--from-snapshot', file]);
      expect({ code: r.code, line: r.stderr.trim().split('\n').length }).toEqual({ code: 2, line: 1 });
      expect(r.stderr).toMatch(/config\.externalSender\.(smtpHost|password) is not allowed in a snapshot/);
    }
  });
});
