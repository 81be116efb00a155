import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODE_STATUS } from '../../src/core/codes.js';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { listScenarios } from '../../src/simulator/scenario/load.js';
import { runCli, runInProcess, type CliResult } from '../helpers/cli.js';
import { leaks, secretsOf } from '../helpers/canary.js';

/**
 * Codes no tenant state can cause: bad configuration is rejected before the run (exit 2), these
 * runs ask for --send-test, and a plugin's crash is not a scenario.
 */
const NOT_FROM_TENANT_STATE = new Set(['CALLBACK_URL_INVALID', 'FORWARDING_ADDRESS_INVALID', 'INPUT_MISSING', 'NOT_REQUESTED', 'INTERNAL_ERROR']);

describe('every scenario: secrets never reach any output, and every code is reachable', () => {
  const scenarios = listScenarios();
  const runs = new Map<string, CliResult | Error>();
  const replays = new Map<string, CliResult | Error>();
  const snapshots = mkdtempSync(join(tmpdir(), 'wxsweep-'));

  // Every scenario runs the doctor in this process (same command, own env and captured output):
  // most of a run is waiting on the simulated tenant, so eight at once cost little CPU, and no
  // single test's time limit depends on how busy the machine is. The check timeout is generous
  // (60 s): on a loaded machine a 20 s one ended healthy checks TIMEOUT, and the scenario that
  // alone reaches a code then did not reach it.
  beforeAll(async () => {
    const queue = [...scenarios];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const scenario = s;
        const sim = await startSimulator({ scenario });
        try {
          const snapshot = join(snapshots, `${scenario.name}.json`);
          runs.set(scenario.name, await runInProcess(['doctor', '--config', sim.configFile, '--format', 'json', '--log-level', 'trace', '--send-test', '--roundtrip-timeout', '5', '--check-timeout', '60', '--snapshot-out', snapshot], { env: sim.env }));
          await sim.stop();
          // The support workflow: the same facts re-evaluated with no network and no environment.
          replays.set(scenario.name, await runInProcess(['doctor', '--from-snapshot', snapshot, '--format', 'json']).catch((e: Error) => e));
        } catch (e) {
          runs.set(scenario.name, e as Error);
        } finally {
          await sim.stop();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }, 600_000);

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: JSON report and trace-level logs carry no secret or token', (name, scenario) => {
    const r = runs.get(name);
    if (!r || r instanceof Error) throw r ?? new Error(`${name} did not run`);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(leaks(r.stdout + r.stderr, secretsOf(scenario))).toEqual([]);
    const report = JSON.parse(r.stdout) as ReportModel;
    expect(validateReport(report)).toEqual({ ok: true });
  });

  it.each(scenarios.map((s) => [s.name] as const))('%s: replayed from its snapshot, the same verdicts', (name) => {
    const live = runs.get(name);
    const replay = replays.get(name);
    if (!live || live instanceof Error) throw live ?? new Error(`${name} did not run`);
    if (!replay || replay instanceof Error) throw replay ?? new Error(`${name} was not replayed`);
    const verdicts = (r: CliResult) => (JSON.parse(r.stdout) as ReportModel).checks.map((c) => `${c.id} ${c.asset ?? ''} ${c.status} ${c.code ?? ''}`);
    expect(verdicts(replay)).toEqual(verdicts(live));
    expect(replay.code).toBe(live.code);
    expect(leaks(readFileSync(join(snapshots, `${name}.json`), 'utf8'), secretsOf(scenarios.find((s) => s.name === name)!))).toEqual([]);
  });

  it('the scenarios reach every reason code a tenant state (or an injected fault) can cause', () => {
    const codesSeen = new Set<string>();
    for (const r of runs.values()) {
      if (r instanceof Error) continue;
      for (const c of (JSON.parse(r.stdout) as ReportModel).checks) if (c.code) codesSeen.add(c.code);
    }
    const missing = Object.keys(CODE_STATUS).filter((c) => !NOT_FROM_TENANT_STATE.has(c) && !codesSeen.has(c));
    expect(missing).toEqual([]);
  });

});

describe('the built CLI, every format, with a secret given on the command line', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'go-live-blockers' });
    return () => sim.stop();
  });

  it.concurrent.each(['text', 'json', 'junit', 'markdown', 'html'])('%s', async (format) => {
    const { WXMAIL_CLIENT_SECRET: secret, ...env } = sim.env;
    const r = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--log-level', 'debug', '--client-secret', secret!], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--client-secret leaves the secret in shell history/);
    expect(leaks(r.stdout + r.stderr, [secret!])).toEqual([]);
  });
});
