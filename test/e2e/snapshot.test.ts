import { mkdtempSync, readFileSync } from 'node:fs';
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
  it('re-evaluates the saved facts offline with the same verdicts, and the snapshot holds no secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxsnap-'));
    const snapshot = join(dir, 'facts.json');
    const sim = await startSimulator({ scenario: 'go-live-blockers' });
    let live: ReportModel;
    try {
      const r = await doctorJson(sim, ['--snapshot-out', snapshot]);
      expect(r.code).toBe(1);
      live = r.report;
      const saved = readFileSync(snapshot, 'utf8');
      expect(leaks(saved, secretsOf(sim.ctx.scenario))).toEqual([]);
      expect(JSON.parse(saved)).toMatchObject({ kind: 'wxmail-snapshot', version: 1, config: { tenantId: sim.ctx.scenario.tenant.id } });
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

    const notSnapshot = await runCli(['doctor', '--from-snapshot', join(dir, 'missing.json')]);
    expect(notSnapshot.code).toBe(2);
    expect(notSnapshot.stderr).toMatch(/from-snapshot \(--from-snapshot\): cannot read/);
  });
});
