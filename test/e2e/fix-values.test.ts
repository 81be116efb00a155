import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/simulator/scenario/load.js';
import { startSimulator } from '../../src/simulator/index.js';
import { resourceSpId } from '../../src/simulator/graph/resources.js';
import { runCli } from '../helpers/cli.js';

// "Fixes name this run's values" (DESIGN.md, issue 10 item 12): a failing run against a tenant
// whose names and ids appear in no example (fixtures/scenarios/fix-values-northwind.yaml) must
// print ITS mailbox and ids in every fix, in every format, and none of the example values.
// Entra fixes first; other areas extend CHECKS and the expectations below.

const SCENARIO = 'fix-values-northwind';
const CHECKS = 'entra.*';
const FORMATS = ['text', 'json', 'junit', 'markdown', 'html'] as const;

/** Every GUID of the healthy scenario (tenant, apps, service principals, secrets, users, groups). */
function healthyGuids(): string[] {
  const text = JSON.stringify(loadScenario('healthy'));
  return [...new Set(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [])];
}

describe('fixes name this run\'s values, in every format', () => {
  it(`${SCENARIO}: the run's mailbox and ids are in the fixes; no example value is anywhere`, async () => {
    const scenario = loadScenario(SCENARIO);
    const webex = scenario.apps.webex!;
    const user = scenario.users.desk!;
    // Guard: the scenario itself must not reuse an example value, or the test proves nothing.
    const examples = ['john@contoso.com', 'contoso', 'mail-us.imiconnect.io', ...healthyGuids()];
    const scenarioText = JSON.stringify(scenario).toLowerCase();
    expect(examples.filter((e) => scenarioText.includes(e.toLowerCase()))).toEqual([]);

    const expected = {
      'user id (USER_NOT_ASSIGNED fix)': `-UserId ${user.id} -PrincipalId ${user.id} -ResourceId ${webex.servicePrincipalId}`,
      'service principal id': `-ServicePrincipalId ${webex.servicePrincipalId}`,
      'object id': `-ApplicationId ${webex.objectId}`,
      'client id': `--id ${webex.appId}`,
      'callback url': 'https://northwind.eu.webexconnect.io/callback',
      mailbox: 'sales.desk@northwind-traders.example',
      'exchange service principal id': `-ResourceId ${resourceSpId(scenario, 'exchange')}`,
    };
    const sim = await startSimulator({ scenario: SCENARIO });
    try {
      const outputs = await Promise.all(
        FORMATS.map(async (format) => {
          const r = await runCli(['doctor', '--config', sim.configFile, '--only', CHECKS, '--format', format], { env: sim.env, timeoutMs: 120_000 });
          return { format, ...r };
        }),
      );
      for (const { format, code, stdout, stderr } of outputs) {
        expect(code, `${format}: ${stderr.slice(0, 300)}`).toBe(1);
        const out = stdout.toLowerCase();
        for (const [what, value] of Object.entries(expected)) {
          // JSON escapes nothing here; HTML may escape quotes, none of these values has one.
          expect(stdout.includes(value), `${format}: ${what} (${value})`).toBe(true);
        }
        for (const e of examples) expect(out.includes(e.toLowerCase()), `${format} contains the example value ${e}`).toBe(false);
        // Placeholders this run knows are filled, never left visible.
        for (const p of ['user-id', 'webex-sp-id', 'object-id', 'client-id', 'exchange-sp-id', 'mailbox']) {
          expect(stdout.includes(`<${p}>`) || stdout.includes(`&lt;${p}&gt;`), `${format} leaves <${p}> unfilled`).toBe(false);
        }
      }
    } finally {
      await sim.stop();
    }
  });
});
