import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import type { OutputFormat } from '../../src/config/types.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, runCli } from '../helpers/cli.js';
import { parseHtml, parseJunit, parseMarkdown, parseText, sortRows, type Row } from '../unit/report/parse-formats.js';

const PARSERS: Record<Exclude<OutputFormat, 'json'>, (out: string) => Row[]> = { junit: parseJunit, markdown: parseMarkdown, html: parseHtml, text: parseText };

const rowsOf = (report: ReportModel) => sortRows(report.checks.map(({ id, asset, status, code }) => ({ id, asset, status, code })));

/** Real runs, not a fixture: the doctor's own output in every format says the same per check. */
describe('format parity on real runs', () => {
  it('go-live-blockers (a deterministic tenant): each format rendered live by the built CLI agrees with the JSON', async () => {
    const sim = await startSimulator({ scenario: 'go-live-blockers' });
    try {
      const { report } = await doctorJson(sim, [], {}, { cli: true });
      const expected = rowsOf(report);
      expect(new Set(expected.map((r) => r.status)).size).toBeGreaterThan(2);
      await Promise.all(
        Object.entries(PARSERS).map(async ([format, parse]) => {
          // Rendered live, not re-rendered: the same path a user's run takes.
          const r = await runCli(['doctor', '--config', sim.configFile, '--format', format], { env: sim.env });
          expect({ format, rows: sortRows(parse(r.stdout)) }).toEqual({ format, rows: expected });
        }),
      );
    } finally {
      await sim.stop();
    }
  });

  it('unreliable-network (errors whose timing varies): every format of the same run agrees with its JSON', async () => {
    const sim = await startSimulator({ scenario: 'unreliable-network' });
    const file = join(mkdtempSync(join(tmpdir(), 'wxparity-')), 'run.json');
    try {
      const r = await runCli(['doctor', '--config', sim.configFile, '--format', 'json', '--check-timeout', '10', '-o', file], { env: sim.env });
      expect(r.code).toBe(2);
      const report = JSON.parse(readFileSync(file, 'utf8')) as ReportModel;
      const expected = rowsOf(report);
      expect(expected.filter((row) => row.status === 'error').length).toBeGreaterThan(2);
      await Promise.all(
        Object.entries(PARSERS).map(async ([format, parse]) => {
          const out = await runCli(['report', file, '--format', format]);
          expect({ format, rows: sortRows(parse(out.stdout)) }).toEqual({ format, rows: expected });
        }),
      );
    } finally {
      await sim.stop();
    }
  });
});
