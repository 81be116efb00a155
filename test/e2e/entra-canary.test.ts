import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { listScenarios } from '../../src/simulator/scenario/load.js';
import type { Scenario } from '../../src/simulator/scenario/schema.js';
import { runCli } from '../helpers/cli.js';

/**
 * Canary secrets through every step-2 failure path: whatever Entra answers, no secret (nor any
 * 8-character window of one), token or assertion reaches stdout or stderr, in any format, at
 * debug log level.
 */

function secretsOf(s: Scenario): string[] {
  const out = Object.values(s.apps).flatMap((a) => Object.values(a.passwordCredentials).map((p) => p.value));
  if (s.doctor.credential.startsWith('literal:')) out.push(s.doctor.credential.slice('literal:'.length));
  return out.filter((v) => v.length >= 12);
}

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
  if (/client_assertion=|BEGIN (?:RSA )?PRIVATE KEY/.test(text)) found.push('assertion or private key');
  return found;
}

const entraScenarios = listScenarios().filter((s) => s.name.startsWith('entra-'));

describe('entra: canary secrets never reach any output', () => {
  it.each(entraScenarios.map((s) => [s.name, s] as const))('%s (json, --log-level debug)', async (_name, scenario) => {
    const sim = await startSimulator({ scenario });
    try {
      const r = await runCli(['doctor', '--config', sim.configFile, '--format', 'json', '--log-level', 'debug', '--only', 'entra.*'], { env: sim.env });
      expect([0, 1, 2]).toContain(r.code);
      expect(JSON.parse(r.stdout).checks.length).toBeGreaterThan(0);
      expect(leaks(r.stdout + r.stderr, secretsOf(scenario))).toEqual([]);
    } finally {
      await sim.stop();
    }
  });

  it('SECRET_INVALID in every format at debug level, secret from a file and from the environment', async () => {
    const scenario = entraScenarios.find((s) => s.name === 'entra-secret-invalid')!;
    const sim = await startSimulator({ scenario });
    try {
      const secrets = secretsOf(scenario);
      const { WXMAIL_CLIENT_SECRET: secret, ...envNoSecret } = sim.env;
      expect(secret).toBeTruthy();
      const file = join(mkdtempSync(join(tmpdir(), 'wxmail-canary-')), 'secret.txt');
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      for (const format of ['text', 'json', 'junit', 'markdown', 'html']) {
        const viaEnv = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--log-level', 'debug', '--only', 'entra.*'], { env: sim.env });
        expect(viaEnv.code, `${format}: ${viaEnv.stderr.slice(0, 300)}`).toBe(1);
        expect(viaEnv.stdout).toMatch(/SECRET_INVALID/);
        expect(leaks(viaEnv.stdout + viaEnv.stderr, secrets)).toEqual([]);
        // `--client-secret-file=-` (stdin); with a space yargs reads "-" as an unknown argument today.
        const viaStdin = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--log-level', 'debug', '--only', 'entra.*', '--client-secret-file=-'], {
          env: envNoSecret,
          input: `${secret}\n`,
        });
        expect(viaStdin.code, `${format} (stdin): ${viaStdin.stderr.slice(0, 300)}`).toBe(1);
        expect(leaks(viaStdin.stdout + viaStdin.stderr, secrets)).toEqual([]);
        const viaFile = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--log-level', 'debug', '--only', 'entra.*', '--client-secret-file', file], { env: envNoSecret });
        expect(viaFile.code, `${format} (file): ${viaFile.stderr.slice(0, 300)}`).toBe(1);
        expect(leaks(viaFile.stdout + viaFile.stderr, secrets)).toEqual([]);
      }
    } finally {
      await sim.stop();
    }
  });
});
