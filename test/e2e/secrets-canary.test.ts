import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { listScenarios } from '../../src/simulator/scenario/load.js';
import type { Scenario } from '../../src/simulator/scenario/schema.js';
import { runCli } from '../helpers/cli.js';

/** Every secret value a scenario holds: app secrets (the doctor is given one of them, right or wrong). */
function secretsOf(s: Scenario): string[] {
  const out = Object.values(s.apps).flatMap((a) => Object.values(a.passwordCredentials).map((p) => p.value));
  if (s.doctor.credential.startsWith('literal:')) out.push(s.doctor.credential.slice('literal:'.length));
  return out.filter((v) => v.length >= 12);
}

/** A leak is any 8-character window of a secret, or anything shaped like a JWT. */
function leaks(text: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 8))) {
        found.push(`${secret.slice(0, 3)}… (window at ${i})`);
        break;
      }
    }
  }
  const jwt = text.match(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/);
  if (jwt) found.push(`JWT ${jwt[0].slice(0, 12)}…`);
  return found;
}

describe('secrets never reach any output', () => {
  const scenarios = listScenarios();

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: JSON report and trace-level logs carry no secret or token', async (_name, scenario) => {
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
