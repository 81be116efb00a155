import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../../src/simulator/scenario/load.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LEDGER = readFileSync(`${ROOT}docs/FIDELITY.md`, 'utf8');

interface Row {
  line: number;
  behaviour: string;
  source: string;
  code: string[];
  scenarios: string[];
}

/** Table rows of the ledger (header and separator rows left out); backticked names per cell. */
function rows(): Row[] {
  const out: Row[] = [];
  LEDGER.split('\n').forEach((text, i) => {
    if (!text.startsWith('|') || /^\|\s*Behaviour\s*\|/.test(text) || /^\|[-\s|]+\|$/.test(text)) return;
    const cells = text.split('|').slice(1, -1).map((c) => c.trim());
    const ticks = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
    out.push({ line: i + 1, behaviour: cells[0] ?? '', source: cells[1] ?? '', code: ticks(cells[2]), scenarios: ticks(cells[3]) });
  });
  return out;
}

describe('docs/FIDELITY.md', () => {
  const all = rows();
  const scenarioNames = new Set(listScenarios().map((s) => s.name));

  it('every row has four cells: a behaviour, a labelled source, code and a scenario', () => {
    for (const r of all) {
      expect(r.behaviour, `line ${r.line}`).not.toBe('');
      expect(r.source, `line ${r.line}: label V, O or I`).toMatch(/\b[VOI]\b/);
      expect(r.code.length, `line ${r.line}: code that relies on it`).toBeGreaterThan(0);
      expect(r.scenarios.length, `line ${r.line}: scenario`).toBeGreaterThan(0);
    }
  });

  it('every scenario the ledger names exists', () => {
    const missing = all.flatMap((r) => r.scenarios.filter((s) => !scenarioNames.has(s)).map((s) => `line ${r.line}: ${s}`));
    expect(missing).toEqual([]);
  });

  it('every file the ledger names exists', () => {
    const missing = all.flatMap((r) => r.code.filter((p) => !existsSync(`${ROOT}${p.replace(/[#:].*$/, '')}`)).map((p) => `line ${r.line}: ${p}`));
    expect(missing).toEqual([]);
  });
});
