import { loadSavedReport } from '../../report/load.js';
import { diffLines, diffModels } from '../../report/diff.js';

/** `wxmail diff before after` (JSON or HTML reports): what changed per check; exit 1 when any check got worse. */
export function diffReports(oldFile: string, newFile: string, opts: { allowMissing?: boolean } = {}): number {
  const before = loadSavedReport(oldFile);
  const after = loadSavedReport(newFile);
  const changes = diffModels(before, after, opts);
  process.stdout.write(`${diffLines(changes, opts).join('\n')}\n`);
  return changes.some((c) => c.worse) ? 1 : 0;
}
