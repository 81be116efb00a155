import type { SimContext } from '../../../src/simulator/context.js';
import { startMailServers } from '../../../src/simulator/mail/index.js';
import { loadScenario } from '../../../src/simulator/scenario/load.js';
import type { Scenario } from '../../../src/simulator/scenario/schema.js';
import type { Net } from '../../../src/net/net.js';
import { makeSimContext } from '../../helpers/sim.js';

export interface MailSim {
  ctx: SimContext;
  smtpPort: number;
  imapPort: number;
  /** The doctor's view of the network: trusts the simulator's CA, no proxy. */
  net: Pick<Net, 'proxyFor' | 'tlsCa'>;
  stop(): Promise<void>;
}

/** A scenario by name, changed by `edit` (a deep copy, so scenarios stay untouched). */
export function scenario(name: string, edit: (s: Scenario) => void = () => undefined): Scenario {
  const s = structuredClone(loadScenario(name));
  edit(s);
  return s;
}

export async function startMail(s: Scenario | string, faults: Scenario['faults'] = []): Promise<MailSim> {
  const ctx = await makeSimContext(s, { faults });
  const mail = await startMailServers(ctx);
  return { ctx, smtpPort: mail.smtpPort, imapPort: mail.imapPort, net: { proxyFor: () => null, tlsCa: [ctx.tls.cert] }, stop: () => mail.stop() };
}

/** The client-credentials token the simulated Entra would issue to an app for Exchange (reference A2: roles = consented app roles). */
export async function appToken(ctx: SimContext, appKey = 'webex'): Promise<string> {
  const app = ctx.scenario.apps[appKey]!;
  const now = Math.floor(Date.now() / 1000);
  const roles = app.appRoleAssignments.filter((a) => a.resource === 'exchange').map((a) => a.role).filter((r) => !app.rolesMissingFromToken.includes(r));
  return ctx.tokens.sign({
    aud: 'https://outlook.office365.com',
    iss: `https://sts.windows.net/${ctx.scenario.tenant.id}/`,
    tid: ctx.scenario.tenant.id,
    appid: app.appId,
    oid: app.servicePrincipalId,
    iat: now,
    nbf: now,
    exp: now + 3600,
    idtyp: 'app',
    ...(roles.length ? { roles } : {}),
  });
}
