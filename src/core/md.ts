/**
 * Tenant strings inside the markdown `details` a check writes: an inline code span that cannot be
 * broken out of, whatever the string holds (backticks, line breaks, blank lines, `|`, `<`).
 * Checks use it for every value that came from the tenant or from Microsoft (issue 8, item 2).
 */
export function mdCode(s: string): string {
  const flat = s.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}
