import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { leaks } from './canary.js';

// WXMAIL_E2E_BIN runs the same tests against another build (e.g. the previous release, to measure a fix).
const BIN = process.env.WXMAIL_E2E_BIN ?? fileURLToPath(new URL('../../bin/wxmail.js', import.meta.url));

/** The environment a test run sees: nothing of the developer's WXMAIL_* or proxy settings. */
function baseEnv(): Record<string, string> {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) if (process.env[k]) base[k] = process.env[k]!;
  return { ...base, NO_COLOR: '1' };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the BUILT CLI (`node bin/wxmail.js`) as a child process, the way users run it.
 * The environment is NOT inherited except PATH/HOME/NODE_* — so a developer's WXMAIL_* or proxy
 * settings never leak into tests.
 */
export function runCli(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...baseEnv(), ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wxmail ${args.join(' ')} did not exit within ${opts.timeoutMs ?? 60_000} ms\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The same command in this process, with its own environment and captured output and logs: for
 * sweeps over many scenarios, where a process per case adds start-up time and nothing else. The
 * built CLI keeps its own end-to-end tests (runCli).
 */
export async function runInProcess(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const err = { write: (s: string) => ((stderr += s), true) };
  const code = await main(args, { env: { ...baseEnv(), ...opts.env }, stdout: { write: (s: string) => ((stdout += s), true) }, stderr: err, logDestination: err });
  return { code, stdout, stderr };
}

/** A running simulator as far as the doctor is concerned (see src/simulator/index.ts). */
export interface SimTarget {
  env: Record<string, string>;
  configFile: string;
}

/**
 * `wxmail doctor --format json` against a running simulator; the report is parsed. In-process by
 * default (a scenario's verdicts do not need a process of their own); `{ cli: true }` runs the
 * built CLI, as tests of process-level behaviour must (proxies from the environment, stdin, exit).
 */
export async function doctorJson(
  sim: SimTarget,
  extraArgs: string[] = [],
  extraEnv: Record<string, string> = {},
  opts: { cli?: boolean } = {},
): Promise<CliResult & { report: ReportModel }> {
  const args = ['doctor', '--config', sim.configFile, '--format', 'json', ...extraArgs];
  const env = { ...sim.env, ...extraEnv };
  const r = opts.cli ? await runCli(args, { env }) : await runInProcess(args, { env });
  let report: ReportModel;
  try {
    report = JSON.parse(r.stdout) as ReportModel;
  } catch {
    throw new Error(`doctor did not print JSON (exit ${r.code}).\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
  }
  // Every e2e run doubles as a contract and canary check: the report is schema-valid, and no
  // secret it was given (nor a token) appears in stdout or stderr.
  const valid = validateReport(report);
  if (!valid.ok) throw new Error(`report does not validate: ${valid.error}`);
  const secrets = [env.WXMAIL_CLIENT_SECRET, env.WXMAIL_READER_CLIENT_SECRET].filter((v): v is string => !!v && v.length >= 12);
  const leaked = leaks(r.stdout + r.stderr, secrets);
  if (leaked.length) throw new Error(`secret material in the output: ${leaked.join(', ')}`);
  return { ...r, report };
}

/** The result of one check (and asset) in a report, or a clear failure listing what is there. */
export function resultOf(report: ReportModel, id: string, asset?: string) {
  const r = report.checks.find((c) => c.id === id && (asset === undefined || c.asset === asset));
  if (!r) throw new Error(`no result for ${id} in report: ${report.checks.map((c) => `${c.id}=${c.status}`).join(', ')}`);
  return r;
}
