import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/core/codes.js';
import type { CheckResult, ReportModel } from '../../../src/core/result.js';
import { diffLines, diffModels, rankOf } from '../../../src/report/diff.js';
import { makeModel } from './fixture.js';

const r = (status: Status, code: string | null = null): Pick<CheckResult, 'status' | 'code'> => ({ status, code });

function withCheck(model: ReportModel, id: string, status: Status, code: string | null): ReportModel {
  const m = structuredClone(model);
  const c = m.checks.find((x) => x.id === id)!;
  c.status = status;
  c.code = code;
  return m;
}

describe('wxmail diff: what counts as worse (DESIGN.md rank)', () => {
  it('ranks pass < skip(harmless) < warn < skip(missing permission or input) < error < fail', () => {
    const order = [r('pass'), r('skip', 'NOT_REQUESTED'), r('warn', 'SECRET_EXPIRES_SOON'), r('skip', 'MISSING_PERMISSION'), r('error', 'TIMEOUT'), r('fail', 'SECRET_EXPIRED')];
    expect(order.map(rankOf)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rankOf(r('skip', 'INPUT_MISSING'))).toBe(rankOf(r('skip', 'MISSING_PERMISSION')));
    expect(rankOf(r('skip', 'NOT_APPLICABLE'))).toBe(rankOf(r('skip', 'NOT_REQUESTED')));
  });

  it('skip → fail, error → fail and skip(harmless) → warn are worse; fail → skip(missing) is better', () => {
    const base = makeModel();
    const id = base.checks[0]!.id;
    const pairs: [Status, string | null, Status, string | null, boolean][] = [
      ['skip', 'MISSING_PERMISSION', 'fail', 'CALLBACK_URL_INVALID', true],
      ['error', 'TIMEOUT', 'fail', 'CALLBACK_URL_INVALID', true],
      ['skip', 'NOT_REQUESTED', 'warn', 'CALLBACK_URL_UNRECOGNIZED', true],
      ['warn', 'CALLBACK_URL_UNRECOGNIZED', 'skip', 'INPUT_MISSING', true],
      ['fail', 'CALLBACK_URL_INVALID', 'skip', 'INPUT_MISSING', false],
      ['error', 'TIMEOUT', 'error', 'NETWORK', false],
    ];
    for (const [s1, c1, s2, c2, worse] of pairs) {
      const changes = diffModels(withCheck(base, id, s1, c1), withCheck(base, id, s2, c2));
      expect({ from: `${s1} ${c1}`, to: `${s2} ${c2}`, worse: changes.some((c) => c.worse) }).toEqual({ from: `${s1} ${c1}`, to: `${s2} ${c2}`, worse });
    }
  });

  it('a check that appears with warn, error or fail is worse; one that appears passing is not', () => {
    const base = makeModel();
    const shorter = { ...base, checks: base.checks.slice(1) };
    const added = (status: Status, code: string | null) => diffModels(shorter, withCheck(base, base.checks[0]!.id, status, code), { allowMissing: true });
    expect(added('fail', 'CALLBACK_URL_INVALID')[0]).toMatchObject({ kind: 'new', worse: true });
    expect(added('error', 'TIMEOUT')[0]).toMatchObject({ kind: 'new', worse: true });
    expect(added('pass', null)[0]).toMatchObject({ kind: 'new', worse: false });
  });

  it('a check no longer reported is named and is worse, unless --allow-missing', () => {
    const base = makeModel();
    const lost = { ...base, checks: base.checks.slice(1) };
    const strict = diffModels(base, lost);
    expect(strict).toHaveLength(1);
    expect(strict[0]).toMatchObject({ kind: 'missing', worse: true });
    const lines = diffLines(strict);
    expect(lines[0]).toMatch(new RegExp(`^! ${base.checks[0]!.id.replace('.', '\\.')}: no longer reported \\(was `));
    expect(lines.join('\n')).toMatch(/1 check\(s\) got worse\.\n1 check\(s\) no longer reported: .*--allow-missing/);
    const allowed = diffModels(base, lost, { allowMissing: true });
    expect(allowed[0]).toMatchObject({ kind: 'missing', worse: false });
    expect(diffLines(allowed, { allowMissing: true })[0]).toMatch(/^- .*no longer reported/);
  });

  it('no changes is said as such', () => {
    const m = makeModel();
    expect(diffModels(m, structuredClone(m))).toEqual([]);
    expect(diffLines([])).toEqual(['No changes.']);
  });

  it('prints no control sequence from the files it compares', () => {
    const base = makeModel();
    const hostile = withCheck(base, base.checks[0]!.id, 'fail', 'CALLBACK_URL_INVALID');
    hostile.checks[0]!.asset = 'x\u001b]8;;https://evil.example\u0007link\u001b[2J\nnext';
    const lines = diffLines(diffModels(base, hostile));
    expect(lines.join('\n').includes('\u001b') || lines.join('\n').includes('\u0007')).toBe(false);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });
});
