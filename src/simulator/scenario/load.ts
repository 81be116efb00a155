import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../core/usage-error.js';
import { scenarioSchema, type Scenario } from './schema.js';

/** fixtures/scenarios, found from both src/ (tests) and the bundle in dist/ (the built CLI). */
export function scenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'fixtures', 'scenarios');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('fixtures/scenarios not found');
}

export function listScenarios(dir = scenariosDir()): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => loadScenario(f.replace(/\.yaml$/, ''), dir));
}

/** A scenario by name (from fixtures/scenarios) or by path to a YAML file. */
export function loadScenario(nameOrPath: string, dir = scenariosDir()): Scenario {
  const raw = readRaw(nameOrPath, dir, dir, []);
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`scenario ${nameOrPath}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A path is relative to the folder of the file that names it (the working directory at the top). */
function fileOf(nameOrPath: string, dir: string, relativeTo?: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml')) return relativeTo ? resolve(relativeTo, nameOrPath) : resolve(nameOrPath);
  return join(dir, `${nameOrPath}.yaml`);
}

function readRaw(nameOrPath: string, dir: string, builtins: string, seen: string[], relativeTo?: string): Record<string, unknown> {
  const file = fileOf(nameOrPath, dir, relativeTo);
  if (seen.includes(file)) throw new UsageError(`scenario ${nameOrPath}: extends loops through ${seen.join(' → ')}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`scenario ${nameOrPath}: no such scenario (looked for ${file}); \`wxmail simulate --list\` lists them`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new UsageError(`scenario ${nameOrPath}: YAML syntax error: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isObject(doc)) throw new UsageError(`scenario ${nameOrPath}: must be a YAML mapping`);
  const parent = z.string().optional().safeParse(doc.extends);
  if (!parent.success) throw new UsageError(`scenario ${nameOrPath}: extends: must be a scenario name`);
  if (!parent.data) return doc;
  // A parent is looked up beside the file, then among the built-in scenarios (so a user's own
  // scenario file can say `extends: healthy`).
  // Each level looks beside itself first, then among the built-ins: a user scenario may extend
  // another user scenario that extends a built-in one.
  const parentDir = existsSync(fileOf(parent.data, dirname(file), dirname(file))) ? dirname(file) : builtins;
  const base = readRaw(parent.data, parentDir, builtins, [...seen, file], dirname(file));
  const { extends: _drop, ...own } = doc;
  const merged = deepMerge(base, own);
  delete merged.extends;
  return merged;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Maps merge key by key; arrays and scalars replace. `null` over a map entry deletes it (a scenario
 * can drop an app, a rule or a policy of its parent); `null` over a scalar sets null.
 */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v === null && isObject(b)) {
      delete out[k];
      continue;
    }
    out[k] = isObject(v) && isObject(b) ? deepMerge(b, v) : v;
  }
  return out;
}
