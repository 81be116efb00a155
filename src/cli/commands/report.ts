import type { OutputFormat } from '../../config/types.js';
import { exitCodeOf } from '../../core/overall.js';
import { loadSavedReport } from '../../report/load.js';
import { emitReport } from '../output.js';

/** `wxmail report saved.json|saved.html --format …`: re-render a saved report (the support workflow). */
export function reportCommand(file: string, format: OutputFormat, output?: string, redactPii?: boolean, verbose = false): number {
  const model = loadSavedReport(file);
  // The saved model does not record --fail-on; a run that failed with no failing check failed on its warnings.
  const failedOnWarn = model.status === 'fail' && model.summary.fail === 0 && model.summary.warn > 0;
  emitReport(model, { format, ...(output ? { output } : {}), redactPii: !!redactPii, failOnWarn: failedOnWarn, verbose });
  return 0;
}

export { exitCodeOf };
