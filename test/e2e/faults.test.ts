import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/simulator/scenario/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { validateReport } from '../../src/report/schema.js';
import { doctorJson } from '../helpers/cli.js';

/**
 * Robustness: every injected fault ends with a correct report and the right exit code inside the
 * deadline — no hang, no crash, no stack trace. The check that first meets each service is named.
 */
type Case = [name: string, fault: Fault, check: string, status: 'error' | 'fail', code: string];

const HTTP: [service: 'login' | 'graph' | 'exchange', check: string][] = [
  ['login', 'entra.token'],
  ['graph', 'entra.implicit-grant'],
  ['exchange', 'exchange.forwarding'],
];

const cases: Case[] = HTTP.flatMap(([service, check]): Case[] => [
  [`${service} 429 storm`, { service, kind: 'status', status: 429, retryAfterSeconds: 1 }, check, 'error', 'THROTTLED'],
  [`${service} 503 storm`, { service, kind: 'status', status: 503, retryAfterSeconds: 1 }, check, 'error', 'THROTTLED'],
  [`${service} reset`, { service, kind: 'reset' }, check, 'error', 'NETWORK'],
  [`${service} hang`, { service, kind: 'hang' }, check, 'error', 'TIMEOUT'],
  [`${service} html`, { service, kind: 'html' }, check, 'error', 'UNEXPECTED_RESPONSE'],
  [`${service} untrusted certificate`, { service, kind: 'untrusted-cert' }, check, 'error', 'NETWORK'],
]);
cases.push(
  ['smtp reset', { service: 'smtp', kind: 'reset' }, 'smtp.connect', 'fail', 'SMTP_UNREACHABLE'],
  ['smtp hang', { service: 'smtp', kind: 'hang' }, 'smtp.connect', 'fail', 'SMTP_UNREACHABLE'],
  ['smtp untrusted certificate', { service: 'smtp', kind: 'untrusted-cert' }, 'smtp.connect', 'fail', 'SMTP_UNREACHABLE'],
);

describe('injected faults end as findings, inside the deadline', () => {
  it.concurrent.each(cases)('%s → %s', async (_name, fault, check, status, code) => {
    const sim = await startSimulator({ scenario: 'healthy', faults: [fault] });
    try {
      const t0 = Date.now();
      // Time limits far above what a retry (Retry-After 1 s) or a refused connection needs, so a
      // busy machine changes nothing; a hang still ends at the check timeout.
      const r = await doctorJson(sim, ['--timeout', '40', '--check-timeout', '15']);
      const took = Date.now() - t0;
      expect(validateReport(r.report)).toEqual({ ok: true });
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      const result = r.report.checks.find((c) => c.id === check)!;
      expect({ id: result.id, status: result.status, code: result.code }).toEqual({ id: check, status, code });
      expect(result.summary.length).toBeGreaterThan(10);
      expect(r.code).toBe(status === 'fail' ? 1 : 2);
      // The run's own deadline (40 s) bounds it; generous slack for a loaded machine.
      expect(took).toBeLessThan(90_000);
    } finally {
      await sim.stop();
    }
  });
});
