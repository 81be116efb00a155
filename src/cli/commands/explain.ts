import { builtinChecks } from '../../../checks/index.js';
import type { CheckDefinition } from '../../core/check.js';
import { statusOfCode } from '../../core/codes.js';
import { buildIndex, byStep, lookup, type GenericLookup, type IndexedEntry } from '../../core/explanation-index.js';
import { UsageError } from '../../core/usage-error.js';
import { stripTerminalControls } from '../../report/sanitize.js';

const STEP_NAMES: Record<number, string> = {
  1: 'Step 1 — start the Email app in Webex Connect',
  2: 'Step 2 — the app registration in Microsoft Entra ID',
  3: 'Step 3 — the mailbox user in Microsoft 365',
  4: 'Step 4 — finish the Email app and verify',
};

const stepName = (step: number | null) => (step === null ? 'Any step — why a check did not run, or could not run' : STEP_NAMES[step] ?? `Step ${step}`);

function write(lines: string[]): number {
  process.stdout.write(`${lines.filter((l, i, a) => l !== '' || (i > 0 && a[i - 1] !== '')).join('\n')}\n`);
  return 0;
}

function checkLines(check: CheckDefinition<any>): string[] {
  return [
    `${check.id} — ${check.title}`,
    STEP_NAMES[check.step] ?? `Step ${check.step}`,
    '',
    check.description,
    '',
    check.permissions?.length ? `Permissions the reading identity needs: ${check.permissions.join(', ')}` : '',
    check.optIn ? 'Opt-in: runs only with --send-test (it sends a real message).' : '',
    'Codes it can report:',
    ...Object.entries(check.explanations).map(([code, e]) => `  ${code} (${statusOfCode(code) ?? '?'}) — ${e.title}`),
    '',
    `\`wxmail explain <CODE>\` shows the cause and the fix of one code.`,
  ];
}

function entryLines(e: IndexedEntry): string[] {
  const entry = e.entry;
  return [
    `${e.code} (${e.status ?? 'unknown status'}) — ${entry.title}`,
    e.checks.length ? `Reported by: ${e.checks.join(', ')}` : 'Reported by: any check',
    e.step ? STEP_NAMES[e.step] ?? '' : '',
    '',
    ...e.seen.map((s, i) => `${i ? 'Also seen' : 'What you see'}: ${s}`),
    `Cause: ${entry.cause}`,
    `Confirm by hand: ${entry.confirm}`,
    `Fix: ${entry.fix}`,
    ...(entry.portal?.length ? ['', 'Portal:', ...entry.portal.map((p) => `  ${p}`)] : []),
    ...(entry.commands?.length ? ['', 'Commands:', ...entry.commands.map((c) => `  ${c}`)] : []),
    ...(entry.links?.length ? ['', 'Links:', ...entry.links.map((l) => `  ${l}`)] : []),
  ];
}

function genericLines(g: GenericLookup): string[] {
  return [g.title, '', g.text, ...(g.reportedAs ? [`Reported as: ${g.reportedAs} (\`wxmail explain ${g.reportedAs}\`)`] : []), '', 'Links:', ...g.links.map((l) => `  ${l}`)];
}

function candidateLine(e: IndexedEntry): string[] {
  return [`  ${e.code} (${e.status ?? '?'}) — ${e.entry.title}${e.checks.length ? ` [${e.checks.join(', ')}]` : ''}`, ...e.seen.map((s) => `      seen: ${s}`)];
}

/** `wxmail explain --list`: every entry, by the guide's step. */
export function explainList(checks: CheckDefinition<any>[] = builtinChecks): number {
  const out: string[] = [];
  for (const { step, entries } of byStep(buildIndex(checks))) {
    out.push(stepName(step));
    for (const e of entries) out.push(`  ${e.code.padEnd(34)} ${(e.status ?? '?').padEnd(5)} ${e.entry.title}${e.checks.length ? ` [${e.checks.join(', ')}]` : ''}`);
    out.push('');
  }
  out.push('`wxmail explain <CODE>` shows one entry; `wxmail explain "<error text>"` finds one from what you saw.');
  return write(out);
}

/**
 * `wxmail explain <check-id|CODE|AADSTS number|SMTP status|error line>`: rendered from the same
 * explanation entries the reports use.
 */
export function explain(topicRaw: string, checks: CheckDefinition<any>[] = builtinChecks): number {
  // What a user pastes is tenant or server text: no control sequence reaches the terminal.
  const topic = stripTerminalControls(topicRaw).replace(/\s+/g, ' ').trim();
  if (!topic) throw new UsageError('explain: name a check id, a reason code, an AADSTS number, an SMTP status or paste the error text (or --list)');
  const found = lookup(topic, checks);
  switch (found.kind) {
    case 'check':
      return write(checkLines(found.check));
    case 'entry':
      return write([
        ...entryLines(found.entry),
        ...(found.also.length ? ['', `Also fits ${found.matchedBy}:`, ...found.also.map((e) => `  ${e.code} — ${e.entry.title} (\`wxmail explain ${e.code}\`)`)] : []),
      ]);
    case 'candidates':
      return write([
        `${found.matchedBy} fits ${found.candidates.length} entries; paste the whole error line to pick one, or run \`wxmail explain <CODE>\`:`,
        '',
        ...found.candidates.flatMap(candidateLine),
      ]);
    case 'generic':
      return write(genericLines(found.generic));
    case 'none': {
      const hint = found.suggestions.length ? ` Did you mean ${found.suggestions.join(', ')}?` : '';
      const shown = topic.length > 60 ? `${topic.slice(0, 57)}...` : topic;
      throw new UsageError(
        `explain: '${shown}' is neither a check id nor a reason code, nor an AADSTS number, SMTP status or error text wxmail knows.${hint} (\`wxmail explain --list\` lists every entry)`,
      );
    }
  }
}
