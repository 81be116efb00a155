import { readFileSync } from 'node:fs';
import type { ReportModel } from '../core/result.js';
import { UsageError } from '../core/usage-error.js';
import { REPORT_DATA_ID } from './html.js';
import { validateReport } from './schema.js';

/**
 * A saved JSON (or HTML) report, for `wxmail report` (re-render) and `wxmail diff`: the support
 * engineer's input. Anything wrong with the file is the caller's mistake, one line, exit 2.
 */

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : oneLine((err as Error).message);
    throw new UsageError(`cannot read report ${path}: ${why}`);
  }
}

function looksLikeReport(data: unknown): data is { schemaVersion: unknown; tool?: { name?: unknown } } {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'schemaVersion' in data;
}

/**
 * An HTML report carries its model in `<script type="application/json" id="wxmail-report">`
 * (src/report/html.ts). Its content never holds a raw `<`, so the first `</script>` ends it.
 */
const EMBEDDED = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([^<]*)</script>`);

function jsonText(path: string, text: string): string {
  if (!/^\s*</.test(text)) return text;
  const embedded = EMBEDDED.exec(text);
  if (embedded) return embedded[1]!;
  const what = /<html[\s>]/i.test(text) ? 'an HTML file without the embedded wxmail report data (an HTML report of wxmail 0.1 or another program)' : 'HTML or XML';
  throw new UsageError(`report ${path} is ${what}; give the JSON report (--format json) or an HTML report of this wxmail`);
}

export function loadSavedReport(path: string): ReportModel {
  const text = jsonText(path, readText(path).replace(/^\uFEFF/, ''));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`report ${path} is not JSON: ${oneLine((err as Error).message)}`);
  }
  if (!looksLikeReport(data) || (data.tool && data.tool.name !== 'wxmail')) {
    throw new UsageError(`${path} is not a wxmail report (expected the output of --format json, with "schemaVersion" and tool "wxmail")`);
  }
  if (data.schemaVersion !== 1) {
    throw new UsageError(`${path} is a wxmail report of schemaVersion ${JSON.stringify(data.schemaVersion)}; this wxmail reads schemaVersion 1`);
  }
  const result = validateReport(data);
  if (!result.ok) throw new UsageError(`${path} is not a valid wxmail report: ${oneLine(result.error)}`);
  return data as unknown as ReportModel;
}
