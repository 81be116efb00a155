import { listScenarios } from '../../simulator/scenario/load.js';
import { oneLine } from '../../report/sanitize.js';

/** `wxmail simulate --list`: one line per scenario. */
export function listScenarioLines(): number {
  const scenarios = listScenarios();
  const width = Math.max(...scenarios.map((s) => s.name.length));
  for (const s of scenarios) process.stdout.write(`${oneLine(s.name).padEnd(width)}  ${oneLine(s.description).split(/(?<=\.)\s/)[0]}\n`);
  return 0;
}

/**
 * `wxmail simulate --scenario NAME`: runs the simulated tenant in the foreground and prints the
 * environment that points a doctor at it, until SIGINT/SIGTERM.
 */
export async function simulate(scenario: string, portBase?: number): Promise<number> {
  const { startSimulator } = await import('../../simulator/index.js');
  // Listen for the signals before printing: a caller may stop us as soon as it reads the env.
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  process.once('SIGINT', () => stopRequested());
  process.once('SIGTERM', () => stopRequested());
  const sim = await startSimulator({ scenario, ...(portBase ? { portBase } : {}) });
  const lines = [
    // A scenario file may come from anyone: its name and description must not leave the comment.
    `# wxmail simulated tenant "${oneLine(sim.ctx.scenario.name)}" — ${oneLine(sim.ctx.scenario.description)}`,
    '# Point a doctor at it (bash):',
    ...Object.entries(sim.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `# or: wxmail doctor --config ${shellQuote(sim.configFile)}  (secrets come from the env above)`,
    '# Ctrl-C stops it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await stopped;
  await sim.stop();
  process.stderr.write('simulator stopped\n');
  return 0;
}

function shellQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
