import type { OutputFormat } from '../../config/types.js';
import { exitCodeOf } from '../../core/overall.js';
import { loadSavedReport } from '../../report/load.js';
import { emitReport } from '../output.js';

/** `wxmail report saved.json --format …`: re-render a saved JSON report (the support workflow). */
export function reportCommand(file: string, format: OutputFormat, output?: string, redactPii?: boolean): number {
  const model = loadSavedReport(file);
  emitReport(model, { format, ...(output ? { output } : {}), redactPii: !!redactPii });
  return 0;
}

export { exitCodeOf };
