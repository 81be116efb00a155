import type { Asset, RunConfig } from '../config/types.js';
import { CODE_ORDER, severity, statusOfCode, type Code } from './codes.js';
import type { ExplanationTable } from './explanation.js';
import type { FactError } from './fact-error.js';
import type { FactDefinition } from './fact.js';
import type { FixValues } from './fix-values.js';

/** A fact a check can live without: it receives the outcome instead of being skipped. */
export interface OptionalNeed<T> {
  optional: true;
  fact: FactDefinition<T>;
}
export type Need = FactDefinition<any> | OptionalNeed<any>;
export type Needs = Record<string, Need>;

export type FactOutcome<T> = { ok: true; value: T } | { ok: false; error: FactError };

export type Resolved<N extends Needs> = {
  [K in keyof N]: N[K] extends OptionalNeed<infer T> ? FactOutcome<T> : N[K] extends FactDefinition<infer U> ? U : never;
};

export function optional<T>(fact: FactDefinition<T>): OptionalNeed<T> {
  return { optional: true, fact };
}

/** One problem a check found; a check that finds several reports them all. */
export interface Finding {
  code: Code;
  /** One line. */
  message: string;
}

/** What a check's run returns. Status follows from the code (or pass when code is null). */
export interface Outcome {
  code: Code | null;
  summary: string;
  /** Markdown. */
  details?: string;
  evidence?: Record<string, unknown>;
  requestIds?: string[];
  /** Every problem found, when there are several; `code` is the most severe of them. */
  findings?: Finding[];
  /** Placeholders of the fix this check knows (`rule-name`, `policy-name`): see src/core/fix-values.ts. */
  values?: FixValues;
}

export interface CheckContext {
  config: RunConfig;
  /** The asset this run of the check is for (asset-scoped checks), else null. */
  asset: Asset | null;
  now: Date;
}

export interface CheckDefinition<N extends Needs = Needs> {
  /** `group.name`; the group is the folder under checks/. */
  id: string;
  title: string;
  /** The setup guide's step (1–4). */
  step: number;
  /** What it verifies and why it matters for Webex Connect (for `wxmail explain`, `wxmail checks`). */
  description: string;
  scope: 'tenant' | 'asset';
  needs: N;
  /** Checks that must pass (or warn) first; a skip cascades, a fail/error gives DEPENDENCY_FAILED. */
  requires?: string[] | ((config: RunConfig) => string[]);
  /** Opt-in probes: NOT_REQUESTED unless the run asks for them. */
  optIn?: 'sendTest';
  /**
   * Before facts are collected: a reason not to run (INPUT_MISSING, NOT_APPLICABLE). Pure.
   * Returning an outcome ends the check with it; its facts are never fetched.
   */
  precondition?(ctx: CheckContext): Outcome | null;
  /** Permissions the reading identity needs, for the README and MISSING_PERMISSION texts. */
  permissions?: string[];
  /** Overrides the per-check timeout (e.g. the round trip waits --roundtrip-timeout). */
  timeoutMs?: number | ((config: RunConfig) => number);
  /** Every code this check can emit, with its explanation. */
  explanations: ExplanationTable;
  run(facts: Resolved<N>, ctx: CheckContext): Outcome | Promise<Outcome>;
}

export function defineCheck<N extends Needs>(def: CheckDefinition<N>): CheckDefinition<N> {
  return def;
}

export function groupOf(id: string): string {
  return id.split('.')[0] ?? id;
}

// Outcome helpers: a check says what it found; the status comes from the code's contract entry.
export function pass(summary: string, extra: Omit<Outcome, 'code' | 'summary'> = {}): Outcome {
  return { code: null, summary, ...extra };
}

export function finding(code: Code, summary: string, extra: Omit<Outcome, 'code' | 'summary'> = {}): Outcome {
  return { code, summary, ...extra };
}

/**
 * Folds several findings into one outcome: the most severe code (fail before warn; among equals
 * the first in the contract table), and every finding listed in the details.
 */
export function fromFindings(
  findings: Finding[],
  passSummary: string,
  extra: Omit<Outcome, 'code' | 'summary' | 'findings'> = {},
): Outcome {
  if (findings.length === 0) return pass(passSummary, extra);
  const top = mostSevere(findings);
  const list = findings.map((f) => `- \`${f.code}\`: ${f.message}`).join('\n');
  const details = findings.length > 1 ? [list, extra.details].filter(Boolean).join('\n\n') : extra.details;
  return { ...extra, code: top.code, summary: top.message, findings, ...(details ? { details } : {}) };
}

export function mostSevere(findings: Finding[]): Finding {
  const rank = (f: Finding): [number, number] => {
    const s = statusOfCode(f.code) ?? 'error';
    const i = CODE_ORDER.indexOf(f.code);
    return [severity(s), i < 0 ? CODE_ORDER.length : i];
  };
  return [...findings].sort((a, b) => {
    const [sa, ia] = rank(a);
    const [sb, ib] = rank(b);
    return sb - sa || ia - ib;
  })[0]!;
}
