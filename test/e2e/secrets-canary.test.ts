import { afterAll, describe, expect, it } from 'vitest';
import { CODE_STATUS } from '../../src/core/codes.js';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { listScenarios } from '../../src/simulator/scenario/load.js';
import { runCli } from '../helpers/cli.js';
import { leaks, secretsOf } from '../helpers/canary.js';

/**
 * Codes no tenant state can cause: bad configuration is rejected before the run (exit 2), these
 * runs ask for --send-test, and a plugin's crash is not a scenario.
 */
const NOT_FROM_TENANT_STATE = new Set(['CALLBACK_URL_INVALID', 'FORWARDING_ADDRESS_INVALID', 'INPUT_MISSING', 'NOT_REQUESTED', 'INTERNAL_ERROR']);

describe('every scenario: secrets never reach any output, and every code is reachable', () => {
  const scenarios = listScenarios();
  const codesSeen = new Map<string, string>();

  afterAll(() => {
    // The scenario set covers every reason code a tenant state (or an injected fault) can cause.
    const missing = Object.keys(CODE_STATUS).filter((c) => !NOT_FROM_TENANT_STATE.has(c) && !codesSeen.has(c));
    expect(missing).toEqual([]);
  });

  it.concurrent.each(scenarios.map((s) => [s.name, s] as const))('%s: JSON report and trace-level logs carry no secret or token', async (_name, scenario) => {
    const sim = await startSimulator({ scenario });
    try {
      const r = await runCli(['doctor', '--config', sim.configFile, '--format', 'json', '--log-level', 'trace', '--send-test', '--roundtrip-timeout', '5', '--check-timeout', '8'], { env: sim.env, timeoutMs: 90_000 });
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(leaks(r.stdout + r.stderr, secretsOf(scenario))).toEqual([]);
      const report = JSON.parse(r.stdout) as ReportModel;
      expect(validateReport(report)).toEqual({ ok: true });
      for (const c of report.checks) if (c.code && !codesSeen.has(c.code)) codesSeen.set(c.code, scenario.name);
    } finally {
      await sim.stop();
    }
  });

  it('every format, with a secret given on the command line', async () => {
    const scenario = scenarios.find((s) => s.name === 'go-live-blockers')!;
    const sim = await startSimulator({ scenario });
    try {
      const { WXMAIL_CLIENT_SECRET: secret, ...env } = sim.env;
      for (const format of ['text', 'json', 'junit', 'markdown', 'html']) {
        const r = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--log-level', 'debug', '--client-secret', secret!], { env });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/--client-secret leaves the secret in shell history/);
        expect(leaks(r.stdout + r.stderr, [secret!])).toEqual([]);
      }
    } finally {
      await sim.stop();
    }
  });
});
