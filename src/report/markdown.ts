import type { Status } from '../core/codes.js';
import type { CheckResult, ReportModel } from '../core/result.js';
import { mapStrings, stripTerminalControls } from './sanitize.js';
import { fence, mdCode, mdText, safeMarkdown } from './markdown-safe.js';
import { groupByStep, stepTitle } from './steps.js';
import { STATUS_WORD, countsText, durationText, exitMeaning, readerIdentityText, sourceText } from './wording.js';

/**
 * Ticket-ready GitHub-flavoured markdown: what a customer pastes into a TAC case or a CI step
 * summary. GitHub rejects step summaries over 1 MiB, so the report keeps under that by
 * shortening the longest findings first and saying so; the JSON report keeps everything.
 */

export const MARKDOWN_MAX_BYTES = 1024 * 1024;

/** Findings a reader should act on first come first. */
const FINDING_ORDER: Record<Status, number> = { fail: 0, error: 1, warn: 2, skip: 3, pass: 4 };

/** An autolink for URLs; anything else (a guide section, say) stays text, never a raw tag. */
function link(l: string): string {
  return /^https?:\/\/\S+$/i.test(l) ? `<${l.replace(/[<>]/g, encodeURIComponent)}>` : mdText(l);
}

/** Code spans do not escape pipes; GFM splits cells before it parses spans. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function summaryTable(model: ReportModel): string[] {
  const rows = groupByStep(model.checks).flatMap((g) => g.checks);
  return [
    '| Status | Check | Asset | Code | Summary |',
    '|---|---|---|---|---|',
    ...rows.map((c) =>
      [
        `**${STATUS_WORD[c.status]}**`,
        cell(mdCode(c.id)),
        c.asset ? mdText(c.asset) : '—',
        c.code ? cell(mdCode(c.code)) : '—',
        mdText(c.summary),
      ].join(' | '),
    ).map((r) => `| ${r} |`),
  ];
}

/** How much of one finding's long parts (details, evidence) a render may show. */
interface Budget {
  /** Characters of details + evidence to keep; Infinity when not shortened. */
  chars: number;
}

/** Cut markdown at a line boundary and close a code fence the cut left open. */
function cutMarkdown(md: string, chars: number): string {
  let cut = md.slice(0, chars);
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > chars / 2) cut = cut.slice(0, lastBreak);
  const fences = cut.match(/^\s{0,3}(`{3,}|~{3,})/gm) ?? [];
  if (fences.length % 2 === 1) cut += `\n${fences[fences.length - 1]!.trim()}`;
  return cut;
}

/** The size search renders each finding many times: its parts are computed once. */
const partsCache = new WeakMap<CheckResult, { details: string; evidence: string }>();

function longParts(check: CheckResult): { details: string; evidence: string } {
  let parts = partsCache.get(check);
  if (!parts) {
    const evidence = Object.keys(check.evidence).length ? JSON.stringify(check.evidence, null, 2) : '';
    parts = { details: safeMarkdown(check.details.trim()), evidence };
    partsCache.set(check, parts);
  }
  return parts;
}

function longPartsLength(check: CheckResult): number {
  const { details, evidence } = longParts(check);
  return details.length + evidence.length;
}

function finding(check: CheckResult, budget: Budget): string[] {
  const out: string[] = [];
  // The heading is the finding; the check's title says what passing looks like, so it goes below.
  const heading = `### ${STATUS_WORD[check.status]} ${mdText(check.id)}${check.asset ? ` (${mdText(check.asset)})` : ''} — ${mdText(check.summary)}`;
  out.push(heading, '');
  out.push(`Step ${check.step} · ${mdText(stepTitle(check.step))} · code ${check.code ? mdCode(check.code) : '—'} · checks: ${mdText(check.title)}`, '');

  const { details, evidence } = longParts(check);
  const total = details.length + evidence.length;
  const shown = Math.min(details.length, budget.chars);
  if (details) out.push(shown < details.length ? cutMarkdown(details, shown) : details, '');
  const evidenceRoom = Math.max(0, budget.chars - details.length);
  if (evidence && evidenceRoom > 0) {
    const text = evidence.length > evidenceRoom ? `${evidence.slice(0, evidenceRoom)}\n…` : evidence;
    out.push('**Evidence:**', '', fence(text, 'json'), '');
  }
  if (total > budget.chars) {
    out.push(`*[Truncated: ${Math.max(0, budget.chars)} of ${total} characters of details and evidence shown; the JSON report has all of it.]*`, '');
  }

  const r = check.remediation;
  if (r) {
    if (r.text.trim()) out.push(`**Fix:** ${safeMarkdown(r.text.trim())}`, '');
    if (r.portal.length) out.push('**Portal:**', '', ...r.portal.map((p) => `- ${mdText(p)}`), '');
    if (r.commands.length) out.push('**Commands:**', '', ...r.commands.map((c) => `${fence(c)}\n`));
    if (r.links.length) out.push('**Links:**', '', ...r.links.map((l) => `- ${link(l)}`), '');
  }
  if (check.requestIds.length) out.push(`Request ids: ${check.requestIds.map(mdCode).join(', ')}`, '');
  return out;
}

function environment(model: ReportModel): string[] {
  const t = model.target;
  return [
    '## Environment',
    '',
    `- **Tool:** wxmail ${mdText(model.tool.version)}`,
    `- **Node:** ${mdText(model.environment.node)}`,
    `- **OS:** ${mdText(model.environment.os)}`,
    `- **Target:** tenant ${t.tenantId ? mdCode(t.tenantId) : '(not given)'}, client id ${t.clientId ? mdCode(t.clientId) : '(not given)'}, cloud ${mdCode(t.cloud)}`,
    `- **Reader identity:** ${mdText(readerIdentityText(model.environment.readerIdentity))}`,
    `- **Started:** ${mdText(model.startedAt)}`,
    `- **Duration:** ${durationText(model.durationMs)}`,
  ];
}

export function findingsInOrder(model: ReportModel): CheckResult[] {
  return groupByStep(model.checks)
    .flatMap((g) => g.checks)
    .filter((c) => c.status !== 'pass')
    .map((c, i) => ({ c, i }))
    .sort((a, b) => FINDING_ORDER[a.c.status] - FINDING_ORDER[b.c.status] || a.i - b.i)
    .map(({ c }) => c);
}

function document(model: ReportModel, charsPerFinding: number, truncated: number): string {
  const out: string[] = [`# wxmail report: ${STATUS_WORD[model.status]}`, ''];
  out.push(`**${STATUS_WORD[model.status]}** — ${countsText(model)} (${exitMeaning(model)}).`, '');
  const source = sourceText(model);
  if (source) out.push(`> **Note:** ${mdText(source)}`, '');
  if (truncated > 0) {
    out.push(
      `> **Note:** shortened to stay under 1 MiB: the details of ${truncated} finding(s) were truncated. The JSON report (\`--format json\`) has everything.`,
      '',
    );
  }
  out.push('## Summary', '', ...summaryTable(model), '');
  const findings = findingsInOrder(model);
  out.push('## Findings', '');
  if (findings.length === 0) out.push('None: every check passed.', '');
  for (const check of findings) out.push(...finding(check, { chars: charsPerFinding }));
  out.push(...environment(model), '');
  return out.join('\n');
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Last resort (thousands of checks): cut the document itself. */
function hardCut(doc: string, maxBytes: number): string {
  const note = '\n\n> **Note:** this report was cut here to stay under 1 MiB. The JSON report (`--format json`) has everything.\n';
  let cut = Buffer.from(doc, 'utf8').subarray(0, maxBytes - bytes(note) - 16).toString('utf8').replace(/\uFFFD$/, '');
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  const fences = cut.match(/^\s{0,3}`{3,}/gm) ?? [];
  if (fences.length % 2 === 1) cut += `\n${fences[fences.length - 1]!.trim()}`;
  return cut + note;
}

export function renderMarkdown(report: ReportModel, opts: { maxBytes?: number } = {}): string {
  // A markdown file gets `cat`ed too: no escape sequences from the content.
  const model = mapStrings(report, stripTerminalControls);
  const maxBytes = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const full = document(model, Infinity, 0);
  if (bytes(full) <= maxBytes) return full;

  // The largest per-finding limit that fits: the longest findings shrink first, short ones
  // stay whole. Searched on the rendered size, which is exact for multi-byte text.
  const lengths = findingsInOrder(model).map(longPartsLength);
  const renderAt = (level: number) => document(model, level, lengths.filter((len) => len > level).length);
  let lo = 0;
  let hi = lengths.reduce((max, len) => Math.max(max, len), 0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytes(renderAt(mid)) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  const doc = renderAt(lo);
  return bytes(doc) <= maxBytes ? doc : hardCut(doc, maxBytes);
}
