import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { generateTlsMaterial, type TlsMaterial } from './certs.js';
import type { MailStore, SimContext } from './context.js';
import { resolveWhen } from './dates.js';
import { cmdletOf, createExchangeHandler, isBatch } from './exchange/index.js';
import { exchangeFaultResponse } from './exchange/errors.js';
import { createFaultInjector } from './faults.js';
import { createGraphHandler, graphFaultResponse, graphHeaders } from './graph/index.js';
import { requestSignature, startHttpsService, type HttpService, type RunningService } from './http/server.js';
import { generateAppCertificates } from './identity/certificates.js';
import { createLoginHandler, loginFaultResponse } from './identity/index.js';
import { createMailStore, startMailServers } from './mail/index.js';
import { loadScenario } from './scenario/load.js';
import type { Fault, Scenario } from './scenario/schema.js';
import { TokenAuthority } from './tokens.js';
import { createTrafficLog } from './traffic.js';

export interface SimContextOptions {
  /** The mail store (sim-mail's createMailStore). */
  mail: MailStore;
  /** Reuse TLS material (tests generate it once); default: freshly generated. */
  tls?: TlsMaterial;
  /** Faults appended to the scenario's. */
  faults?: Fault[];
  /** The simulator's start (scenario offsets resolve against it); default: now. */
  start?: Date;
}

/** Builds the SimContext every part of the simulator shares (no listener is started). */
export async function createSimContext(scenario: Scenario, opts: SimContextOptions): Promise<SimContext> {
  const skewMs = scenario.tenant.clockSkewSeconds * 1000;
  const start = opts.start ?? new Date();
  const when = (v: string): Date => resolveWhen(v, start);
  const [tls, tokens, certificates] = await Promise.all([opts.tls ?? generateTlsMaterial(), TokenAuthority.create(), generateAppCertificates(scenario, when)]);
  return {
    scenario,
    now: () => new Date(Date.now() + skewMs),
    when,
    tls,
    tokens,
    faults: createFaultInjector([...scenario.faults, ...(opts.faults ?? [])]),
    mail: opts.mail,
    certificates,
    traffic: createTrafficLog(),
  };
}

export interface StartOptions {
  /** A Scenario, or a scenario name / YAML path for loadScenario(). */
  scenario: Scenario | string;
  /** Fixed ports: login = portBase, graph +1, exchange +2, smtp +3, imap +4, dns +5. Default: free ports. */
  portBase?: number;
  /** Faults for this run, appended to the scenario's. */
  faults?: Fault[];
  /** Graph collection page size without `$top` (default 2, so paging is exercised). */
  graphPageSize?: number;
}

export interface RunningSimulator {
  ctx: SimContext;
  /** `https://127.0.0.1:PORT` of each HTTPS listener. */
  urls: { login: string; graph: string; exchange: string };
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
  /** `127.0.0.1:PORT` of the DNS server. */
  dnsServer: string;
  /** PEM of the simulator's trust anchor, in a fresh temp dir. */
  caFile: string;
  /** A wxmail config file (YAML, camelCase keys) with the scenario's doctor input — no secrets. */
  configFile: string;
  /** WXMAIL_* variables that point a doctor at this simulator, secrets included. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the simulated Microsoft 365 tenant on 127.0.0.1: login, Graph, Exchange admin API, SMTP, IMAP, DNS. */
export async function startSimulator(opts: StartOptions): Promise<RunningSimulator> {
  const scenario = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  const ctx = await createSimContext(scenario, { mail: createMailStore(), faults: opts.faults });
  const port = (offset: number) => (opts.portBase ? opts.portBase + offset : 0);
  const dir = mkdtempSync(join(tmpdir(), 'wxmail-sim-'));
  const stops: (() => Promise<void>)[] = [];
  let stopped = false;
  // The folder can hold a private key: it goes on every way out, even one that skips stop().
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(stops.map((s) => s()));
    removeDir();
    process.off('exit', removeDir);
  };

  try {
    const injector = ctx.faults as SimContext['faults'] & { listenerFault?(s: HttpService): Fault | undefined };
    const tlsFor = async (s: HttpService) => (injector.listenerFault?.(s) ? generateTlsMaterial('untrusted simulator') : ctx.tls);
    const start = async (service: HttpService, offset: number, handler: Parameters<typeof startHttpsService>[0]['handler'], extra: Partial<Parameters<typeof startHttpsService>[0]>) => {
      const svc: RunningService = await startHttpsService({ service, ctx, handler, tls: await tlsFor(service), port: port(offset), faultResponse: () => ({ status: 500 }), ...extra });
      stops.push(() => svc.stop());
      return svc;
    };
    const login = await start('login', 0, createLoginHandler(ctx), { faultResponse: loginFaultResponse(ctx) });
    const graph = await start('graph', 1, createGraphHandler(ctx, { pageSize: opts.graphPageSize }), { faultResponse: graphFaultResponse(ctx), commonHeaders: graphHeaders });
    const exchange = await start('exchange', 2, createExchangeHandler(ctx), {
      faultResponse: exchangeFaultResponse(ctx),
      describe: (req) => `${requestSignature(req)}${cmdletOf(req) ? ` ${cmdletOf(req)}` : ''}`,
      trafficService: (req) => (isBatch(req) ? 'exchange-batch' : 'exchange'),
    });
    const mail = await startMailServers(ctx, { smtp: port(3), imap: port(4), dns: port(5) });
    stops.push(() => mail.stop());

    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ctx.tls.cert);
    const urls = { login: login.url, graph: graph.url, exchange: exchange.url };
    const dnsServer = `127.0.0.1:${mail.dnsPort}`;
    const input = doctorInput(ctx, dir);
    const endpoints = { login: urls.login, graph: urls.graph, exchange: urls.exchange, smtpHost: '127.0.0.1', smtpPort: mail.smtpPort, imapHost: '127.0.0.1', imapPort: mail.imapPort };

    const config: Record<string, unknown> = {
      tenantId: input.tenantId,
      clientId: input.clientId,
      ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
      ...(input.assets.length ? { assets: input.assets } : {}),
      ...(input.reader ? { reader: input.reader.config } : {}),
      endpoints,
      dnsServer,
      caFile,
    };
    const configFile = join(dir, 'wxmail.yaml');
    // The name comes from a scenario file: one line, or it could add keys to this config.
    writeFileSync(configFile, `# wxmail config for the simulated tenant ${JSON.stringify(scenario.name).replace(/[\u2028\u2029]/g, ' ')} (secrets are in the environment)\n${toYaml(config)}`);

    const env: Record<string, string> = {
      WXMAIL_TENANT_ID: input.tenantId,
      WXMAIL_CLIENT_ID: input.clientId,
      ...input.credentialEnv,
      ...(input.reader?.env ?? {}),
      ...(input.callbackUrl ? { WXMAIL_CALLBACK_URL: input.callbackUrl } : {}),
      ...(input.assets[0]?.mailbox ? { WXMAIL_MAILBOX: input.assets[0].mailbox } : {}),
      ...(input.assets[0]?.forwardingAddress ? { WXMAIL_FORWARDING_ADDRESS: input.assets[0].forwardingAddress } : {}),
      WXMAIL_LOGIN_URL: urls.login,
      WXMAIL_GRAPH_URL: urls.graph,
      WXMAIL_EXCHANGE_URL: urls.exchange,
      WXMAIL_SMTP_HOST: '127.0.0.1',
      WXMAIL_SMTP_PORT: String(mail.smtpPort),
      WXMAIL_IMAP_HOST: '127.0.0.1',
      WXMAIL_IMAP_PORT: String(mail.imapPort),
      WXMAIL_DNS_SERVER: dnsServer,
      WXMAIL_CA_FILE: caFile,
      ...externalSenderEnv(scenario, mail.smtpPort, mail.imapPort),
    };

    return {
      ctx,
      urls,
      smtp: { host: '127.0.0.1', port: mail.smtpPort },
      imap: { host: '127.0.0.1', port: mail.imapPort },
      dnsServer,
      caFile,
      configFile,
      env,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

interface DoctorInput {
  tenantId: string;
  clientId: string;
  callbackUrl?: string;
  assets: { mailbox: string; forwardingAddress?: string }[];
  credentialEnv: Record<string, string>;
  reader?: { config: Record<string, unknown>; env: Record<string, string> };
}

/** The scenario's `doctor` block turned into config + env (credentials resolved per schema.ts). */
function doctorInput(ctx: SimContext, dir: string): DoctorInput {
  const s = ctx.scenario;
  const d = s.doctor;
  const appOf = (key: string) => s.apps[key];
  const clientId = d.clientId ?? appOf(d.app)?.appId ?? d.app;
  const credentialEnv = credential(ctx, dir, d.app, d.credential, 'WXMAIL_CLIENT_SECRET', 'WXMAIL_CLIENT_CERTIFICATE');
  let reader: DoctorInput['reader'];
  if (d.reader?.deviceCode) {
    const id = d.reader.app ? (appOf(d.reader.app)?.appId ?? d.reader.app) : undefined;
    reader = { config: { deviceCode: true, ...(id ? { clientId: id } : {}) }, env: {} };
  } else if (d.reader?.app) {
    const id = appOf(d.reader.app)?.appId ?? d.reader.app;
    reader = {
      config: { clientId: id },
      env: { WXMAIL_READER_CLIENT_ID: id, ...(d.reader.credential ? credential(ctx, dir, d.reader.app, d.reader.credential, 'WXMAIL_READER_CLIENT_SECRET', 'WXMAIL_READER_CLIENT_CERTIFICATE') : {}) },
    };
  }
  const assets = d.assets.map((a) => {
    const u = s.users[a.user];
    const mailbox = u ? (u.mail ?? u.userPrincipalName) : a.user;
    return { mailbox, ...(a.forwardingAddress ? { forwardingAddress: a.forwardingAddress } : {}) };
  });
  return { tenantId: d.tenantId ?? s.tenant.id, clientId, callbackUrl: d.callbackUrl, assets, credentialEnv, reader };
}

/**
 * `main` = that secret's value; `secretId:main` = its keyId (the classic paste mistake);
 * `certificate:<key>` = the generated certificate, written as a PEM file (`certificate:<app>/<key>`:
 * another app's); `literal:<text>` = text.
 */
function credential(ctx: SimContext, dir: string, appKey: string, spec: string, secretVar: string, certVar: string): Record<string, string> {
  const app = ctx.scenario.apps[appKey];
  if (spec.startsWith('literal:')) return { [secretVar]: spec.slice('literal:'.length) };
  if (spec.startsWith('secretId:')) {
    const c = app?.passwordCredentials[spec.slice('secretId:'.length)];
    if (!c) throw new Error(`scenario ${ctx.scenario.name}: doctor credential ${spec}: app ${appKey} has no such secret`);
    return { [secretVar]: c.keyId };
  }
  if (spec.startsWith('certificate:')) {
    // `certificate:<key>` is the app's own; `certificate:<other app>/<key>` hands over another app's
    // certificate (one the app does not have registered).
    const [owner, key] = spec.slice('certificate:'.length).includes('/') ? spec.slice('certificate:'.length).split('/', 2) as [string, string] : [appKey, spec.slice('certificate:'.length)];
    const cert = ctx.certificates.get(owner)?.get(key);
    if (!cert) throw new Error(`scenario ${ctx.scenario.name}: doctor credential ${spec}: app ${owner} has no such certificate`);
    const file = join(dir, `${owner}-${key}.pem`);
    writeFileSync(file, cert.pem, { mode: 0o600 });
    chmodSync(file, 0o600);
    return { [certVar]: file };
  }
  // A secret only on the enterprise application (G9) is named by its key just the same.
  const c = app?.passwordCredentials[spec] ?? app?.servicePrincipalPasswordCredentials?.[spec];
  if (!c) throw new Error(`scenario ${ctx.scenario.name}: doctor credential ${spec}: app ${appKey} has no such secret`);
  return { [secretVar]: c.value };
}

/** The scenario's `doctor.externalSender`, as the WXMAIL_EXTERNAL_SENDER_* variables of the round trip from outside. */
function externalSenderEnv(s: Scenario, smtpPort: number, imapPort: number): Record<string, string> {
  const address = s.doctor.externalSender;
  if (!address) return {};
  const cred = Object.entries(s.externalSenders ?? {}).find(([a]) => a.toLowerCase() === address.toLowerCase())?.[1];
  if (!cred) throw new Error(`scenario ${s.name}: doctor.externalSender ${address} is not in externalSenders`);
  return {
    WXMAIL_EXTERNAL_SENDER_SMTP_HOST: '127.0.0.1',
    WXMAIL_EXTERNAL_SENDER_SMTP_PORT: String(smtpPort),
    WXMAIL_EXTERNAL_SENDER_USER: address,
    ...(cred.password !== undefined ? { WXMAIL_EXTERNAL_SENDER_PASSWORD: cred.password } : { WXMAIL_EXTERNAL_SENDER_TOKEN: cred.token ?? '' }),
    WXMAIL_EXTERNAL_SENDER_IMAP_HOST: '127.0.0.1',
    WXMAIL_EXTERNAL_SENDER_IMAP_PORT: String(imapPort),
  };
}
export { fleetScenario } from './scenario/fleet.js';
export { loadScenario } from './scenario/load.js';
