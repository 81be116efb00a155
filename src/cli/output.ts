import { writeFileSync } from 'node:fs';
import type { OutputFormat } from '../config/types.js';
import { redactor } from '../core/redact.js';
import type { ReportModel } from '../core/result.js';
import { UsageError } from '../core/usage-error.js';
import { redactPii } from '../report/pii.js';
import { render } from '../report/render.js';

export interface Emit {
  format: OutputFormat;
  output?: string;
  redactPii?: boolean;
  /** `--fail-on warn` (JUnit shows warnings as failures). */
  failOnWarn?: boolean;
  /** `--verbose`: the text format shows evidence, request ids and full explanations. */
  verbose?: boolean;
}

/** Renders the one model in the asked format, to stdout or a file. Secrets are masked on the way. */
export function emitReport(model: ReportModel, opts: Emit, stdout: { write(text: string): unknown } = process.stdout): void {
  let safe = redactor.deep(model);
  if (opts.redactPii) safe = redactPii(safe);
  const color = !opts.output && opts.format === 'text' && stdout === process.stdout && useColor(process.stdout);
  const width = !opts.output && stdout === process.stdout ? terminalWidth(process.stdout) : undefined;
  const text = redactor.text(render(safe, opts.format, { color, failOnWarn: !!opts.failOnWarn, verbose: !!opts.verbose, ...(width ? { width } : {}) }));
  if (opts.output) {
    try {
      writeFileSync(opts.output, text);
    } catch (e) {
      throw new UsageError(`output (--output): cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else {
    stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** The terminal's columns; undefined (the renderer's 100) when stdout is not a terminal. */
export function terminalWidth(stream: NodeJS.WriteStream): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY;
}
