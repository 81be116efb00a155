import { groupOf } from './check.js';

/** `--only` / `--skip` patterns: an exact id, a group (`entra`), or a glob (`entra.*`, `*.forwarding`). */
export function matchesPattern(id: string, pattern: string): boolean {
  if (pattern === id || pattern === groupOf(id)) return true;
  if (!pattern.includes('*')) return false;
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
  return re.test(id);
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function isSelected(id: string, only: string[], skip: string[]): boolean {
  if (only.length > 0 && !only.some((p) => matchesPattern(id, p))) return false;
  return !skip.some((p) => matchesPattern(id, p));
}

/** Patterns that match no known check are almost always typos: the CLI rejects them. */
export function unknownPatterns(patterns: string[], ids: string[]): string[] {
  return patterns.filter((p) => !ids.some((id) => matchesPattern(id, p)));
}
