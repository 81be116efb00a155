import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../../src/config/types.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, runCli } from '../helpers/cli.js';
import { parseHtml, parseJunit, parseMarkdown, parseText, sortRows, type Row } from '../unit/report/parse-formats.js';

const PARSERS: Record<Exclude<OutputFormat, 'json'>, (out: string) => Row[]> = { junit: parseJunit, markdown: parseMarkdown, html: parseHtml, text: parseText };

/** Real runs, not a fixture: the doctor's own output in every format says the same per check. */
describe('format parity on real runs', () => {
  it.concurrent.each(['go-live-blockers', 'unreliable-network'])('%s: text, junit, markdown and html agree with the JSON on every status and code', async (scenario) => {
    const sim = await startSimulator({ scenario });
    try {
      const { report } = await doctorJson(sim, ['--check-timeout', '3']);
      const expected = sortRows(report.checks.map(({ id, asset, status, code }) => ({ id, asset, status, code })));
      expect(new Set(expected.map((r) => r.status)).size).toBeGreaterThan(2);
      for (const [format, parse] of Object.entries(PARSERS)) {
        // Rendered live, not re-rendered: the same path a user's run takes.
        const r = await runCli(['doctor', '--config', sim.configFile, '--format', format, '--check-timeout', '3'], { env: sim.env });
        expect({ format, rows: sortRows(parse(r.stdout)) }).toEqual({ format, rows: expected });
      }
    } finally {
      await sim.stop();
    }
  }, 90_000);
});
