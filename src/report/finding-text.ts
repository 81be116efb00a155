import type { CheckResult } from '../core/result.js';
import { markdownToPlain } from './markdown-plain.js';

/**
 * The plain-text body of one non-pass result — code, details, fix, portal paths, commands,
 * links, short evidence, request ids — shared by the text and JUnit formats so a CI log and a
 * terminal say the same thing.
 */

export interface Emphasis {
  label(s: string): string;
  command(s: string): string;
}

const NO_EMPHASIS: Emphasis = { label: (s) => s, command: (s) => s };

const MAX_EVIDENCE_VALUE = 80;

/** Only short scalars: a compact hint for the reader; the full evidence is in the JSON report. */
export function compactEvidence(evidence: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(evidence)) {
    // null means "not known" or "not set": printing "via: null" tells a reader nothing.
    if (value === null || value === undefined) continue;
    const scalar =
      typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : typeof value === 'string' && value.length <= MAX_EVIDENCE_VALUE && !/[\n\r]/.test(value)
          ? value
          : undefined;
    if (scalar !== undefined) parts.push(`${key}: ${scalar}`);
  }
  return parts.join(', ');
}

function labelled(label: string, values: string[], emphasis: Emphasis): string[] {
  return values.map((v, i) => (i === 0 ? `${emphasis.label(label)} ` : ' '.repeat(label.length + 1)) + v);
}

/** `width` wraps prose (not commands, code or tables); the default leaves lines as they are. */
export function findingLines(check: CheckResult, emphasis: Emphasis = NO_EMPHASIS, width = Infinity): string[] {
  const lines: string[] = [];
  if (check.code) lines.push(`${emphasis.label('Code:')} ${check.code}  (wxmail explain ${check.code})`);
  if (check.details.trim()) lines.push(...markdownToPlain(check.details, width).split('\n'));
  const r = check.remediation;
  if (r) {
    if (r.text.trim()) lines.push(...labelled('Fix:', markdownToPlain(r.text, width - 'Fix: '.length).split('\n'), emphasis));
    lines.push(...labelled('Portal:', r.portal, emphasis));
    if (r.commands.length) {
      lines.push(emphasis.label('Run:'));
      for (const command of r.commands) lines.push(...command.split('\n').map((l) => `    ${emphasis.command(l)}`));
    }
    lines.push(...labelled('See:', r.links, emphasis));
  }
  const evidence = compactEvidence(check.evidence);
  if (evidence) lines.push(`${emphasis.label('Evidence:')} ${evidence}`);
  if (check.requestIds.length) lines.push(`${emphasis.label('Request ids:')} ${check.requestIds.join(', ')}`);
  return lines;
}
