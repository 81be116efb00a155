import { readFileSync } from 'node:fs';
import { request, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import { clientCredentialsToken, simAgent } from '../../helpers/sim.js';

// G3 [V]: a caller that may list a user's memberships (User.Read.All) but not read the groups gets
// "limited information" objects: only `@odata.type` and `id`.
const s = loadScenario('exchange-outbound-policy-unresolved');
let sim: RunningSimulator;
let agent: Agent;

async function memberOf(app: string, rel: string): Promise<{ status: number; value: Record<string, unknown>[] }> {
  const token = await clientCredentialsToken(sim.urls.login, s.tenant.id, agent, s, app, 'https://graph.microsoft.com/.default');
  const r = await request(`${sim.urls.graph}/v1.0/users/john@contoso.com/${rel}?$select=id,displayName,mail,mailNickname`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
  const body = (await r.body.json()) as { value?: Record<string, unknown>[] };
  return { status: r.statusCode, value: body.value ?? [] };
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: s });
  agent = simAgent(readFileSync(sim.caFile, 'utf8'));
});
afterAll(async () => {
  await agent?.close();
  await sim?.stop();
});

describe('Graph memberOf / transitiveMemberOf with User.Read.All only (G3)', () => {
  it.each(['transitiveMemberOf', 'memberOf'])('%s answers 200 with only @odata.type and id', async (rel) => {
    const r = await memberOf('reader', rel);
    expect(r.status).toBe(200);
    expect(r.value).toEqual([{ '@odata.type': '#microsoft.graph.group', id: s.groups.contactCenter!.id }]);
  });

  it('an app without User.Read.All or a group permission gets 403', async () => {
    expect((await memberOf('webex', 'transitiveMemberOf')).status).toBe(403);
  });
});
