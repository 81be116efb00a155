import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import { runCli } from '../helpers/cli.js';
import { leaks, secretsOf } from '../helpers/canary.js';

/**
 * The SECRET_INVALID path in every format at debug level, with the secret from each source. (Every
 * scenario, entra's included, also runs at trace level in secrets-canary.test.ts.)
 */

describe('entra: canary secrets never reach any output', () => {
  it('SECRET_INVALID in every format at debug level, secret from a file and from the environment', async () => {
    const scenario = loadScenario('entra-secret-invalid');
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
