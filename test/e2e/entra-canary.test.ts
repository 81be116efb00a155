import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import { runCli } from '../helpers/cli.js';
import { leaks, secretsOf } from '../helpers/canary.js';

/**
 * The SECRET_INVALID path through the built CLI at debug level: every format with the secret from
 * the environment, and the stdin and file sources. Each run is its own test, so no time limit
 * covers more than one process (every scenario also runs at trace level in secrets-canary.test.ts).
 */
describe('entra: canary secrets never reach any output', () => {
  const scenario = loadScenario('entra-secret-invalid');
  const secrets = secretsOf(scenario);
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let secret: string;
  let envNoSecret: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    sim = await startSimulator({ scenario });
    ({ WXMAIL_CLIENT_SECRET: secret, ...envNoSecret } = sim.env as Record<string, string> & { WXMAIL_CLIENT_SECRET: string });
    file = join(mkdtempSync(join(tmpdir(), 'wxmail-canary-')), 'secret.txt');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return () => sim.stop();
  });

  const args = (format: string) => ['doctor', '--config', sim.configFile, '--format', format, '--log-level', 'debug', '--only', 'entra.*'];

  it.concurrent.each(['text', 'json', 'junit', 'markdown', 'html'])('%s, secret from WXMAIL_CLIENT_SECRET', async (format) => {
    expect(secret).toBeTruthy();
    const r = await runCli(args(format), { env: sim.env });
    expect(r.code, `${format}: ${r.stderr.slice(0, 300)}`).toBe(1);
    expect(r.stdout).toMatch(/SECRET_INVALID/);
    expect(leaks(r.stdout + r.stderr, secrets)).toEqual([]);
  });

  it.concurrent.each(['text', 'json'])('%s, secret from stdin (--client-secret-file=-)', async (format) => {
    // `--client-secret-file=-` (stdin); `--client-secret-file -` is joined to it before yargs reads it.
    const r = await runCli([...args(format), '--client-secret-file=-'], { env: envNoSecret, input: `${secret}\n` });
    expect(r.code, `${format} (stdin): ${r.stderr.slice(0, 300)}`).toBe(1);
    expect(r.stdout).toMatch(/SECRET_INVALID/);
    expect(leaks(r.stdout + r.stderr, secrets)).toEqual([]);
  });

  it.concurrent.each(['text', 'json'])('%s, secret from a file', async (format) => {
    const r = await runCli([...args(format), '--client-secret-file', file], { env: envNoSecret });
    expect(r.code, `${format} (file): ${r.stderr.slice(0, 300)}`).toBe(1);
    expect(r.stdout).toMatch(/SECRET_INVALID/);
    expect(leaks(r.stdout + r.stderr, secrets)).toEqual([]);
  });
});
