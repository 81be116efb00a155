import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../../checks/index.js';
import { CODE_STATUS, statusOfCode } from '../../../src/core/codes.js';
import { genericExplanations } from '../../../src/core/generic-explanations.js';

/** One explanation entry per reason code, kept beside the check that emits it. */
describe('explanation entries', () => {
  const byCode = new Map<string, string[]>();
  for (const c of builtinChecks) for (const code of Object.keys(c.explanations)) byCode.set(code, [...(byCode.get(code) ?? []), c.id]);

  it('every contract code has an entry (in a check, or the generic table)', () => {
    const missing = Object.keys(CODE_STATUS).filter((code) => !byCode.has(code) && !genericExplanations[code]);
    expect(missing).toEqual([]);
  });

  it('every entry is for a known code, and is complete', () => {
    for (const c of builtinChecks) {
      for (const [code, e] of Object.entries(c.explanations)) {
        expect({ check: c.id, code, known: statusOfCode(code) !== undefined }).toEqual({ check: c.id, code, known: true });
        for (const field of ['title', 'seen', 'cause', 'confirm', 'fix'] as const) {
          expect({ check: c.id, code, field, filled: e[field].trim().length > 10 }).toMatchObject({ filled: true });
        }
      }
    }
  });

  it('fail and warn findings name the setup step and a portal path or command', () => {
    for (const c of builtinChecks) {
      for (const [code, e] of Object.entries(c.explanations)) {
        const status = statusOfCode(code);
        if (status !== 'fail' && status !== 'warn') continue;
        expect({ check: c.id, code, step: e.step ?? c.step }).toMatchObject({ step: expect.any(Number) });
        expect({ check: c.id, code, actionable: (e.portal?.length ?? 0) + (e.commands?.length ?? 0) > 0 }).toMatchObject({ actionable: true });
      }
    }
  });
});
