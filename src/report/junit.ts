import type { CheckResult, ReportModel } from '../core/result.js';
import { findingLines } from './finding-text.js';
import { escapeXml, escapeXmlAttribute } from './sanitize.js';
import { groupByPrefix } from './steps.js';
import { STATUS_WORD, sourceText } from './wording.js';

/**
 * JUnit XML for CI test views (GitLab, Azure DevOps, Jenkins). One testsuite per check group,
 * one testcase per check and asset — CI keys test cases on classname + name, so the asset is
 * part of the name. fail → <failure type=CODE>, error → <error type=CODE>, skip → <skipped>.
 * A warning (an expiring secret) must be visible in GitLab's and Azure DevOps' test views, which
 * show only a case's status and message, never <system-out> of a passing case: it is a
 * <skipped message="WARN CODE: summary"> (GitLab "skipped", Azure DevOps "Not executed"), and
 * with `--fail-on warn` a <failure type=CODE> whose message starts "WARN", so the test view gates
 * as the exit code does. The full finding is in <system-out> either way.
 */

export interface JunitOptions {
  /** `--fail-on warn`: warnings are failures in the test view too. */
  failOnWarn?: boolean;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The JUnit XSD's timestamp has no zone and no fraction: give it UTC. */
function timestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 19);
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${escapeXmlAttribute(String(v))}"`)
    .join('');
}

function body(check: CheckResult): string {
  return [check.summary, '', ...findingLines(check)].join('\n');
}

function testcase(check: CheckResult, group: string, opts: JunitOptions): string {
  const name = check.asset ? `${check.id} ${check.asset}` : check.id;
  const open = `    <testcase${attrs({ classname: `wxmail.${group}`, name, time: seconds(check.durationMs) })}`;
  const code = check.code ?? '';
  switch (check.status) {
    case 'pass':
      return `${open}/>`;
    case 'warn': {
      const message = `${STATUS_WORD.warn} ${code}: ${check.summary}`;
      const shown = opts.failOnWarn ? `<failure${attrs({ message, type: code })}/>` : `<skipped${attrs({ message })}/>`;
      return `${open}>\n      ${shown}\n      <system-out>${escapeXml(`${STATUS_WORD.warn} ${code}: ${body(check)}`)}</system-out>\n    </testcase>`;
    }
    case 'fail':
      return `${open}>\n      <failure${attrs({ message: check.summary, type: code })}>${escapeXml(body(check))}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ message: check.summary, type: code })}>${escapeXml(body(check))}</error>\n    </testcase>`;
    case 'skip':
      // Why it did not run and how to make it run (a permission to grant) belong in the log too.
      return `${open}>\n      <skipped${attrs({ message: `${code}: ${check.summary}` })}/>\n      <system-out>${escapeXml(body(check))}</system-out>\n    </testcase>`;
  }
}

/** A replayed snapshot says so in every suite (JUnit has no run-level place for it). */
function properties(model: ReportModel): string[] {
  const source = sourceText(model);
  return source ? ['    <properties>', `      <property${attrs({ name: 'wxmail.source', value: source })}/>`, '    </properties>'] : [];
}

function counts(checks: CheckResult[], opts: JunitOptions) {
  const warn = checks.filter((c) => c.status === 'warn').length;
  return {
    tests: checks.length,
    failures: checks.filter((c) => c.status === 'fail').length + (opts.failOnWarn ? warn : 0),
    errors: checks.filter((c) => c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skip').length + (opts.failOnWarn ? 0 : warn),
  };
}

export function renderJunit(model: ReportModel, opts: JunitOptions = {}): string {
  const suites = groupByPrefix(model.checks).map(({ group, checks }) => {
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0);
    const head = `  <testsuite${attrs({ name: group, ...counts(checks, opts), time: seconds(time), timestamp: timestamp(model.startedAt) })}>`;
    return [head, ...properties(model), ...checks.map((c) => testcase(c, group, opts)), '  </testsuite>'].join('\n');
  });
  const root = `<testsuites${attrs({ name: 'wxmail', ...counts(model.checks, opts), time: seconds(model.durationMs) })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites, '</testsuites>', ''].join('\n');
}
