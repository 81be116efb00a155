import { fillPlaceholders, type FixValues } from './fix-values.js';
import type { Remediation } from './result.js';

/**
 * Everything the tool says about one reason code, kept as data beside the check that emits it.
 * Reports and `wxmail explain` render from this one source.
 */
export interface Explanation {
  title: string;
  /** What the user sees, including the exact Microsoft error text where there is one. */
  seen: string;
  cause: string;
  /** How to confirm it by hand (portal, PowerShell, Graph). */
  confirm: string;
  fix: string;
  /** The guide's step this fix belongs to (1–4). */
  step?: number;
  portal?: string[];
  commands?: string[];
  links?: string[];
}

export type ExplanationTable = Record<string, Explanation>;

/** The remediation of an entry, its placeholders filled with the run's values (visible where unknown). */
export function remediationOf(e: Explanation, values: FixValues = {}): Remediation {
  const fill = (t: string) => fillPlaceholders(t, values);
  return { text: fill(e.fix), portal: (e.portal ?? []).map(fill), commands: (e.commands ?? []).map(fill), links: e.links ?? [] };
}
