import { builtinChecks } from '../../../checks/index.js';
import type { CheckDefinition } from '../../core/check.js';
import type { Explanation } from '../../core/explanation.js';
import { genericExplanations } from '../../core/generic-explanations.js';
import { statusOfCode } from '../../core/codes.js';
import { UsageError } from '../../core/usage-error.js';

const STEP_NAMES: Record<number, string> = {
  1: 'Step 1 — start the Email app in Webex Connect',
  2: 'Step 2 — the app registration in Microsoft Entra ID',
  3: 'Step 3 — the mailbox user in Microsoft 365',
  4: 'Step 4 — finish the Email app and verify',
};

/** `wxmail explain <check-id|CODE>`: rendered from the same explanation entries the reports use. */
export function explain(topic: string, checks: CheckDefinition<any>[] = builtinChecks): number {
  const check = checks.find((c) => c.id === topic);
  if (check) {
    const out = [
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
    ].filter((l, i, a) => l !== '' || a[i - 1] !== '');
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  }
  const code = topic.toUpperCase();
  const owners = checks.filter((c) => c.explanations[code]);
  const entry: Explanation | undefined = owners[0]?.explanations[code] ?? genericExplanations[code];
  if (!entry) throw new UsageError(`explain: '${topic}' is neither a check id nor a reason code (see \`wxmail checks\`)`);
  const out = [
    `${code} (${statusOfCode(code) ?? 'unknown status'}) — ${entry.title}`,
    owners.length ? `Reported by: ${owners.map((c) => c.id).join(', ')}` : 'Reported by: any check',
    entry.step ? STEP_NAMES[entry.step] ?? '' : '',
    '',
    `What you see: ${entry.seen}`,
    `Cause: ${entry.cause}`,
    `Confirm by hand: ${entry.confirm}`,
    `Fix: ${entry.fix}`,
    ...(entry.portal?.length ? ['', 'Portal:', ...entry.portal.map((p) => `  ${p}`)] : []),
    ...(entry.commands?.length ? ['', 'Commands:', ...entry.commands.map((c) => `  ${c}`)] : []),
    ...(entry.links?.length ? ['', 'Links:', ...entry.links.map((l) => `  ${l}`)] : []),
  ].filter((l) => l !== undefined);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
