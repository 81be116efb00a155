import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { redactor } from '../core/redact.js';
import { UsageError } from '../core/usage-error.js';
import { CLOUD_DEFINITIONS } from './clouds.js';
import { defaultRunConfig } from './defaults.js';
import { configSchema, type ConfigInput } from './schema.js';
import { envLayer, flagLayer, type ConfigFlags, type Layer } from './sources.js';
import type { Asset, Endpoints, ExternalSender, RunConfig } from './types.js';

export interface LoadOptions {
  flags: ConfigFlags & { only?: string[]; skip?: string[]; redactPii?: boolean };
  env: NodeJS.ProcessEnv;
  /** Reads standard input (for `--client-secret-file -`). */
  readStdin: () => string;
  /** One-line warnings (e.g. a secret given on the command line). */
  warn: (line: string) => void;
  /** Used as the file layer when no --config is given (a snapshot carries the config it ran with). */
  baseConfig?: Record<string, unknown>;
  /** Evaluating a snapshot: no sign-in happens, so identities need no secret. */
  offline?: boolean;
}

/**
 * Builds the run's configuration: flags > environment > config file > defaults. Every bad value is
 * rejected here, before any network call, with one line that names the field.
 */
export function loadConfig(opts: LoadOptions): RunConfig {
  const { flags } = opts;
  const secrets = {
    clientSecret: flags.clientSecretFile ? readSecretFile(flags.clientSecretFile, '--client-secret-file', opts.readStdin) : flags.clientSecret,
    readerClientSecret: flags.readerClientSecretFile
      ? readSecretFile(flags.readerClientSecretFile, '--reader-client-secret-file', opts.readStdin)
      : flags.readerClientSecret,
  };
  const externalSenderPassword = flags.externalSenderPasswordFile ? readSecretFile(flags.externalSenderPasswordFile, '--external-sender-password-file', opts.readStdin, 'externalSender.password') : undefined;
  const externalSenderToken = flags.externalSenderTokenFile ? readSecretFile(flags.externalSenderTokenFile, '--external-sender-token-file', opts.readStdin, 'externalSender.token') : undefined;
  for (const s of [externalSenderPassword, externalSenderToken, opts.env.WXMAIL_EXTERNAL_SENDER_PASSWORD, opts.env.WXMAIL_EXTERNAL_SENDER_TOKEN]) if (s) redactor.addSecret(s);
  if (flags.clientSecret !== undefined && !flags.clientSecretFile) {
    opts.warn('warning: --client-secret leaves the secret in shell history and the process list; prefer --client-secret-file FILE (- for stdin) or WXMAIL_CLIENT_SECRET');
  }
  if (flags.readerClientSecret !== undefined && !flags.readerClientSecretFile) {
    opts.warn('warning: --reader-client-secret leaves the secret in shell history; prefer --reader-client-secret-file or WXMAIL_READER_CLIENT_SECRET');
  }
  const env = trimSecretEnv(opts.env, opts.warn);
  for (const s of [secrets.clientSecret, secrets.readerClientSecret, opts.env.WXMAIL_CLIENT_SECRET, opts.env.WXMAIL_READER_CLIENT_SECRET, env.WXMAIL_CLIENT_SECRET, env.WXMAIL_READER_CLIENT_SECRET]) {
    if (s) redactor.addSecret(s);
  }

  const file = flags.config ? fileLayer(flags.config) : opts.baseConfig ? objectLayer(opts.baseConfig, 'snapshot') : { values: {}, source: {} };
  for (const s of [file.values.clientSecret, file.values.reader?.clientSecret]) if (s) redactor.addSecret(s);
  for (const s of [file.values.externalSender?.password, file.values.externalSender?.token]) if (s) redactor.addSecret(s);
  const merged = merge([file, envLayer(env), flagLayer(flags, { ...secrets, externalSenderPassword, externalSenderToken })]);
  const parsed = configSchema.safeParse(merged.values);
  if (!parsed.success) throw new UsageError(describeIssue(parsed.error.issues[0]!, merged.source));
  return resolve(parsed.data, flags, !!opts.offline);
}

/**
 * `echo "$SECRET" > file; export WXMAIL_CLIENT_SECRET=$(cat file)` keeps no newline, but a CI
 * variable pasted with one does: a secret value never ends in one, so it is trimmed, with a note.
 */
function trimSecretEnv(env: NodeJS.ProcessEnv, warn: (line: string) => void): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of ['WXMAIL_CLIENT_SECRET', 'WXMAIL_READER_CLIENT_SECRET']) {
    const v = env[k];
    if (v && /[\r\n]+$/.test(v)) {
      out[k] = v.replace(/[\r\n]+$/, '');
      warn(`note: ${k} ended in a trailing newline; it was trimmed (a secret value has none)`);
    }
  }
  return out;
}

function readSecretFile(path: string, flag: string, readStdin: () => string, field = 'clientSecret'): string {
  let text: string;
  try {
    text = path === '-' ? readStdin() : readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${field} (${flag}): cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (!secret.trim()) throw new UsageError(`${field} (${flag}): ${path === '-' ? 'standard input' : path} is empty`);
  return secret;
}

function fileLayer(path: string): Layer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`config (--config): cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new UsageError(`config file ${path}: syntax error: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`config file ${path}: ${describeIssue(issue, {})}`);
  }
  return { values: parsed.data, source: Object.fromEntries(Object.keys(parsed.data).map((k) => [k, path])) };
}

function objectLayer(doc: Record<string, unknown>, name: string): Layer {
  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) throw new UsageError(`${name}: ${describeIssue(parsed.error.issues[0]!, {})}`);
  return { values: parsed.data, source: Object.fromEntries(Object.keys(parsed.data).map((k) => [k, name])) };
}

/** The non-secret part of a run's configuration, in config-file form (saved in snapshots). */
export function shareableConfig(c: RunConfig): Record<string, unknown> {
  return {
    ...(c.tenantId ? { tenantId: c.tenantId } : {}),
    ...(c.clientId ? { clientId: c.clientId } : {}),
    ...(c.callbackUrl ? { callbackUrl: c.callbackUrl } : {}),
    ...(c.reader?.kind === 'device-code' ? { reader: { deviceCode: true } } : c.reader?.clientId ? { reader: { clientId: c.reader.clientId } } : {}),
    assets: c.assets,
    cloud: c.cloud,
    secretWarnDays: c.secretWarnDays,
    ...(c.sendTest ? { sendTest: true } : {}),
    // Who sent the round trip's probe from outside (no host, no credential): a replay then
    // evaluates the same checks the run did (mailflow.roundtrip does not follow smtp.send then).
    ...(c.externalSender ? { externalSender: { user: c.externalSender.user } } : {}),
  };
}

function merge(layers: Layer[]): Layer {
  const values: Record<string, any> = {};
  const source: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer.values)) {
      if (k === 'asset') continue;
      values[k] = (k === 'reader' || k === 'endpoints' || k === 'externalSender') && values[k] ? { ...values[k], ...(v as object) } : v;
      source[k] = layer.source[k] ?? source[k] ?? '';
    }
  }
  // --mailbox / --forwarding-address (or their env) define one asset and replace the file's assets.
  const asset: Asset = {};
  for (const layer of layers.slice(1)) Object.assign(asset, layer.values.asset ?? {});
  if (asset.mailbox || asset.forwardingAddress) {
    values.assets = [asset];
    source.assets = layers.slice(1).map((l) => l.source.asset).filter(Boolean).pop() ?? '--mailbox';
  }
  return { values: values as Layer['values'], source };
}

function describeIssue(issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] }, source: Record<string, string>): string {
  const top = String(issue.path[0] ?? '');
  let field = issue.path.map(String).join('.').replace(/\.(\d+)/g, '[$1]');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    const hint = field ? '' : keys.map(wrongLevelHint).find(Boolean);
    field = [field, ...keys].filter(Boolean).join('.');
    return `${field}: unknown key${hint ? `: ${hint}` : ''} (see the configuration table in the README)`;
  }
  const from = source[top] ? ` (${source[top]})` : '';
  return `${field || '(config)'}${from}: ${issue.message}`;
}

/** Keys that exist one level down, and flag spellings of file keys: where the key belongs. */
const NESTED: Record<string, string> = {
  mailbox: 'assets:', forwardingAddress: 'assets:',
  login: 'endpoints:', graph: 'endpoints:', exchange: 'endpoints:', smtpHost: 'endpoints:', smtpPort: 'endpoints:', imapHost: 'endpoints:', imapPort: 'endpoints:',
  deviceCode: 'reader:',
};

function wrongLevelHint(key: string): string | undefined {
  const camel = key.replace(/[-_]([a-z])/g, (_m, c: string) => c.toUpperCase());
  const where = NESTED[camel];
  if (where === 'assets:') return `${key} belongs under assets:, one entry per mailbox (assets: [{ ${camel}: … }])`;
  if (where) return `${key} belongs under ${where}`;
  if (camel !== key && (configSchema.shape as Record<string, unknown>)[camel]) return `file keys are camelCase: ${camel}`;
  return undefined;
}

function resolve(c: ConfigInput, flags: LoadOptions['flags'], offline: boolean): RunConfig {
  const cloud = c.cloud ?? 'global';
  const defaults = CLOUD_DEFINITIONS[cloud].endpoints;
  const o = c.endpoints ?? {};
  const trim = (u: string | undefined) => u?.replace(/\/+$/, '');
  const endpoints: Endpoints = {
    login: trim(o.login) ?? defaults.login,
    graph: trim(o.graph) ?? defaults.graph,
    exchange: trim(o.exchange) ?? defaults.exchange,
    smtpHost: o.smtpHost ?? defaults.smtpHost,
    smtpPort: o.smtpPort ?? defaults.smtpPort,
    imapHost: o.imapHost ?? defaults.imapHost,
    imapPort: o.imapPort ?? defaults.imapPort,
  };
  const endpointOverrides = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v !== undefined])) as RunConfig['endpointOverrides'];

  if (c.clientSecret && c.clientCertificate) throw new UsageError('clientSecret / clientCertificate: give one credential, not both');
  if (c.reader?.deviceCode && (c.reader.clientSecret || c.reader.clientCertificate)) {
    throw new UsageError('reader.deviceCode (--sign-in): an interactive sign-in takes no reader secret or certificate');
  }
  if (c.reader && !c.reader.deviceCode && !c.reader.clientId) throw new UsageError('reader.clientId (--reader-client-id): required for a reader app');
  if (c.reader && !offline && !c.reader.deviceCode && !c.reader.clientSecret && !c.reader.clientCertificate) {
    throw new UsageError('reader.clientSecret (--reader-client-secret-file / WXMAIL_READER_CLIENT_SECRET): a reader app needs a secret or a certificate');
  }

  const d = defaultRunConfig();
  const sendTest = c.sendTest ?? d.sendTest;
  const roundtripTimeoutMs = c.roundtripTimeout !== undefined ? c.roundtripTimeout * 1000 : d.roundtripTimeoutMs;
  const config: RunConfig = defaultRunConfig({
    assets: c.assets ?? [],
    cloud,
    endpoints,
    endpointOverrides,
    extraCaPems: c.caFile ? [readPem(c.caFile, 'caFile (--ca-file / WXMAIL_CA_FILE)', /-----BEGIN CERTIFICATE-----/, 'a PEM certificate')] : [],
    // The round trip waits for mail: the run's deadline grows by its timeout.
    timeoutMs: (c.timeout !== undefined ? c.timeout * 1000 : d.timeoutMs) + (sendTest ? roundtripTimeoutMs : 0),
    checkTimeoutMs: c.checkTimeout !== undefined ? c.checkTimeout * 1000 : d.checkTimeoutMs,
    failOn: c.failOn ?? d.failOn,
    sendTest,
    secretWarnDays: c.secretWarnDays ?? d.secretWarnDays,
    concurrency: c.concurrency ?? d.concurrency,
    plugins: c.plugins ?? d.plugins,
    roundtripTimeoutMs,
    signInTimeoutMs: c.signInTimeout !== undefined ? c.signInTimeout * 1000 : d.signInTimeoutMs,
    only: flags.only ?? [],
    skip: flags.skip ?? [],
    redactPii: flags.redactPii ?? false,
  });
  if (c.tenantId) config.tenantId = c.tenantId;
  if (c.clientId) config.clientId = c.clientId;
  if (c.clientSecret) config.clientSecret = c.clientSecret;
  if (c.clientCertificate) config.clientCertificate = readCertificate(c.clientCertificate, 'clientCertificate (--client-certificate)');
  if (c.callbackUrl) config.callbackUrl = c.callbackUrl;
  if (c.dnsServer) config.dnsServer = c.dnsServer;
  if (c.exchangeEvidence) config.exchangeEvidenceDir = c.exchangeEvidence;
  if (c.accessTokenFile) {
    const token = readPem(c.accessTokenFile, 'accessTokenFile (--access-token-file)', /^\s*[\w-]+\.[\w-]+\.[\w-]*\s*$/, 'one access token (a JWT)').trim();
    redactor.addSecret(token);
    config.accessToken = token;
  }
  if (c.externalSender) config.externalSender = externalSenderOf(c.externalSender, offline);
  if (c.reader) {
    config.reader = c.reader.deviceCode
      ? { kind: 'device-code', ...(c.reader.clientId ? { clientId: c.reader.clientId } : {}) }
      : {
          kind: 'app',
          clientId: c.reader.clientId!,
          ...(c.reader.clientSecret ? { clientSecret: c.reader.clientSecret } : {}),
          ...(c.reader.clientCertificate ? { clientCertificate: readCertificate(c.reader.clientCertificate, 'reader.clientCertificate (--reader-client-certificate)') } : {}),
        };
  }
  return config;
}

function readPem(path: string, field: string, shape: RegExp, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${field}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!shape.test(text)) throw new UsageError(`${field}: ${path} does not contain ${what}`);
  return text;
}

function readCertificate(path: string, field: string): { path: string; pem: string } {
  const pem = readPem(path, field, /-----BEGIN CERTIFICATE-----/, 'a PEM certificate');
  // There is no one to ask for a passphrase in a CI run: say so rather than fail deep in the sign-in.
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new UsageError(`${field}: ${path} holds an encrypted private key; export it without a passphrase (openssl pkey -in ${path} -out key.pem)`);
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) throw new UsageError(`${field}: ${path} has no private key (give key + certificate in one PEM file)`);
  // Entra verifies certificate client assertions signed PS256 or RS256 only (certificate-credentials [V]).
  const keyType = privateKeyType(pem);
  if (keyType && keyType !== 'rsa' && keyType !== 'rsa-pss') {
    throw new UsageError(`${field}: ${path} holds a ${keyType.toUpperCase()} private key; Entra accepts only RSA certificates for app sign-in (PS256/RS256 assertions)`);
  }
  return { path, pem };
}

/** The external sender, complete or rejected with the one field that is missing (same style as the reader identity). */
function externalSenderOf(x: NonNullable<ConfigInput['externalSender']>, offline: boolean): ExternalSender {
  if (!x.user) throw new UsageError('externalSender.user (--external-sender-user / WXMAIL_EXTERNAL_SENDER_USER): required for an external sender (the account\'s address)');
  // A replay sends nothing: the snapshot names the sender, its probe is among the saved facts.
  if (offline) return { smtpHost: x.smtpHost ?? '', smtpPort: x.smtpPort ?? 587, user: x.user, imapPort: x.imapPort ?? 993 };
  if (!x.smtpHost) throw new UsageError('externalSender.smtpHost (--external-sender-smtp-host / WXMAIL_EXTERNAL_SENDER_SMTP_HOST): required for an external sender');
  if (x.password && x.token) throw new UsageError('externalSender.password / externalSender.token: give one credential, not both');
  if (!x.password && !x.token) {
    throw new UsageError('externalSender.password (--external-sender-password-file / WXMAIL_EXTERNAL_SENDER_PASSWORD, or a token with --external-sender-token-file / WXMAIL_EXTERNAL_SENDER_TOKEN): an external sender needs a password or a token');
  }
  return {
    smtpHost: x.smtpHost,
    smtpPort: x.smtpPort ?? 587,
    user: x.user,
    ...(x.password ? { password: x.password } : {}),
    ...(x.token ? { token: x.token } : {}),
    ...(x.imapHost ? { imapHost: x.imapHost } : {}),
    imapPort: x.imapPort ?? 993,
  };
}

/** The private key's type (rsa, ec, ed25519 …), or null when Node cannot read it (the sign-in then says why). */
function privateKeyType(pem: string): string | null {
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!key) return null;
  try {
    return createPrivateKey(key).asymmetricKeyType ?? null;
  } catch {
    return null;
  }
}
