import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson } from '../helpers/cli.js';

/**
 * The admin's device-code sign-in waits for the admin, not for the run's clock: it happens before
 * the checks start, bounded by --sign-in-timeout. The simulated admin approves after one pending
 * poll (at least a second), longer than the 1 s check timeout given here.
 */
describe('--sign-in waits for the admin without eating the run deadline (--sign-in-timeout)', () => {
  it('a sign-in that takes longer than a check may take still lets every entra check run', async () => {
    const sim = await startSimulator({ scenario: 'entra-device-code-reader' });
    try {
      const r = await doctorJson(sim, ['--only', 'entra.*', '--check-timeout', '1'], {}, { cli: true });
      const timedOut = r.report.checks.filter((c) => c.code === 'TIMEOUT').map((c) => c.id);
      expect(timedOut).toEqual([]);
      expect(r.report.environment.readerIdentity).toBe('device-code');
      expect(r.stderr).toMatch(/devicelogin/);
    } finally {
      await sim.stop();
    }
  });

  it('an admin who does not sign in within --sign-in-timeout ends the run with a TIMEOUT that says so', async () => {
    const sim = await startSimulator({ scenario: 'entra-device-code-reader' });
    try {
      const r = await doctorJson(sim, ['--only', 'entra.*', '--sign-in-timeout', '0.2'], {}, { cli: true });
      const reads = r.report.checks.filter((c) => c.id !== 'entra.token');
      expect(reads.some((c) => c.code === 'TIMEOUT' || c.code === 'READER_SIGN_IN_FAILED')).toBe(true);
      expect(r.code).toBe(2);
    } finally {
      await sim.stop();
    }
  });
});
