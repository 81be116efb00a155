import { styleText } from 'node:util';
import type { Status } from '../core/codes.js';
import type { CheckResult, ReportModel } from '../core/result.js';
import { findingLines, type Emphasis } from './finding-text.js';
import { assetsOf, fleetLines } from './fleet-text.js';
import { mapStrings, stripTerminalControls } from './sanitize.js';
import { groupByStep } from './steps.js';
import { STATUS_WORD, checkLabel, countsText, durationText, exitMeaning, readerIdentityText, sourceText } from './wording.js';

/**
 * The default, human format: what an admin reads in a terminal before go-live. Checks are
 * grouped by the setup guide's steps so every finding sits where the guide says to fix it.
 * The chrome is ASCII; colour (and the symbols that go with it) only when the caller asks.
 */

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
/** Findings line up under the check id: indent + widest status word + gap. */
const BODY_INDENT = ' '.repeat(INDENT.length + 'ERROR'.length + 2);
/** Prose in findings wraps here; the renderer does not know the terminal, and 100 reads well. */
const WIDTH = 100;

interface Painter {
  paint(format: Format, s: string): string;
  status(status: Status): string;
}

function painter(color: boolean): Painter {
  // validateStream off: the caller already decided from the stream this text goes to.
  const paint = (format: Format, s: string) => (color ? styleText(format, s, { validateStream: false }) : s);
  return {
    paint,
    status: (status) => {
      const word = STATUS_WORD[status].padEnd('ERROR'.length);
      return color ? paint(STATUS_STYLE[status], `${STATUS_SYMBOL[status]} ${word}`) : word;
    },
  };
}

function header(model: ReportModel, p: Painter): string[] {
  const t = model.target;
  const rows: [string, string][] = [
    ['Tenant', t.tenantId ?? '(not given)'],
    ['Client id', t.clientId ?? '(not given)'],
    ['Cloud', t.cloud],
    ['Reader', readerIdentityText(model.environment.readerIdentity)],
    ['Started', `${model.startedAt} (took ${durationText(model.durationMs)})`],
  ];
  const source = sourceText(model);
  if (source) rows.push(['Facts', source]);
  return [
    p.paint('bold', `wxmail ${model.tool.version} - Webex Connect email channel on Microsoft 365`),
    ...rows.map(([k, v]) => `${INDENT}${`${k}:`.padEnd(11)}${v}`),
  ];
}

function checkLines(check: CheckResult, p: Painter): string[] {
  const label = checkLabel(check.id, check.asset);
  const lines = [`${INDENT}${p.status(check.status)}  ${label}  ${check.summary.replace(/\s*\n\s*/g, ' ')}`];
  if (check.status !== 'pass') {
    const emphasis: Emphasis = { label: (s) => p.paint('bold', s), command: (s) => p.paint('cyan', s) };
    for (const line of findingLines(check, emphasis, WIDTH - BODY_INDENT.length)) lines.push(line ? BODY_INDENT + line : '');
    // A blank line closes a finding, so the next status line stands out.
    if (lines.length > 1) lines.push('');
  }
  return lines;
}

function footer(model: ReportModel, p: Painter): string {
  const overall = p.paint(['bold', STATUS_STYLE[model.status]] as Format, model.status.toUpperCase());
  return `Summary: ${countsText(model)}. Overall: ${overall} (${exitMeaning(model)}).`;
}

export function renderText(report: ReportModel, opts: { color: boolean }): string {
  // Content may hold bytes Microsoft or a mail server sent; ESC in it must not reach a terminal.
  const model = mapStrings(report, stripTerminalControls);
  const p = painter(opts.color);
  const out: string[] = [...header(model, p), ''];
  if (assetsOf(model).length > 1) {
    out.push(...fleetLines(model, { check: (c) => checkLines(c, p), bold: (s) => p.paint('bold', s) }));
    out.push(footer(model, p));
    return `${out.join('\n')}\n`;
  }
  for (const group of groupByStep(model.checks)) {
    out.push(p.paint('bold', `Step ${group.step} - ${group.title}`));
    for (const check of group.checks) out.push(...checkLines(check, p));
    if (out[out.length - 1] !== '') out.push('');
  }
  if (model.checks.length === 0) out.push('No checks ran.', '');
  out.push(footer(model, p));
  return `${out.join('\n')}\n`;
}
