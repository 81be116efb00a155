import type { ReportModel } from '../core/result.js';

/** The report model as is: the contract's "JSON report", for CI and for `wxmail report`. */
export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
