import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSchemaPath, validateReport } from '../../../src/report/schema.js';
import { makeModel } from './fixture.js';

function broken(mutate: (m: any) => void): unknown {
  const m = structuredClone(makeModel()) as any;
  mutate(m);
  return m;
}

describe('validateReport', () => {
  it('accepts a realistic report, also after a JSON round trip', () => {
    expect(validateReport(makeModel())).toEqual({ ok: true });
    expect(validateReport(JSON.parse(JSON.stringify(makeModel())))).toEqual({ ok: true });
  });

  it('lets consumers ignore fields they do not know, at the top and in checks', () => {
    expect(validateReport(broken((m) => ((m.futureField = 1), (m.checks[0].extra = { a: 1 }))))).toEqual({ ok: true });
  });

  it.each([
    ['schemaVersion 2', (m: any) => (m.schemaVersion = 2), /^\/schemaVersion must be equal to constant 1/],
    ['a missing field', (m: any) => delete m.target, /^\(top level\) must have required property 'target'/],
    ['an unknown status', (m: any) => (m.checks[3].status = 'failed'), /^\/checks\/3\/status must be equal to one of the allowed values \("pass", "warn", "fail", "skip", "error"\), got "failed"/],
    ['a lower-case code', (m: any) => (m.checks[3].code = 'redirect_uri_missing'), /^\/checks\/3\/code must match pattern/],
    ['a non-pass without a code', (m: any) => (m.checks[3].code = null), /^\/checks\/3\/code must be string, got null/],
    ['a pass with a code', (m: any) => (m.checks[0].code = 'REDIRECT_URI_MISSING'), /^\/checks\/0\/code must be null/],
    ['a remediation with a wrong field', (m: any) => (m.checks[3].remediation.commands = 'Set-X'), /^\/checks\/3\/remediation\/commands must be array/],
    ['a bad start time', (m: any) => (m.startedAt = 'yesterday'), /^\/startedAt must match format "date-time", got "yesterday"/],
    ['an overall skip', (m: any) => (m.status = 'skip'), /^\/status must be equal to one of the allowed values/],
    ['a step outside the guide', (m: any) => (m.checks[0].step = 7), /^\/checks\/0\/step must be <= 4/],
    ['a reader identity of another kind', (m: any) => (m.environment.readerIdentity = 'root'), /^\/environment\/readerIdentity/],
    ['a code with the wrong status', (m: any) => (m.checks[3].status = 'warn'), /code REDIRECT_URI_MISSING always means "fail"/],
    ['a summary that does not count the checks', (m: any) => (m.summary.fail = 0), /^\/summary\/fail is 0 but 3 check\(s\)/],
  ])('rejects %s with a message naming the place', (_name, mutate, message) => {
    const result = validateReport(broken(mutate));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('rejects things that are not reports at all', () => {
    for (const data of [null, [], 'report', 42]) expect(validateReport(data).ok).toBe(false);
  });

  it('accepts plugin codes it does not know, with any status', () => {
    expect(validateReport(broken((m) => (m.checks[3].code = 'ACME_WIDGET_BROKEN')))).toEqual({ ok: true });
  });
});

describe('report.schema.json', () => {
  it('is draft 2020-12 and pins schemaVersion 1', () => {
    const schema = JSON.parse(readFileSync(reportSchemaPath(), 'utf8'));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.schemaVersion).toEqual({ const: 1 });
  });
});
