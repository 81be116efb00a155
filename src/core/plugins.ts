import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckDefinition } from './check.js';
import { registerCode, STATUSES, type Status } from './codes.js';
import { UsageError } from './usage-error.js';

/**
 * Loads `--plugin FILE` checks. A plugin module's default export is one check definition (or an
 * array); `export const codes = { ACME_THING: 'fail' }` declares the codes it adds, each of which
 * needs an entry in its check's `explanations`.
 */
export async function loadPlugins(files: string[], existingIds: Set<string>): Promise<CheckDefinition<any>[]> {
  const out: CheckDefinition<any>[] = [];
  for (const file of files) {
    let mod: { default?: unknown; codes?: Record<string, unknown> };
    try {
      mod = (await import(pathToFileURL(resolve(file)).href)) as typeof mod;
    } catch (e) {
      throw new UsageError(`plugins (--plugin): cannot load ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    for (const [code, status] of Object.entries(mod.codes ?? {})) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(code) || !STATUSES.includes(status as Status)) {
        throw new UsageError(`plugins (--plugin): ${file}: code ${code} must be UPPER_CASE with a status of ${STATUSES.join('/')}`);
      }
      registerCode(code, status as Status);
    }
    const defs = Array.isArray(mod.default) ? mod.default : [mod.default];
    for (const def of defs) {
      const c = def as Partial<CheckDefinition<any>>;
      const problem = !c || typeof c !== 'object' ? 'no default export'
        : typeof c.id !== 'string' || !/^[a-z][a-z0-9-]*\.[a-z0-9.-]+$/.test(c.id) ? 'id must look like group.name'
        : existingIds.has(c.id) ? `id ${c.id} already exists`
        : typeof c.run !== 'function' ? 'run must be a function'
        : typeof c.title !== 'string' ? 'title is missing'
        : null;
      if (problem) throw new UsageError(`plugins (--plugin): ${file}: ${problem}`);
      existingIds.add(c.id!);
      out.push({ step: 4, description: c.title!, scope: 'tenant', needs: {}, explanations: {}, ...c } as CheckDefinition<any>);
    }
  }
  return out;
}
