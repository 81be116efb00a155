import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckResult, ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator } from '../../src/simulator/index.js';
import { doctorJson, runCli } from '../helpers/cli.js';

// `--exchange-evidence DIR` must give the verdicts the live run gives for the same tenant state.
// fixtures/evidence/<scenario>/ holds what `Get-X | ConvertTo-Json -Depth 5 | Out-File -Encoding
// utf8` writes in Windows PowerShell 5.1 (BOM, CRLF, enums as numbers, one result as a bare object,
// no result as an empty file) for the tenant state of fixtures/scenarios/<scenario>.yaml.

const evidenceDir = (name: string) => fileURLToPath(new URL(`../../fixtures/evidence/${name}`, import.meta.url));
const verdicts = (report: ReportModel) =>
  report.checks.filter((c: CheckResult) => c.id.startsWith('exchange.')).map((c) => ({ id: c.id, asset: c.asset, status: c.status, code: c.code }));

function expectValid(report: ReportModel): void {
  const v = validateReport(report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
}

describe('wxmail doctor --exchange-evidence', () => {
  it.each(['healthy', 'exchange-autoforward-blocked-policy', 'exchange-autoforward-blocked-transport-rule', 'exchange-smtp-auth-disabled-tenant'])(
    '%s: evidence files give the same verdicts as the live admin API',
    async (scenario) => {
      const sim = await startSimulator({ scenario });
      try {
        const live = await doctorJson(sim, ['--only', 'exchange.*']);
        const offline = await doctorJson(sim, ['--only', 'exchange.*', '--exchange-evidence', evidenceDir(scenario)]);
        expectValid(live.report);
        expectValid(offline.report);
        expect(verdicts(offline.report)).toEqual(verdicts(live.report));
        expect(verdicts(live.report)).toHaveLength(5);
        expect(offline.code).toBe(live.code);
        // The offline run reads no Exchange at all, and says where its verdicts come from.
        const exchangeCalls = sim.ctx.traffic.entries().filter((e) => e.service === 'exchange');
        expect(exchangeCalls).toHaveLength(7); // the live run's seven cmdlets only
        const smtp = offline.report.checks.find((c) => c.id === 'exchange.smtp-auth')!;
        expect(smtp.details).toContain('source: evidence file Get-CASMailbox.json; evidence file Get-TransportConfig.json');
      } finally {
        await sim.stop();
      }
    },
  );

  it('evaluates evidence where the reader may not read Exchange (the evidence-script way out)', async () => {
    const sim = await startSimulator({ scenario: 'exchange-missing-permission' });
    try {
      const denied = await doctorJson(sim, ['--only', 'exchange.*']);
      expect(verdicts(denied.report).every((v) => v.code === 'MISSING_PERMISSION')).toBe(true);
      const offline = await doctorJson(sim, ['--only', 'exchange.*', '--exchange-evidence', evidenceDir('healthy')]);
      expectValid(offline.report);
      expect(verdicts(offline.report).map((v) => v.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
      expect(offline.code).toBe(0);
      const outbound = offline.report.checks.find((c) => c.id === 'exchange.outbound-spam-policy')!;
      expect(outbound.details).toMatch(/assumed numbering Automatic = 0, On = 1, Off = 2/);
    } finally {
      await sim.stop();
    }
  });

  it('wxmail evidence-script prints the PowerShell export for the mailbox', async () => {
    const r = await runCli(['evidence-script', '--mailbox', 'john@contoso.com']);
    expect(r.code).toBe(0);
    // The mailbox travels as data (base64), never as code (G21).
    expect(r.stdout).toContain(`FromBase64String('${Buffer.from('john@contoso.com').toString('base64')}')`);
    expect(r.stdout).toContain("#Requires -Modules @{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.0.0' }");
    expect(r.stdout).toContain('Connect-ExchangeOnline');
    expect(r.stdout.match(/\| ConvertTo-Json -Depth 5 \| Out-File -Encoding utf8/g)).toHaveLength(8);
  });

  it.each(["john'; Remove-Mailbox x; '", '$(Remove-Mailbox x)@contoso.com', 'john@contoso.com\nRemove-Mailbox x', 'john\u2019@contoso.com'])(
    'wxmail evidence-script --mailbox %j (not an address): one line naming the field, exit 2, no script',
    async (value) => {
      const r = await runCli(['evidence-script', '--mailbox', value]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^wxmail: mailbox \(--mailbox\): .* is not an e-mail address\n$/);
    },
  );
});
