import { readFileSync } from 'node:fs';
import type { ConfigFlags } from '../../config/sources.js';
import type { OutputFormat, RunConfig } from '../../config/types.js';
import { createLogger, type LogLevel } from '../../core/log.js';
import { exitCodeOf } from '../../core/overall.js';
import { loadPlugins } from '../../core/plugins.js';
import { buildReport } from '../../core/report-model.js';
import { runChecks } from '../../core/runner.js';
import type { SnapshotEntry } from '../../core/fact-store.js';
import { isSelected, unknownPatterns } from '../../core/selection.js';
import { UsageError } from '../../core/usage-error.js';
import { redactor } from '../../core/redact.js';
import { createNet } from '../../net/create-net.js';
import { checkProxyEnv } from '../../net/proxy-env.js';
import { oneLine } from '../../report/sanitize.js';
import { createProgress } from '../../report/progress.js';
import { builtinChecks } from '../../../checks/index.js';
import { loadConfig, shareableConfig } from '../../config/load.js';
import { checkOutputPath, emitReport, writeFileAtomic } from '../output.js';
import { assertInputs } from '../preflight.js';
import { onInterrupt } from '../process-guards.js';
import { EVIDENCE_FILES, evidenceFileName } from '../../collect/exchange/evidence-files.js';
import { join } from 'node:path';

export interface DoctorArgs extends ConfigFlags {
  format: OutputFormat;
  output?: string;
  redactPii?: boolean;
  logLevel: LogLevel;
  only?: string[];
  skip?: string[];
  demo?: boolean;
  scenario?: string;
  snapshotOut?: string;
  fromSnapshot?: string;
}

interface Snapshot {
  kind: 'wxmail-snapshot';
  version: 1;
  /** The run's configuration without secrets, so the snapshot re-evaluates on its own. */
  config: Record<string, unknown>;
  /** What Entra would show of the credential (the secret's first three characters), never the secret. */
  credential?: { kind: 'secret'; hint: string; guidShaped: boolean } | { kind: 'certificate' };
  facts: Record<string, SnapshotEntry>;
}

export async function doctor(args: DoctorArgs): Promise<number> {
  const log = createLogger(args.logLevel);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  let env = process.env;
  let stopDemo: (() => Promise<void>) | undefined;
  let flags: DoctorArgs = args;
  if (args.only?.length && normaliseLists(args).only.length === 0) {
    throw new UsageError("only (--only): empty (an unset variable?); name checks (id, group or glob such as 'entra.*'), or leave --only out to run them all");
  }
  checkOutputPath(args.output, 'output (--output)', []);
  checkOutputPath(args.snapshotOut, 'snapshot-out (--snapshot-out)', []);
  const stopListening = onInterrupt(() => stopDemo?.());
  if (args.demo) {
    // The demo is a real run: the doctor reaches the simulated tenant through its normal network paths.
    const { startSimulator } = await import('../../simulator/index.js');
    const sim = await startSimulator({ scenario: args.scenario ?? 'go-live-blockers' });
    stopDemo = () => sim.stop();
    env = { ...process.env, ...sim.env };
    flags = { ...args, config: args.config ?? sim.configFile };
    warn(`demo: simulated tenant "${oneLine(sim.ctx.scenario.name)}" on 127.0.0.1 — ${oneLine(sim.ctx.scenario.description).split(/(?<=\.)\s/)[0]}`);
  } else if (args.scenario) {
    throw new UsageError('scenario (--scenario): only with --demo (or `wxmail simulate --scenario NAME`)');
  }
  try {
    const snapshot = args.fromSnapshot ? readSnapshot(args.fromSnapshot) : undefined;
    const config = loadConfig({
      flags: normaliseLists(flags),
      env,
      readStdin: () => readFileSync(0, 'utf8'),
      warn,
      ...(snapshot ? { baseConfig: snapshot.config, offline: true } : {}),
    });
    if (snapshot && !config.clientSecret && !config.clientCertificate && snapshot.credential?.kind === 'secret') {
      config.clientSecret = offlineSecret(snapshot.credential);
    }
    const checks = [...builtinChecks, ...(await loadPlugins(config.plugins, new Set(builtinChecks.map((c) => c.id))))];
    const ids = checks.map((c) => c.id);
    const unknown = unknownPatterns([...config.only, ...config.skip], ids);
    if (unknown.length) throw new UsageError(`only/skip: no check matches ${unknown.map((p) => `'${p}'`).join(', ')} (see \`wxmail checks\`)`);
    checkProxyEnv(process.env);
    const selected = ids.filter((id) => isSelected(id, config.only, config.skip));
    if (!selected.length) throw new UsageError('only/skip: no check left to run (--skip leaves out everything --only selects); a run that checks nothing proves nothing');
    const inputs = runInputs(flags, config, env);
    checkOutputPath(args.output, 'output (--output)', inputs);
    checkOutputPath(args.snapshotOut, 'snapshot-out (--snapshot-out)', inputs);
    assertInputs(config, selected, { offline: !!snapshot });

    const started = new Date();
    const net = createNet(config, { timeoutMs: Math.min(config.checkTimeoutMs, 15_000) });
    const showProgress = args.format === 'text' && !args.output;
    let progress: ReturnType<typeof createProgress> | undefined;
    const run = await runChecks({
      config,
      checks,
      net,
      log,
      ...(snapshot ? { snapshot: snapshot.facts } : {}),
      onPlan: (total) => {
        if (showProgress) progress = createProgress(process.stderr, total);
      },
      onResult: (r) => progress?.tick(r.id, r.status),
    });
    progress?.done();
    if (args.snapshotOut) writeSnapshot(args.snapshotOut, { kind: 'wxmail-snapshot', version: 1, config: shareableConfig(config), ...credentialOf(config), facts: await run.facts.toSnapshot() });
    const model = buildReport(config, run.results, started, run.durationMs);
    emitReport(model, { format: args.format, ...(args.output ? { output: args.output } : {}), redactPii: !!args.redactPii });
    await net.dispatcher.close().catch(() => undefined);
    return exitCodeOf(model.status);
  } finally {
    stopListening();
    await stopDemo?.();
  }
}

/** The files this run reads (never to be overwritten by its outputs). */
function runInputs(flags: DoctorArgs, config: RunConfig, env: NodeJS.ProcessEnv): (string | undefined)[] {
  return [
    flags.config,
    flags.clientSecretFile,
    flags.readerClientSecretFile,
    config.clientCertificate?.path,
    config.reader?.kind === 'app' ? config.reader.clientCertificate?.path : undefined,
    flags.caFile ?? env.WXMAIL_CA_FILE,
    flags.accessTokenFile,
    flags.fromSnapshot,
    ...config.plugins,
    ...(config.exchangeEvidenceDir ? EVIDENCE_FILES.map((c) => join(config.exchangeEvidenceDir!, evidenceFileName(c))) : []),
  ];
}

function normaliseLists(a: DoctorArgs): DoctorArgs & { only: string[]; skip: string[]; redactPii: boolean } {
  const split = (v?: string[]) => (v ?? []).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
  return { ...a, only: split(a.only), skip: split(a.skip), redactPii: !!a.redactPii } as DoctorArgs & { only: string[]; skip: string[]; redactPii: boolean };
}

function readSnapshot(path: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`from-snapshot (--from-snapshot): cannot read ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const s = data as Partial<Snapshot>;
  if (s?.kind !== 'wxmail-snapshot' || s.version !== 1 || typeof s.facts !== 'object' || typeof s.config !== 'object') {
    throw new UsageError(`from-snapshot (--from-snapshot): ${path} is not a wxmail snapshot (written by --snapshot-out)`);
  }
  return s as Snapshot;
}

function writeSnapshot(path: string, snapshot: Snapshot): void {
  // Tenant configuration: readable by its owner only.
  writeFileAtomic(path, `${JSON.stringify(redactor.deep(snapshot), null, 2)}\n`, { field: 'snapshot-out (--snapshot-out)', mode: 0o600 });
}

export type { RunConfig };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function credentialOf(config: RunConfig): Pick<Snapshot, 'credential'> {
  if (config.clientCertificate) return { credential: { kind: 'certificate' } };
  if (config.clientSecret) return { credential: { kind: 'secret', hint: config.clientSecret.slice(0, 3), guidShaped: GUID.test(config.clientSecret) } };
  return {};
}

/**
 * Offline, no sign-in happens, but the checks still compare the configured secret's hint (and its
 * shape: a pasted secret ID) with the registration: a stand-in with the same hint and shape.
 */
function offlineSecret(c: { hint: string; guidShaped: boolean }): string {
  return c.guidShaped ? `${c.hint}00000-0000-4000-8000-000000000000` : `${c.hint}~offline-stand-in`;
}
