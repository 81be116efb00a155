import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson } from '../helpers/cli.js';

// G10: the admin's device-code sign-in reads Graph through Graph Command Line Tools and Exchange
// through the Exchange Online PowerShell client (the one known to hold Exchange.Manage). The
// simulator refuses an Exchange token to Graph Command Line Tools (AADSTS65002, first-party
// client without preauthorisation), so only the right client gets the Exchange checks running.
describe('wxmail doctor --sign-in: Exchange through the Exchange Online PowerShell client (G10)', () => {
  it('two device-code prompts (Graph, then Exchange through fb78d390-…), and no Exchange check fails on the sign-in', async () => {
    const sim = await startSimulator({ scenario: 'entra-device-code-reader' });
    try {
      const { report, stderr, stdout } = await doctorJson(sim, ['--only', 'exchange.*'], {}, { cli: true }); // the prompts are the process's own stderr
      expect(stderr).toContain('Microsoft Graph read access for the doctor, through public client 14d82eec-204b-4c2f-b7e8-296a70dab67e');
      expect(stderr).toContain('Office 365 Exchange Online read access for the doctor, through Exchange Online PowerShell public client fb78d390-0c51-40cd-8e17-fdbfab77341b');
      expect(stdout).not.toMatch(/devicelogin/);
      const exchange = report.checks.filter((c) => c.id.startsWith('exchange.'));
      expect(exchange.length).toBeGreaterThan(0);
      for (const c of exchange) {
        expect({ id: c.id, code: c.code }).not.toMatchObject({ code: 'READER_SIGN_IN_FAILED' });
        expect(`${c.summary} ${c.details ?? ''}`).not.toContain('AADSTS65002');
      }
    } finally {
      await sim.stop();
    }
  });
});
