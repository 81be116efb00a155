import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { STATUSES, statusOfCode, type Status } from '../core/codes.js';

/**
 * Validation of a report against `schema/report.schema.json`, plus the two rules a JSON Schema
 * cannot express: the summary counts the checks, and a known code always has its one status.
 * ajv is loaded and the schema compiled on first use only: most runs never validate.
 */

export type ValidationResult = { ok: true } | { ok: false; error: string };

const SCHEMA_FILE = join('schema', 'report.schema.json');

/** The schema sits at the package root; this file runs from src/report or from the bundle in dist/chunks. */
export function reportSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, SCHEMA_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`cannot find ${SCHEMA_FILE} above ${fileURLToPath(import.meta.url)}`);
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // createRequire keeps validateReport synchronous while still loading ajv lazily.
  const require = createRequire(import.meta.url);
  let Ajv2020: typeof import('ajv/dist/2020.js').default;
  let addFormats: typeof import('ajv-formats').default;
  try {
    Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020.js')).default;
    addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  } catch (err) {
    throw new Error(`validating a report needs the packages ajv and ajv-formats: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ['date-time']);
  compiled = ajv.compile(JSON.parse(readFileSync(reportSchemaPath(), 'utf8')) as object);
  return compiled;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * With allErrors, ajv reports a failed `anyOf` as one error per branch plus a summary, and a
 * wrong status also trips the status-dependent code rule. The useful error is the first that is
 * neither a summary, nor the "must be null" of a nullable branch that has a deeper error, nor a
 * consequence of the if/then/else on status.
 */
function mostUseful(errors: ErrorObject[]): ErrorObject {
  const nullBranch = (e: ErrorObject) =>
    e.keyword === 'type' &&
    (e.params as { type?: unknown }).type === 'null' &&
    errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && !/\/anyOf\/0\//.test(o.schemaPath) && o.keyword !== 'anyOf');
  const filters: ((e: ErrorObject) => boolean)[] = [
    (e) => e.keyword !== 'anyOf' && e.keyword !== 'if',
    (e) => !nullBranch(e),
    (e) => !/\/(then|else)\//.test(e.schemaPath),
  ];
  let pool = errors;
  for (const keep of filters) {
    const kept = pool.filter(keep);
    if (kept.length) pool = kept;
  }
  return pool[0]!;
}

function describe(error: ErrorObject, data: unknown): string {
  const where = error.instancePath || '(top level)';
  const params = error.params as Record<string, unknown>;
  let message = `${where} ${error.message ?? 'is invalid'}`;
  if (error.keyword === 'enum') message += ` (${(params.allowedValues as unknown[]).map((v) => preview(v)).join(', ')})`;
  if (error.keyword === 'const') message += ` ${preview(params.allowedValue)}`;
  if (error.keyword === 'additionalProperties') message += ` "${String(params.additionalProperty)}"`;
  if (['type', 'enum', 'const', 'pattern', 'format', 'minimum', 'maximum', 'minLength'].includes(error.keyword)) {
    message += `, got ${preview(valueAt(data, error.instancePath))}`;
  }
  return message;
}

interface ShapedReport {
  summary: Record<Status, number>;
  checks: { status: Status; code: string | null }[];
}

/** Rules across fields; runs only on data that already has the schema's shape. */
function crossFieldError(report: ShapedReport): string | null {
  for (const [i, check] of report.checks.entries()) {
    const expected = check.code === null ? undefined : statusOfCode(check.code);
    if (expected && expected !== check.status) {
      return `/checks/${i}/status is "${check.status}" but code ${check.code} always means "${expected}"`;
    }
  }
  for (const status of STATUSES) {
    const counted = report.checks.filter((c) => c.status === status).length;
    if (report.summary[status] !== counted) {
      return `/summary/${status} is ${report.summary[status]} but ${counted} check(s) have status "${status}"`;
    }
  }
  return null;
}

export function validateReport(data: unknown): ValidationResult {
  const validate = validator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    return { ok: false, error: errors.length ? describe(mostUseful(errors), data) : 'does not match the report schema' };
  }
  const crossField = crossFieldError(data as ShapedReport);
  return crossField ? { ok: false, error: crossField } : { ok: true };
}
