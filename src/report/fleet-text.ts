import type { Status } from '../core/codes.js';
import type { CheckResult, ReportModel } from '../core/result.js';
import { groupByStep } from './steps.js';

/**
 * The text report of a fleet (more than one asset): a table asset × failing checks first, then the
 * tenant-wide checks by step, the findings every asset shares shown once (a tenant-wide setting
 * fails them all alike), and each asset's own findings under its name. Passing asset checks are
 * counted in the table, not listed. One asset keeps the report by step (text.ts).
 */

const NOT_OK: readonly Status[] = ['fail', 'error', 'warn'];
const INDENT = '  ';

export interface FleetRender {
  check(c: CheckResult): string[];
  bold(s: string): string;
}

/** The assets of a report, in order of appearance. */
export function assetsOf(model: ReportModel): string[] {
  return [...new Set(model.checks.map((c) => c.asset).filter((a): a is string => !!a))];
}

/** A check that ended the same way (status and code) for every asset: one finding, shown once. */
function sharedKeys(model: ReportModel, assets: string[]): Set<string> {
  const byCheck = new Map<string, CheckResult[]>();
  for (const c of model.checks) if (c.asset) byCheck.set(c.id, [...(byCheck.get(c.id) ?? []), c]);
  const out = new Set<string>();
  for (const [id, results] of byCheck) {
    const first = results[0]!;
    if (!NOT_OK.includes(first.status) || results.length !== assets.length) continue;
    if (results.every((r) => r.status === first.status && r.code === first.code)) out.add(id);
  }
  return out;
}

export function fleetLines(model: ReportModel, r: FleetRender): string[] {
  const assets = assetsOf(model);
  const shared = sharedKeys(model, assets);
  const width = Math.min(48, Math.max('ASSET'.length, ...assets.map((a) => a.length)));
  const out: string[] = [r.bold(`Fleet: ${assets.length} assets`), `${INDENT}${'ASSET'.padEnd(width)}  FAIL  ERROR  WARN  FAILING CHECKS`];
  for (const asset of assets) {
    const mine = model.checks.filter((c) => c.asset === asset);
    const n = (s: Status) => String(mine.filter((c) => c.status === s).length);
    const failing = mine.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
    out.push(`${INDENT}${asset.padEnd(width)}  ${n('fail').padStart(4)}  ${n('error').padStart(5)}  ${n('warn').padStart(4)}  ${failing.join(', ') || '-'}`);
  }
  out.push('');

  for (const group of groupByStep(model.checks.filter((c) => !c.asset))) {
    out.push(r.bold(`Step ${group.step} - ${group.title} (tenant-wide)`));
    for (const c of group.checks) out.push(...r.check(c));
    if (out[out.length - 1] !== '') out.push('');
  }
  if (shared.size > 0) {
    out.push(r.bold(`Findings shared by all ${assets.length} assets`));
    for (const id of shared) out.push(...r.check({ ...model.checks.find((c) => c.id === id && c.asset)!, asset: null }));
    if (out[out.length - 1] !== '') out.push('');
  }
  for (const asset of assets) {
    const findings = model.checks.filter((c) => c.asset === asset && c.status !== 'pass' && !shared.has(c.id));
    if (findings.length === 0) continue;
    out.push(r.bold(`Asset ${asset}`));
    for (const c of findings) out.push(...r.check({ ...c, asset: null }));
    if (out[out.length - 1] !== '') out.push('');
  }
  return out;
}
