import { styleText } from 'node:util';
import type { Status } from '../core/codes.js';
import { isHarmfulSkip } from '../core/overall.js';
import type { CheckResult, ReportModel } from '../core/result.js';
import { compactEvidence } from './finding-text.js';
import { assetsOf, fleetLines } from './fleet-text.js';
import { findingsInOrder } from './markdown.js';
import { markdownToPlain, wrap, wrapInline } from './markdown-plain.js';
import { mapStrings, stripTerminalControls } from './sanitize.js';
import { STATUS_WORD, checkLabel, countsText, durationText, exitMeaning, readerIdentityText, sourceText } from './wording.js';

/**
 * The default, human format, read like `flutter doctor`: one line per finding first, then how to
 * fix each (in the order to fix them, a fix shared by several checks or assets once), then a
 * short "what to fix, in order" list and a summary that says why the run ends as it does.
 * Evidence, request ids and `source:` lines only with --verbose; the JSON, Markdown and HTML
 * reports keep all of it. Prose wraps at `width`; commands, URLs and ids never do.
 */

export interface TextOptions {
  color: boolean;
  /** `--verbose`: evidence, request ids, full explanations, harmless skips and passes in full. */
  verbose?: boolean;
  /** Columns to wrap prose at: the terminal's, or 100 when not a terminal. */
  width?: number;
}

type Format = Parameters<typeof styleText>[0];

const STATUS_STYLE: Record<Status, Format> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skip: 'gray',
  error: 'magenta',
};
const STATUS_SYMBOL: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', error: '✗' };

const INDENT = '  ';
/** Everything under a status line lines up under the check id: indent + widest status word + gap. */
const BODY_INDENT = ' '.repeat(INDENT.length + 'ERROR'.length + 2);
export const DEFAULT_WIDTH = 100;
/** Below this a terminal is too narrow to wrap into; lines then run long instead. */
const MIN_WIDTH = 60;

interface Painter {
  color: boolean;
  paint(format: Format, s: string): string;
  status(status: Status): string;
}

function painter(color: boolean): Painter {
  // validateStream off: the caller already decided from the stream this text goes to.
  const paint = (format: Format, s: string) => (color ? styleText(format, s, { validateStream: false }) : s);
  return {
    color,
    paint,
    status: (status) => {
      const word = STATUS_WORD[status].padEnd('ERROR'.length);
      return color ? paint(STATUS_STYLE[status], `${STATUS_SYMBOL[status]} ${word}`) : word;
    },
  };
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** Cut at `room` characters with an ellipsis; the full text is shown further down. */
function fit(s: string, room: number): string {
  return s.length <= room ? s : `${s.slice(0, Math.max(1, room - 1)).trimEnd()}…`;
}

function header(model: ReportModel, p: Painter): string[] {
  const t = model.target;
  const lines = [
    `${p.paint('bold', `wxmail ${model.tool.version} - Webex Connect email channel on Microsoft 365`)} - ${model.startedAt} (${durationText(model.durationMs)})`,
    `${INDENT}Tenant:    ${t.tenantId ?? '(not given)'}   Cloud: ${t.cloud}`,
    `${INDENT}Client id: ${t.clientId ?? '(not given)'}   Reader: ${readerIdentityText(model.environment.readerIdentity)}`,
  ];
  // One line, unwrapped: it names when and where the facts were collected, and is searched for whole.
  const source = sourceText(model);
  if (source) lines.push(`${INDENT}Facts:     ${source}`);
  return lines;
}

/** Fails before errors before warnings before skips; within a status, by setup step. */
function fixOrder(model: ReportModel): CheckResult[] {
  return findingsInOrder(model);
}

/** A finding that gets its own entry: not a skip nobody needs to act on (--send-test not asked). */
function actionable(c: CheckResult, verbose: boolean): boolean {
  return c.status !== 'pass' && (verbose || c.status !== 'skip' || isHarmfulSkip(c));
}

/** "a, b (mailbox)" when the checks share an asset, else "a (mailbox), b". */
function labelOf(checks: CheckResult[]): string {
  const asset = checks[0]!.asset;
  return checks.every((x) => x.asset === asset) ? checkLabel(checks.map((x) => x.id).join(', '), asset) : checks.map((x) => checkLabel(x.id, x.asset)).join(', ');
}

function statusLine(checks: CheckResult[], p: Painter, width: number): string {
  const c = checks[0]!;
  const label = labelOf(checks);
  const code = c.code ? `  ${c.code}` : '';
  // Measured without colour codes; in colour the status carries a symbol and a space more.
  const head = `${INDENT}${STATUS_WORD[c.status].padEnd(5)}  ${label}  `;
  const room = Math.max(30, width - head.length - code.length - (p.color ? 2 : 0));
  return `${INDENT}${p.status(c.status)}  ${label}  ${fit(oneLine(c.summary), room)}${code}`;
}

/** Skips nobody has to act on that say the same thing (--send-test not asked) share one line. */
function overviewRows(findings: CheckResult[]): CheckResult[][] {
  const rows: CheckResult[][] = [];
  for (const c of findings) {
    const same = rows.find((r) => {
      const x = r[0]!;
      return c.status === 'skip' && !isHarmfulSkip(c) && x.status === 'skip' && x.code === c.code && x.summary === c.summary && x.asset === c.asset;
    });
    if (same) same.push(c);
    else rows.push([c]);
  }
  return rows;
}

/** Items joined with ", " and wrapped at the commas, never inside an item (an id, an address). */
function commaWrap(first: string, items: string[], width: number): string[] {
  const lines: string[] = [];
  let cur = first;
  for (const [i, label] of items.entries()) {
    const item = i < items.length - 1 ? `${label},` : label;
    if (cur.trim() && BODY_INDENT.length + cur.length + 1 + item.length > width) {
      lines.push(cur);
      cur = item;
    } else cur = cur ? `${cur}${cur.endsWith(' ') ? '' : ' '}${item}` : item;
  }
  lines.push(cur);
  return lines;
}

/**
 * Passing checks in a few lines, by asset: "PASS   id, id, …" for the tenant-wide checks, then
 * "PASS   mailbox: id, id, …" for each asset (a fleet reads asset by asset).
 */
function passLines(passes: CheckResult[], p: Painter, width: number): string[] {
  const assets = [...new Set(passes.map((c) => c.asset))].sort((a, b) => (a === null ? -1 : b === null ? 1 : 0));
  return assets.flatMap((asset) => {
    const ids = passes.filter((c) => c.asset === asset).map((c) => c.id);
    return commaWrap(asset === null ? '' : `${asset}: `, ids, width).map((l, i) => (i === 0 ? `${INDENT}${p.status('pass')}  ${l}` : `${BODY_INDENT}${l}`));
  });
}

function overview(model: ReportModel, p: Painter, width: number, verbose: boolean): string[] {
  const findings = fixOrder(model);
  const passes = model.checks.filter((c) => c.status === 'pass');
  const out = (verbose ? findings.map((c) => [c]) : overviewRows(findings)).map((row) => statusLine(row, p, width));
  if (verbose) out.push(...passes.map((c) => statusLine([c], p, width)));
  else out.push(...passLines(passes, p, width));
  return out;
}

/** Findings that share one fix (the same code and the same remediation) get one entry. */
interface Entry {
  checks: CheckResult[];
}

function entries(model: ReportModel, verbose: boolean): Entry[] {
  const byKey = new Map<string, Entry>();
  const out: Entry[] = [];
  for (const c of fixOrder(model).filter((x) => actionable(x, verbose))) {
    // Without a remediation there is nothing shared to show once: each such finding stands alone.
    const key = c.remediation ? JSON.stringify([c.status, c.code, c.remediation]) : `${out.length}:${c.id}:${c.asset}`;
    const entry = byKey.get(key);
    if (entry) entry.checks.push(c);
    else {
      const e = { checks: [c] };
      byKey.set(key, e);
      out.push(e);
    }
  }
  return out;
}

/** The first sentence of a fix: what to do. The why that follows is for --verbose and the other formats. */
export function firstSentence(text: string): string {
  const flat = oneLine(text);
  const re = /[.!?](?=\s+["'(]?[A-Z])/g;
  for (let m = re.exec(flat); m; m = re.exec(flat)) {
    const before = flat.slice(0, m.index + 1);
    // "e.g. Global Reader" is not the end of a sentence.
    if (/\b(e\.g|i\.e|etc|vs|cf)\.$/i.test(before)) continue;
    return before;
  }
  return flat;
}

/** What the short closing list says for an entry: the fix's first sentence without the guide prefix. */
function fixHeadline(c: CheckResult): string {
  // Still markdown: the caller wraps it, keeping inline commands whole.
  const text = c.remediation?.text.trim() ? firstSentence(c.remediation.text) : oneLine(c.summary).replace(/[\\`*_[\]<]/g, '\\$&');
  return text.replace(/^Setup guide step \d+(?: \([^)]*\))?:\s*/i, '').replace(/^./, (ch) => ch.toUpperCase());
}

/** Blocks, portal paths and links already printed: shared text is shown once in a report. */
class Shown {
  private seen = new Set<string>();
  first(s: string): boolean {
    const k = oneLine(s);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}

interface Ctx {
  p: Painter;
  width: number;
  verbose: boolean;
  shown: Shown;
}

function labelled(label: string, values: string[], p: Painter): string[] {
  return values.map((v, i) => (i === 0 ? `${p.paint('bold', label)} ` : ' '.repeat(label.length + 1)) + v);
}

/** Prose blocks of the details: without --verbose no `source:` lines, and each block once per report. */
function detailBlocks(c: CheckResult, ctx: Ctx, width: number): string[] {
  if (!c.details.trim()) return [];
  const blocks = markdownToPlain(c.details, width).split('\n\n');
  const out: string[] = [];
  for (const block of blocks) {
    const kept = ctx.verbose ? block : block.split('\n').filter((l) => !/^\s*source: /i.test(l)).join('\n');
    if (!kept.trim() || !ctx.shown.first(kept)) continue;
    // A lone intro line ("Two ways out:") stays with what it introduces.
    if (out.length && !/:\s*$/.test(out[out.length - 1]!)) out.push('');
    out.push(...kept.split('\n'));
  }
  return out;
}

function entryLines(entry: Entry, n: number, ctx: Ctx): string[] {
  const { p, width, verbose } = ctx;
  const [first] = entry.checks as [CheckResult, ...CheckResult[]];
  const body = width - BODY_INDENT.length;
  const members = labelOf(entry.checks);
  // The title is the finding in full (the overview cut it to one line); several checks that share
  // the fix are named together, with the first one's summary (each one's is in the overview).
  const titleHead = `${INDENT}${`${n}.`.padEnd(3)}${STATUS_WORD[first.status]} `;
  const titleText = `${members}: ${oneLine(first.summary)}`;
  const wrapped = wrap(titleText, width - titleHead.length);
  const lines: string[] = [];
  if (verbose) for (const c of entry.checks.slice(1)) lines.push(...wrap(`${checkLabel(c.id, c.asset)}: ${oneLine(c.summary)}`, body));
  // Without --verbose the explanation is the summary above and the fix below; details on demand.
  if (verbose) for (const c of entry.checks) lines.push(...detailBlocks(c, ctx, body));

  const r = first.remediation;
  if (r) {
    if (verbose && r.text.trim() && ctx.shown.first(`fix:${r.text}`)) {
      lines.push(...labelled('Fix:', markdownToPlain(r.text, body - 'Fix: '.length).split('\n'), p));
    }
    const portal = r.portal.filter((x) => ctx.shown.first(`portal:${x}`));
    lines.push(...labelled('Portal:', verbose ? portal : portal.slice(0, 1), p));
    if (r.commands.length) {
      if (ctx.shown.first(`run:${r.commands.join('\n')}`)) {
        lines.push(p.paint('bold', 'Run:'));
        for (const command of r.commands) lines.push(...command.split('\n').map((l) => `    ${p.paint('cyan', l)}`));
      } else lines.push('Run: the same commands as above.');
    }
    if (verbose) lines.push(...labelled('See:', r.links.filter((x) => ctx.shown.first(`see:${x}`)), p));
  }
  if (verbose) {
    for (const c of entry.checks) {
      const who = entry.checks.length > 1 ? ` (${checkLabel(c.id, c.asset)})` : '';
      const evidence = compactEvidence(c.evidence);
      if (evidence) lines.push(`${p.paint('bold', `Evidence${who}:`)} ${evidence}`);
      if (c.requestIds.length) lines.push(`${p.paint('bold', `Request ids${who}:`)} ${c.requestIds.join(', ')}`);
    }
  }
  return [
    `${titleHead}${p.paint('bold', wrapped[0]!)}`,
    ...wrapped.slice(1).map((l) => BODY_INDENT + l),
    ...lines.map((l) => (l ? BODY_INDENT + l : '')),
  ];
}

/** The closing to-do list: one item per entry, in the order to fix, each the fix's first sentence. */
function whatToFix(all: Entry[], p: Painter, width: number): string[] {
  // --verbose gives harmless skips an entry too; there is nothing to fix about them.
  const list = all.filter((e) => actionable(e.checks[0]!, false));
  if (!list.length) return [];
  const out = [p.paint('bold', 'What to fix, in order')];
  list.forEach((e, i) => {
    const c = e.checks[0]!;
    const head = `${INDENT}${`${i + 1}.`.padEnd(3)}`;
    const who = e.checks.length > 1 ? `${c.id} and ${e.checks.length - 1} more` : checkLabel(c.id, c.asset);
    const lines = wrapInline(`Step ${c.step}, ${who}: `, fixHeadline(c), width - head.length);
    out.push(...lines.map((l, j) => (j === 0 ? head : ' '.repeat(head.length)) + l));
  });
  return out;
}

function footer(model: ReportModel, p: Painter, width: number, hidden: boolean): string[] {
  const overall = p.paint(['bold', STATUS_STYLE[model.status]] as Format, model.status.toUpperCase());
  const plain = `Summary: ${countsText(model)}. Overall: ${model.status.toUpperCase()} (${exitMeaning(model)}).`;
  const lines = wrap(plain, width);
  lines[0] = lines[0]!.replace(` ${model.status.toUpperCase()} (`, ` ${overall} (`);
  if (hidden) {
    lines.push(
      ...wrap('More: --verbose, --format markdown|html|json, or wxmail explain <CODE>.', width),
    );
  }
  return lines;
}

export function renderText(report: ReportModel, opts: TextOptions): string {
  // Content may hold bytes Microsoft or a mail server sent; ESC in it must not reach a terminal.
  const model = mapStrings(report, stripTerminalControls);
  const p = painter(opts.color);
  const width = Math.max(MIN_WIDTH, opts.width ?? DEFAULT_WIDTH);
  const verbose = !!opts.verbose;
  const out: string[] = [...header(model, p), ''];
  if (model.checks.length === 0) out.push('No checks ran.', '');
  else {
    // A fleet opens with the asset × failing-checks table, findings shared by every asset once.
    if (assetsOf(model).length > 1) out.push(...fleetLines(model, { check: (c) => [statusLine([c], p, width)], bold: (x) => p.paint('bold', x) }));
    else out.push(...overview(model, p, width, verbose), '');
    const list = entries(model, verbose);
    const ctx: Ctx = { p, width, verbose, shown: new Shown() };
    // No blank line between entries: the number at the margin separates them, and the report fits two screens.
    for (const [i, e] of list.entries()) out.push(...entryLines(e, i + 1, ctx));
    if (list.length) out.push('');
    if (list.length) out.push(...whatToFix(list, p, width), '');
  }
  const hidden = !verbose && model.checks.some((c) => c.status !== 'pass' && (Object.keys(c.evidence).length || c.requestIds.length || c.details.trim()));
  out.push(...footer(model, p, width, hidden));
  return `${out.join('\n')}\n`;
}
