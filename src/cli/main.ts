import type { Argv } from 'yargs';
import type { OutputFormat } from '../config/types.js';
import { VERSION } from '../core/version.js';
import { UsageError } from '../core/usage-error.js';
import { redactor } from '../core/redact.js';
import { processIO, type CliIO } from './io.js';
import { configOptions, outputOptions } from './options.js';
import { usageLine } from './usage-messages.js';
import { guardStdout, stdoutFailed } from './process-guards.js';
import { stripTerminalControls } from '../report/sanitize.js';

const COMMANDS = ['doctor', 'checks', 'explain', 'report', 'diff', 'simulate', 'evidence-script', 'completion'];
const OPTION_NAMES = [...Object.keys(configOptions), ...Object.keys(outputOptions), 'demo', 'scenario', 'snapshot-out', 'from-snapshot', 'port-base', 'list', 'help', 'version'];

const EXAMPLES: [string, string][] = [
  ['$0 doctor --demo', 'See what the doctor finds on a simulated tenant with typical go-live blockers'],
  ['$0 init', 'Write wxmail.yaml from a few questions'],
  ['$0 doctor --config wxmail.yaml', 'Check a tenant (secret from WXMAIL_CLIENT_SECRET)'],
  ['$0 doctor --config wxmail.yaml --sign-in', 'Read the tenant configuration as an admin (device code)'],
  ['$0 doctor --format json -o report.json', 'For CI: gate on the exit code, keep the JSON'],
  ["$0 doctor --only 'webex.*' --callback-url https://acme.us.webexconnect.io/callback", 'Only the Webex Connect values'],
  ['$0 explain SMTP_AUTH_DISABLED_MAILBOX', 'Cause and fix of one finding'],
  ['$0 report report.json --format markdown', 'Re-render a saved report for a ticket'],
];

/** The CLI entry: returns the exit code; never throws a stack trace at the user. */
export async function main(rawArgv: string[], io: CliIO = processIO()): Promise<number> {
  if (io.stdout === process.stdout) guardStdout();
  // `--version` and a bare `checks` answer before yargs is loaded (yargs is most of their start-up):
  // start-up loads only what a command uses (issue 9). Anything else goes through yargs.
  if (rawArgv.length === 1 && (rawArgv[0] === '--version' || rawArgv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const checksFormat = rawArgv[0] === 'checks' ? bareChecksFormat(rawArgv.slice(1)) : null;
  if (checksFormat) {
    const code = (await import('./commands/checks.js')).listChecks(checksFormat);
    return stdoutFailed() ? 2 : code;
  }
  const argv = joinStdinValues(rawArgv);
  const { default: yargs } = await import('yargs');
  let exitCode = 0;
  const run = (p: Promise<number> | number) => Promise.resolve(p).then((c) => void (exitCode = c));
  const cli = yargs(argv)
    .scriptName('wxmail')
    .version(VERSION)
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .usage('wxmail — proves a Webex Connect email channel on Microsoft 365 (OAuth 2.0) is set up right.\n\nUsage: $0 <command> [options]')
    .command(
      'doctor',
      'Check the tenant against the setup guide and report every finding with its fix',
      (y: Argv) =>
        y
          .options({ ...configOptions, ...outputOptions })
          .option('demo', { type: 'boolean', describe: 'Run against the built-in simulated tenant (exit 1: the demo has findings)' })
          .option('scenario', { type: 'string', describe: 'Simulator scenario for --demo (default go-live-blockers; `wxmail simulate --list`)' })
          .option('snapshot-out', { type: 'string', describe: 'Save the collected facts (no secrets) for offline re-evaluation' })
          .option('from-snapshot', { type: 'string', describe: 'Evaluate saved facts, no network' }),
      (a) => run(import('./commands/doctor.js').then((m) => m.doctor(a as never, io))),
    )
    .command(
      'init',
      'Write a commented wxmail.yaml from a few questions (or from flags, without a terminal); no secrets',
      (y: Argv) =>
        y.options({
          'tenant-id': configOptions['tenant-id']!,
          'client-id': configOptions['client-id']!,
          'callback-url': configOptions['callback-url']!,
          cloud: configOptions.cloud!,
          mailbox: { type: 'string', array: true, describe: 'Mailbox (Email ID) of an asset (repeatable)' },
          'forwarding-address': { type: 'string', array: true, describe: 'Its Webex Connect "Forwarding Address" (repeatable, in the same order)' },
          output: { alias: 'o', type: 'string', default: 'wxmail.yaml', describe: 'File to write' },
          force: { type: 'boolean', describe: 'Overwrite the file if it exists' },
        }),
      (a) =>
        run(
          import('./commands/init.js').then((m) =>
            m.init(a as never, { input: process.stdin, output: process.stdout, interactive: !!process.stdin.isTTY && !!process.stdout.isTTY }),
          ),
        ),
    )
    .command(
      'checks',
      'List every check with its setup step and what it needs',
      (y: Argv) => y.option('format', { type: 'string', choices: ['text', 'json'], default: 'text' }),
      (a) => run(import('./commands/checks.js').then((m) => m.listChecks(a.format as 'text' | 'json'))),
    )
    .command(
      'explain [topic..]',
      'What a check verifies, or the cause and fix of a code, an AADSTS error, an SMTP status or a pasted error line',
      (y: Argv) =>
        y
          .positional('topic', { type: 'string', describe: 'check id (entra.token), code (SECRET_EXPIRED), AADSTS7000222, 5.7.139, or the error text' })
          .option('list', { type: 'boolean', describe: 'List every entry by setup step' }),
      (a) =>
        run(
          import('./commands/explain.js').then((m) =>
            a.list ? m.explainList() : m.explain(((a.topic as string[] | undefined) ?? []).map(String).join(' ')),
          ),
        ),
    )
    .command(
      'report <file>',
      'Re-render a saved report (JSON, or an HTML report of this wxmail)',
      (y: Argv) =>
        y
          .positional('file', { type: 'string' })
          .options({ format: outputOptions.format!, output: outputOptions.output!, 'redact-pii': outputOptions['redact-pii']!, verbose: outputOptions.verbose! }),
      (a) =>
        run(
          import('./commands/report.js').then((m) =>
            m.reportCommand(String(a.file), a.format as OutputFormat, a.output as string | undefined, a.redactPii as boolean, !!a.verbose),
          ),
        ),
    )
    .command(
      'diff <before> <after>',
      'Compare two saved reports, JSON or HTML (exit 1 when a check got worse or is no longer reported)',
      (y: Argv) =>
        y
          .positional('before', { type: 'string' })
          .positional('after', { type: 'string' })
          .option('allow-missing', { type: 'boolean', describe: 'A check no longer reported does not count as worse (it is still named)' }),
      (a) => run(import('./commands/diff.js').then((m) => m.diffReports(String(a.before), String(a.after), { allowMissing: !!a.allowMissing }))),
    )
    .command(
      'simulate',
      'Run the simulated Microsoft 365 tenant on loopback (prints the env for a doctor)',
      (y: Argv) =>
        y
          .option('scenario', { type: 'string', default: 'healthy', describe: 'Scenario name or YAML file' })
          .option('port-base', { type: 'number', describe: 'First of six consecutive ports (default: free ports)' })
          .option('list', { type: 'boolean', describe: 'List the scenarios' }),
      (a) =>
        run(import('./commands/simulate.js').then((m) => (a.list ? m.listScenarioLines() : m.simulate(String(a.scenario), a.portBase as number | undefined)))),
    )
    .command(
      'evidence-script',
      'Print a PowerShell script that exports the Exchange settings for --exchange-evidence',
      (y: Argv) => y.option('mailbox', { type: 'string', array: true, describe: 'Mailbox(es) to export' }),
      (a) => run(import('./commands/evidence-script.js').then((m) => m.printEvidenceScript((a.mailbox as string[] | undefined) ?? []))),
    )
    .completion('completion', 'Print a bash/zsh completion script')
    .demandCommand(1, 'Name a command: init, doctor, checks, explain, report, diff, simulate, evidence-script (see --help).')
    .example(EXAMPLES)
    .epilogue('Exit codes: 0 pass/warn · 1 a check failed (or warned, with --fail-on warn) · 2 could not check everything (error, missing permission or input, bad usage).')
    .help()
    .alias('h', 'help')
    .alias('V', 'version')
    .fail((msg, err) => {
      throw err ?? new UsageError(usageLine(msg, OPTION_NAMES, COMMANDS, argv));
    });

  skipHelpCache(cli);
  try {
    await cli.parseAsync();
    return stdoutFailed() ? 2 : exitCode;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Messages may quote file content (a JSON snippet, a key): no terminal control from it.
    const line = stripTerminalControls(redactor.text(message.split('\n')[0] ?? message)).replace(/\n/g, ' ');
    if (e instanceof UsageError || !(e instanceof Error) || e.name === 'YError') {
      io.stderr.write(`wxmail: ${line}\n`);
      return 2;
    }
    io.stderr.write(`wxmail: internal error: ${line} (run with --log-level debug and report it)\n`);
    return 2;
  }
}

/** `checks`, `checks --format text|json` (or `--format=…`): the format; null for anything yargs must parse. */
function bareChecksFormat(rest: string[]): 'text' | 'json' | null {
  const value = rest.length === 0 ? 'text' : rest.length === 2 && rest[0] === '--format' ? rest[1] : rest.length === 1 ? /^--format=(.*)$/.exec(rest[0]!)?.[1] : undefined;
  return value === 'text' || value === 'json' ? value : null;
}

/** yargs reads a lone `-` as a positional; `--client-secret-file -` (stdin) must stay a value. */
function joinStdinValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^--(reader-)?client-secret-file$/.test(a) && argv[i + 1] === '-') {
      out.push(`${a}=-`);
      i++;
    } else out.push(a);
  }
  return out;
}

/**
 * yargs renders the whole help text after a command's handler starts, only to cache it: cliui and
 * string-width over every line, 50–80 ms of CPU before the doctor's first request (issue 9). Help
 * is rendered when asked for instead. An internal of the pinned yargs 18.2.0; when it is not there,
 * nothing changes.
 */
function skipHelpCache(cli: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (cli as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
