import type { CheckResult, ReportModel } from '../core/result.js';
import { findingsInOrder } from './markdown.js';
import { markdownToHtml } from './markdown-html.js';
import { isSafeHref } from './markdown-parse.js';
import { escapeHtml } from './sanitize.js';
import { groupByStep, stepTitle } from './steps.js';
import { STATUS_WORD, countsText, durationText, exitMeaning, readerIdentityText, sourceText } from './wording.js';

/**
 * One HTML file to attach to a ticket: the markdown report's content, readable offline and
 * printable. Nothing is loaded from anywhere (inline CSS, no scripts, no fonts, no images) and
 * the CSP says so, so opening a customer's report cannot call out; the only URLs are the
 * remediation and details links, as plain anchors. The model itself rides along in a JSON data
 * block (never executed), so `wxmail report`/`diff` can read a received HTML file back.
 */

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--code:#f6f8fa;
--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;--skip:#59636e;--error:#8250df}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;--code:#161b22;
--pass:#3fb950;--warn:#d29922;--fail:#f85149;--skip:#9198a1;--error:#ab7df8}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:70rem;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:.25rem;margin-top:2rem}
h3{font-size:1.05rem;margin:0 0 .25rem}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);border-radius:4px}
code{padding:.05rem .3rem}pre{padding:.6rem .8rem;overflow:auto;white-space:pre-wrap;word-break:break-word}pre code{padding:0;background:none}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--code)}
.badge{display:inline-block;min-width:3.6rem;text-align:center;font-weight:700;font-size:.8rem;color:#fff;border-radius:3px;padding:.05rem .35rem}
.badge.pass{background:var(--pass)}.badge.warn{background:var(--warn)}.badge.fail{background:var(--fail)}
.badge.skip{background:var(--skip)}.badge.error{background:var(--error)}
.finding{border:1px solid var(--line);border-left:6px solid var(--skip);border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.finding.fail{border-left-color:var(--fail)}.finding.error{border-left-color:var(--error)}.finding.warn{border-left-color:var(--warn)}
.meta,.note{color:var(--muted);font-size:.9rem}.fix{border-top:1px dashed var(--line);margin-top:.6rem;padding-top:.4rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
@media print{body{max-width:none;padding:0;font-size:10pt;color:#000;background:#fff}
.finding{break-inside:avoid-page}h2{break-after:avoid-page}pre{white-space:pre-wrap}
.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a[href]:not([href^="#"])::after{content:" (" attr(href) ")";font-size:85%;color:#555;word-break:break-all}}
`;

const e = escapeHtml;

function badge(status: CheckResult['status']): string {
  return `<span class="badge ${status}">${STATUS_WORD[status]}</span>`;
}

function anchorOf(index: number): string {
  return `finding-${index + 1}`;
}

function summaryTable(rows: CheckResult[], anchors: Map<CheckResult, string>): string {
  const body = rows
    .map((c) => {
      const anchor = anchors.get(c);
      const id = anchor ? `<a href="#${anchor}"><code>${e(c.id)}</code></a>` : `<code>${e(c.id)}</code>`;
      return `<tr class="${c.status}" data-status="${c.status}"><td>${badge(c.status)}</td><td>${id}</td><td>${c.asset ? e(c.asset) : '—'}</td><td>${c.code ? `<code>${e(c.code)}</code>` : '—'}</td><td>${e(c.summary)}</td></tr>`;
    })
    .join('\n');
  return `<table class="summary"><thead><tr><th>Status</th><th>Check</th><th>Asset</th><th>Code</th><th>Summary</th></tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function link(l: string): string {
  return isSafeHref(l) ? `<a href="${e(l)}">${e(l)}</a>` : e(l);
}

function remediation(check: CheckResult): string {
  const r = check.remediation;
  if (!r) return '';
  const parts: string[] = [];
  if (r.text.trim()) parts.push(`<p><strong>Fix:</strong></p>\n${markdownToHtml(r.text)}`);
  if (r.portal.length) parts.push(`<p><strong>Portal:</strong></p><ul>${r.portal.map((p) => `<li>${e(p)}</li>`).join('')}</ul>`);
  if (r.commands.length) parts.push(`<p><strong>Commands:</strong></p>${r.commands.map((c) => `<pre><code>${e(c)}</code></pre>`).join('\n')}`);
  if (r.links.length) parts.push(`<p><strong>Links:</strong></p><ul>${r.links.map((l) => `<li>${link(l)}</li>`).join('')}</ul>`);
  return parts.length ? `<div class="fix">\n${parts.join('\n')}\n</div>` : '';
}

function finding(check: CheckResult, anchor: string): string {
  const asset = check.asset ? ` (${e(check.asset)})` : '';
  const parts = [
    `<section class="finding ${check.status}" id="${anchor}">`,
    // The heading is the finding; the check's title says what passing looks like, so it goes below.
    `<h3>${badge(check.status)} <code>${e(check.id)}</code>${asset} — ${e(check.summary)}</h3>`,
    `<p class="meta">Step ${check.step} · ${e(stepTitle(check.step))} · code ${check.code ? `<code>${e(check.code)}</code>` : '—'} · checks: ${e(check.title)}</p>`,
  ];
  if (check.details.trim()) parts.push(`<div class="details">\n${markdownToHtml(check.details)}\n</div>`);
  if (Object.keys(check.evidence).length) {
    parts.push(`<p><strong>Evidence:</strong></p><pre><code>${e(JSON.stringify(check.evidence, null, 2))}</code></pre>`);
  }
  parts.push(remediation(check));
  if (check.requestIds.length) {
    parts.push(`<p class="meta">Request ids: ${check.requestIds.map((id) => `<code>${e(id)}</code>`).join(', ')}</p>`);
  }
  parts.push('</section>');
  return parts.filter(Boolean).join('\n');
}

function environment(model: ReportModel): string {
  const t = model.target;
  const rows: [string, string][] = [
    ['Tool', `wxmail ${model.tool.version}`],
    ['Node', model.environment.node],
    ['OS', model.environment.os],
    ['Target', `tenant ${t.tenantId ?? '(not given)'}, client id ${t.clientId ?? '(not given)'}, cloud ${t.cloud}`],
    ['Reader identity', readerIdentityText(model.environment.readerIdentity)],
    ['Started', model.startedAt],
    ['Duration', durationText(model.durationMs)],
  ];
  return `<dl>\n${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}\n</dl>`;
}

/** The id of the `<script type="application/json">` block that carries the model (read back by src/report/load.ts). */
export const REPORT_DATA_ID = 'wxmail-report';

/**
 * The model as JSON that cannot end the script element or start markup inside it: `<`, `>` and
 * `&` become JSON's own \u escapes (tenant strings may hold `</script>`), and so do U+2028/2029
 * and the bidirectional controls (no reordered text even in the page's source). JSON.parse reads
 * the escapes back unchanged, so the embedded model is exactly the rendered one.
 */
export function embeddedJson(model: ReportModel): string {
  return JSON.stringify(model)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderHtml(model: ReportModel): string {
  const rows = groupByStep(model.checks).flatMap((g) => g.checks);
  const findings = findingsInOrder(model);
  const anchors = new Map(findings.map((c, i) => [c, anchorOf(i)] as const));
  const title = `wxmail report: ${STATUS_WORD[model.status]}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="wxmail ${e(model.tool.version)}">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${badge(model.status)} ${e(title)}</h1>
<p>${e(`${countsText(model)} (${exitMeaning(model)}).`)}</p>
${sourceText(model) ? `<p class="note"><strong>Note:</strong> ${e(sourceText(model)!)}</p>\n` : ''}
<h2>Summary</h2>
${summaryTable(rows, anchors)}
<h2>Findings</h2>
${findings.length ? findings.map((c) => finding(c, anchors.get(c)!)).join('\n') : '<p>None: every check passed.</p>'}
<h2>Environment</h2>
${environment(model)}
<script type="application/json" id="${REPORT_DATA_ID}">${embeddedJson(model)}</script>
</body>
</html>
`;
}
