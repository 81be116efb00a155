import { readFileSync } from 'node:fs';
import type { ConfigFlags } from '../../config/sources.js';
import type { OutputFormat, RunConfig } from '../../config/types.js';
import { createLogger, type LogLevel } from '../../core/log.js';
import { exitCodeOf } from '../../core/overall.js';
import { loadPlugins } from '../../core/plugins.js';
import { buildReport } from '../../core/report-model.js';
import { runChecks } from '../../core/runner.js';
import type { FactDefinition } from '../../core/fact.js';
import { readerSignInFact } from '../../collect/identity/reader-sign-in.js';
import { isSelected, unknownPatterns } from '../../core/selection.js';
import { UsageError } from '../../core/usage-error.js';
import { createNet } from '../../net/create-net.js';
import { checkProxyEnv } from '../../net/proxy-env.js';
import { oneLine } from '../../report/sanitize.js';
import { createProgress } from '../../report/progress.js';
import { exitMeaning } from '../../report/wording.js';
import { builtinChecks } from '../../../checks/index.js';
import { loadConfig, shareableConfig } from '../../config/load.js';
import { processIO, type CliIO } from '../io.js';
import { emitReport } from '../output.js';
import { buildSnapshot, offlineCertificate, offlineSecret, readSnapshot, sourceOf, writeSnapshot } from '../snapshot.js';
import { checkOutputPath } from '../output.js';
import { assertInputs } from '../preflight.js';
import { onInterrupt } from '../process-guards.js';
import { EVIDENCE_FILES, evidenceFileName } from '../../collect/exchange/evidence-files.js';
import { join } from 'node:path';

export interface DoctorArgs extends ConfigFlags {
  format: OutputFormat;
  output?: string;
  redactPii?: boolean;
  verbose?: boolean;
  logLevel: LogLevel;
  only?: string[];
  skip?: string[];
  demo?: boolean;
  scenario?: string;
  snapshotOut?: string;
  fromSnapshot?: string;
}

export async function doctor(args: DoctorArgs, io: CliIO = processIO()): Promise<number> {
  const log = createLogger(args.logLevel, io.logDestination);
  const warn = (line: string) => io.stderr.write(`${line}\n`);
  let env = io.env;
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
    env = { ...io.env, ...sim.env };
    flags = { ...args, config: args.config ?? sim.configFile };
    warn(`demo: simulated tenant "${oneLine(sim.ctx.scenario.name)}" on 127.0.0.1 — ${oneLine(sim.ctx.scenario.description).split(/(?<=\.)\s/)[0]}`);
  } else if (args.scenario) {
    throw new UsageError('scenario (--scenario): only with --demo (or `wxmail simulate --scenario NAME`)');
  }
  try {
    const snapshot = args.fromSnapshot ? readSnapshot(args.fromSnapshot) : undefined;
    // The snapshot's tenant is set after validation: a masked one (`tenant-1`) is no GUID or domain.
    const { tenantId: snapshotTenant, ...snapshotConfig } = snapshot?.config ?? {};
    const config = loadConfig({
      flags: normaliseLists(flags),
      env,
      readStdin: () => readFileSync(0, 'utf8'),
      warn,
      ...(snapshot ? { baseConfig: snapshotConfig, offline: true } : {}),
    });
    if (snapshot) {
      if (config.tenantId && snapshotTenant && config.tenantId.toLowerCase() !== snapshotTenant.toLowerCase()) {
        throw new UsageError(
          `tenantId (--tenant-id): ${config.tenantId} is not the tenant the snapshot ${args.fromSnapshot} was collected from (${snapshotTenant}); a snapshot is replayed against its own tenant`,
        );
      }
      if (snapshotTenant) config.tenantId = snapshotTenant;
      if (!config.clientSecret && !config.clientCertificate && snapshot.credential?.kind === 'secret') {
        config.clientSecret = offlineSecret(snapshot.credential);
      }
      if (!config.clientSecret && !config.clientCertificate && snapshot.credential?.kind === 'certificate' && snapshot.credential.certificate) {
        config.clientCertificate = offlineCertificate(snapshot.credential.certificate);
      }
    }
    const checks = [...builtinChecks, ...(await loadPlugins(config.plugins, new Set(builtinChecks.map((c) => c.id))))];
    const ids = checks.map((c) => c.id);
    const unknown = unknownPatterns([...config.only, ...config.skip], ids);
    if (unknown.length) throw new UsageError(`only/skip: no check matches ${unknown.map((p) => `'${p}'`).join(', ')} (see \`wxmail checks\`)`);
    if (!snapshot && !config.tenantId && !config.clientId && !config.callbackUrl && config.assets.length === 0) {
      throw new UsageError(
        'nothing to check: no tenant, app, Call Back URL or mailbox is configured (flags, WXMAIL_* or --config). Run `wxmail init` to write wxmail.yaml, or `wxmail doctor --demo` to see a run.',
      );
    }
    checkProxyEnv(env);
    const selected = ids.filter((id) => isSelected(id, config.only, config.skip));
    if (!selected.length) throw new UsageError('only/skip: no check left to run (--skip leaves out everything --only selects); a run that checks nothing proves nothing');
    // When every selected check sends a real message and --send-test is not given, each would end
    // NOT_REQUESTED (a harmless skip): a CI gate would read the exit 0 as that probe passing.
    const probes = checks.filter((c) => c.optIn === 'sendTest' && selected.includes(c.id)).map((c) => c.id);
    if (!config.sendTest && probes.length === selected.length) {
      const one = probes.length === 1;
      throw new UsageError(`only: ${probes.join(', ')} send${one ? 's' : ''} a real message and run${one ? 's' : ''} only with --send-test; add --send-test, or select other checks`);
    }
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
      ...(config.reader?.kind === 'device-code' ? { warmUp: { facts: [readerSignInFact as FactDefinition<unknown>], timeoutMs: config.signInTimeoutMs } } : {}),
    });
    progress?.done();
    if (args.snapshotOut) {
      const facts = await run.facts.toSnapshot();
      writeSnapshot(args.snapshotOut, buildSnapshot(config, shareableConfig(config), facts, started, { redactPii: !!args.redactPii }));
    }
    const model = buildReport(config, run.results, started, run.durationMs);
    if (snapshot) model.source = sourceOf(snapshot);
    emitReport(model, { format: args.format, ...(args.output ? { output: args.output } : {}), redactPii: !!args.redactPii, failOnWarn: config.failOn === 'warn', verbose: !!args.verbose }, io.stdout);
    if (args.output) {
      // The report went to a file: a CI log still shows the verdict in one line.
      const n = model.summary;
      io.stderr.write(`wxmail: ${model.status.toUpperCase()}: ${n.fail} fail, ${n.error} error, ${n.warn} warn, ${n.skip} skip, ${n.pass} pass. Report: ${args.output} (${exitMeaning(model)})\n`);
    }
    await net.close().catch(() => undefined);
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

export type { RunConfig };
