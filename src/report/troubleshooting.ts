import type { CheckDefinition } from '../core/check.js';
import { buildIndex, byStep, knownIdentifiers, AADSTS_LOOKUP, AADSTS_REFERENCE, NDR_REFERENCE, type IndexedEntry } from '../core/explanation-index.js';
import { stepTitle } from './steps.js';

/**
 * docs/TROUBLESHOOTING.md, generated from the explanation entries (the same ones `wxmail explain`
 * and the reports render), so the guide cannot drift from the tool. Regenerate with `npm run docs`.
 */

export const TROUBLESHOOTING_FILE = 'docs/TROUBLESHOOTING.md';
export const REGENERATE = 'npm run docs';

const anchor = (code: string) => `code-${code.toLowerCase().replace(/_/g, '-')}`;

/**
 * Prose from an entry: placeholders such as <mailbox> outside code spans go into code spans, so
 * Markdown shows them instead of taking them for HTML tags.
 */
function prose(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replace(/<[a-z][a-z0-9 -]*>/gi, (p) => `\`${p}\``)))
    .join('')
    .replace(/\s*\n\s*/g, ' ');
}

const cell = (s: string) => prose(s).replace(/\|/g, '\\|');

function fence(commands: string[]): string {
  const longest = Math.max(2, ...commands.map((c) => Math.max(0, ...(c.match(/`+/g) ?? []).map((m) => m.length))));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return [f, ...commands, f].join('\n');
}

function entrySection(e: IndexedEntry): string {
  const x = e.entry;
  const out = [
    `<a id="${anchor(e.code)}"></a>`,
    `### ${e.code}: ${prose(x.title)}`,
    '',
    `Status **${e.status ?? 'unknown'}** · reported by ${e.checks.length ? e.checks.map((c) => `\`${c}\``).join(', ') : 'any check'} · code \`${e.code}\` · \`wxmail explain ${e.code}\``,
    '',
    ...e.seen.map((s, i) => `- **${i ? 'Also seen' : 'What you see'}:** ${prose(s)}`),
    `- **Cause:** ${prose(x.cause)}`,
    `- **Confirm by hand:** ${prose(x.confirm)}`,
    `- **Fix:** ${prose(x.fix)}`,
  ];
  if (x.portal?.length) out.push(`- **Portal:**`, ...x.portal.map((p) => `  - ${prose(p)}`));
  if (x.commands?.length) out.push('', fence(x.commands));
  if (x.links?.length) out.push('', `Links: ${x.links.map((l) => `<${l}>`).join(' · ')}`);
  return out.join('\n');
}

function stepHeading(step: number | null): string {
  return step === null ? 'Any step: why a check did not run, or could not run' : `Step ${step}: ${stepTitle(step)}`;
}

/** The first sentence of what the user sees, for the index (the full text is in the entry). */
function symptom(s: string): string {
  let first = /^(.{40,}?[.;])(\s|$)/.exec(s)?.[1] ?? s;
  // Never end inside a code span: a lone backtick would swallow the rest of the table row.
  if ((first.match(/`/g) ?? []).length % 2) {
    const close = s.indexOf('`', first.length);
    first = close === -1 ? s : s.slice(0, close + 1);
  }
  return first.length > 220 && !first.slice(0, 217).includes('`') ? `${first.slice(0, 217)}…` : first;
}

function symptomIndex(index: IndexedEntry[]): string[] {
  const link = (code: string) => `[${code}](#${anchor(code)})`;
  const ids = knownIdentifiers(index);
  const lines = [
    '## Symptom index',
    '',
    'Find what you saw, then follow the link. `wxmail explain "<the error text>"` does the same from the command line.',
    '',
    '### By error code',
    '',
    '| Microsoft error | Entry |',
    '|---|---|',
    ...ids.map((i) => `| \`${i.id}\` | ${i.codes.map(link).join(', ')} |`),
    '',
    `Any other \`AADSTS\` number: Microsoft's lookup \`${AADSTS_LOOKUP('<number>')}\` and ${AADSTS_REFERENCE}; wxmail reports it as ${link('TOKEN_FAILED')}. ` +
      `Any other enhanced SMTP status: ${NDR_REFERENCE}.`,
    '',
    '### By what you see',
    '',
    '| Step | What you see | Entry |',
    '|---|---|---|',
  ];
  for (const { step, entries } of byStep(index)) {
    for (const e of entries) for (const s of e.seen) lines.push(`| ${step ?? '—'} | ${cell(symptom(s))} | ${link(e.code)} |`);
  }
  return lines;
}

export function renderTroubleshooting(checks: CheckDefinition<any>[]): string {
  const index = buildIndex(checks);
  const out = [
    '# Troubleshooting',
    '',
    `<!-- Generated from the explanation entries by \`${REGENERATE}\` (scripts/troubleshooting.mjs). Do not edit by hand. -->`,
    '',
    'The setup guide\'s troubleshooting section: every problem `wxmail doctor` diagnoses, by the guide\'s steps ' +
      '(1 start the Email app in Webex Connect, 2 the app registration in Azure, 3 the mailbox user in Microsoft 365, 4 finish and verify). ' +
      'Each entry gives what you see (with Microsoft\'s exact text), the cause, how to confirm it by hand, the fix, and the check and code that detect it. ' +
      'Commands show placeholders such as `<mailbox>`; in a report of a real run they carry that run\'s values.',
    '',
    ...symptomIndex(index),
  ];
  for (const { step, entries } of byStep(index)) {
    out.push('', `## ${stepHeading(step)}`);
    for (const e of entries) out.push('', entrySection(e));
  }
  return `${out.join('\n')}\n`;
}

