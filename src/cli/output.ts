import { accessSync, constants, existsSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
    writeFileAtomic(opts.output, text, { field: 'output (--output)' });
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

/**
 * Writes a whole file or nothing: a temp file beside it, then a rename, so a reader (or a crash
 * half-way) never sees a partial report or snapshot. `mode` applies from the first byte.
 */
export function writeFileAtomic(path: string, text: string, opts: { field: string; mode?: number }): void {
  const temp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(temp, text, { mode: opts.mode ?? 0o644, flag: 'wx' });
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw new UsageError(`${opts.field}: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** The same file, however it was spelled (./a, a, a symlink to it). */
function sameFile(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * An output path is checked before the first network call: a run that cannot save its report
 * must not cost a probe mail first. `inputs` are the files this run reads: writing over one
 * (a config, a secret, a snapshot) would destroy what the user needs to run it again.
 */
export function checkOutputPath(path: string | undefined, field: string, inputs: readonly (string | undefined)[]): void {
  if (path === undefined) return;
  if (path.trim() === '') throw new UsageError(`${field}: empty file name (give a path, or leave the option out)`);
  const input = inputs.find((i) => i && i !== '-' && sameFile(i, path));
  if (input) throw new UsageError(`${field}: ${path} is an input of this run; write the report to another file`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UsageError(`${field}: cannot write ${path}: EISDIR (a folder; give a file name)`);
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      throw new UsageError(`${field}: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return;
  }
  const parent = dirname(resolve(path));
  try {
    if (!statSync(parent).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(parent, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${field}: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
