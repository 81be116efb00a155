import type { CheckResult } from '../core/result.js';

/** The setup guide's steps, in the words a Webex Connect admin knows from the guide. */
export const STEP_TITLES: Readonly<Record<number, string>> = {
  1: 'Start the Email app in Webex Connect',
  2: 'App registration in Microsoft Entra ID',
  3: 'Mailbox user in Microsoft 365 / Exchange Online',
  4: 'Finish and verify (SMTP and mail flow)',
};

export interface StepGroup {
  step: number;
  title: string;
  checks: CheckResult[];
}

export function stepTitle(step: number): string {
  return STEP_TITLES[step] ?? `Step ${step}`;
}

/** Checks by guide step, steps in order, checks in report order within a step. */
export function groupByStep(checks: readonly CheckResult[]): StepGroup[] {
  const steps = [...new Set(checks.map((c) => c.step))].sort((a, b) => a - b);
  return steps.map((step) => ({ step, title: stepTitle(step), checks: checks.filter((c) => c.step === step) }));
}

/** The group is the id's prefix (`entra.token` → `entra`), as `--only 'entra.*'` uses it. */
export function groupOf(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
}

/** Groups in order of first appearance. */
export function groupByPrefix(checks: readonly CheckResult[]): { group: string; checks: CheckResult[] }[] {
  const groups = new Map<string, CheckResult[]>();
  for (const c of checks) {
    const g = groupOf(c.id);
    const list = groups.get(g) ?? [];
    list.push(c);
    groups.set(g, list);
  }
  return [...groups].map(([group, list]) => ({ group, checks: list }));
}
