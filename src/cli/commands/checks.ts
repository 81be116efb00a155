import { builtinChecks } from '../../../checks/index.js';
import type { CheckDefinition } from '../../core/check.js';

/** `wxmail checks`: every check with its step and what it needs, as text or JSON. */
export function listChecks(format: 'text' | 'json', checks: CheckDefinition<any>[] = builtinChecks): number {
  const rows = checks.map((c) => ({
    id: c.id,
    step: c.step,
    title: c.title,
    scope: c.scope,
    optIn: c.optIn ?? null,
    requires: typeof c.requires === 'function' ? ['entra.token (when no reader is configured)'] : c.requires ?? [],
    needs: Object.values(c.needs).map((n: any) => ('optional' in n ? `${n.fact.id} (optional)` : n.id)),
    permissions: c.permissions ?? [],
    codes: Object.keys(c.explanations),
  }));
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.id.length), 10);
  const lines = [`${'CHECK'.padEnd(width)}  STEP  TITLE`];
  for (const r of rows) {
    lines.push(`${r.id.padEnd(width)}  ${String(r.step).padEnd(4)}  ${r.title}${r.optIn ? '  (--send-test)' : ''}`);
    const needs = [...r.needs, ...r.permissions.map((p) => `permission ${p}`)];
    if (needs.length) lines.push(`${''.padEnd(width)}        needs: ${needs.join(', ')}`);
  }
  lines.push('', `${rows.length} checks. \`wxmail explain <check-id|CODE>\` tells what one verifies and how to fix what it finds.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
