import type { OutputFormat } from '../config/types.js';
import { redactor } from '../core/redact.js';
import type { ReportModel } from '../core/result.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export interface RenderOptions {
  color: boolean;
  /** `--fail-on warn`: formats that show pass/fail per check (JUnit) count warnings as failures. */
  failOnWarn?: boolean;
  /** `--verbose` (text only): evidence, request ids, `source:` lines and full explanations. */
  verbose?: boolean;
  /** Columns the text format wraps prose at (the terminal's; 100 when not a terminal). */
  width?: number;
}

const RENDERERS: Record<OutputFormat, (model: ReportModel, opts: RenderOptions) => string> = {
  text: (model, opts) => renderText(model, { color: opts.color, verbose: !!opts.verbose, ...(opts.width ? { width: opts.width } : {}) }),
  json: renderJson,
  junit: (model, opts) => renderJunit(model, { failOnWarn: !!opts.failOnWarn }),
  markdown: (model) => renderMarkdown(model),
  html: renderHtml,
};

/**
 * Every format from the one model. Secrets are masked here, whatever the caller did before:
 * no format can leak a secret the run registered with the process-wide redactor.
 * `color` applies to text only; the caller decides it from TTY, NO_COLOR and FORCE_COLOR.
 */
export function render(model: ReportModel, format: OutputFormat, opts: RenderOptions): string {
  return RENDERERS[format](redactor.deep(model), opts);
}
