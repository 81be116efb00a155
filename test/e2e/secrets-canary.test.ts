import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { listScenarios } from '../../src/simulator/scenario/load.js';
import { runCli } from '../helpers/cli.js';
import { leaks, secretsOf } from '../helpers/canary.js';

describe('secrets never reach any output', () => {
  const scenarios = listScenarios();

  it.concurrent.each(scenarios.map((s) => [s.name, s] as const))('%s: JSON report and trace-level logs carry no secret or token', async (_name, scenario) => {
    const sim = await startSimulator({ scenario });
    try {
      const r = await runCli(['doctor', '--config', sim.configFile, '--format', 'json', '--log-level', 'trace', '--send-test', '--roundtrip-timeout', '5'], { env: sim.env, timeoutMs: 90_000 });
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(leaks(r.stdout + r.stderr, secretsOf(scenario))).toEqual([]);
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
