import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../config/schema.js';
import type { RunConfig } from '../config/types.js';
import type { SnapshotEntry } from '../core/fact-store.js';
import { redactor } from '../core/redact.js';
import type { FactSource } from '../core/result.js';
import { writeFileAtomic } from './output.js';
import { UsageError } from '../core/usage-error.js';
import { VERSION } from '../core/version.js';
import { redactPiiIn } from '../report/pii.js';

/**
 * `--snapshot-out` / `--from-snapshot`: the facts of a run, saved so a support engineer can
 * re-evaluate them with a newer wxmail and no network. A snapshot is someone else's file: it is
 * data, never code or settings. Its config holds only the keys `--snapshot-out` writes, checked
 * by its own schema — never plugins, endpoints, a CA, a proxy, credentials or evidence paths.
 *
 * Versions: 1 (wxmail 0.1: config, credential hint, facts); 2 adds when, from which tenant and
 * cloud, and by which wxmail the facts were collected, and whether names were masked.
 */

export const SNAPSHOT_VERSION = 2;
const OLDEST_READ = 1;

const FLAG = 'from-snapshot (--from-snapshot)';

/** A tenant masked by --redact-pii (`tenant-1`) is not a GUID or domain, but it is the snapshot's own value. */
const maskedTenant = z.string().regex(/^tenant-\d+$/);

/** Exactly the keys `shareableConfig` writes (src/config/load.ts), each validated as in a config file. */
export const snapshotConfigSchema = z.strictObject({
  tenantId: z.union([configSchema.shape.tenantId.unwrap(), maskedTenant]).optional(),
  clientId: configSchema.shape.clientId,
  callbackUrl: configSchema.shape.callbackUrl,
  reader: z.strictObject({ clientId: configSchema.shape.clientId, deviceCode: z.literal(true).optional() }).optional(),
  assets: configSchema.shape.assets,
  cloud: configSchema.shape.cloud,
  secretWarnDays: configSchema.shape.secretWarnDays,
  sendTest: configSchema.shape.sendTest,
  externalSender: z.strictObject({ user: z.string().min(1).max(320) }).optional(),
});

/** SerializedFactError (src/core/fact-error.ts). */
const factError = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  summary: z.string(),
  details: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  requestIds: z.array(z.string()),
  permission: z.strictObject({ name: z.string(), identity: z.string(), api: z.string().optional() }).optional(),
});
const factEntry = z.union([z.strictObject({ ok: z.literal(true), value: z.unknown() }), z.strictObject({ ok: z.literal(false), error: factError })]);
const credential = z.union([
  z.strictObject({ kind: z.literal('secret'), hint: z.string().max(3), guidShaped: z.boolean() }),
  z.strictObject({
    kind: z.literal('certificate'),
    /** The public certificate only (what Entra shows of it), so the replay can match its thumbprint. */
    certificate: z.string().regex(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/, 'must be one PEM certificate').optional(),
  }),
]);

const snapshotV1 = z.strictObject({
  kind: z.literal('wxmail-snapshot'),
  version: z.literal(1),
  config: snapshotConfigSchema,
  credential: credential.optional(),
  facts: z.record(z.string(), factEntry),
});

const snapshotV2 = z.strictObject({
  kind: z.literal('wxmail-snapshot'),
  version: z.literal(2),
  tool: z.strictObject({ name: z.literal('wxmail'), version: z.string().min(1) }),
  collectedAt: z.iso.datetime({ offset: true }),
  target: z.strictObject({ tenantId: z.string().nullable(), cloud: z.string() }),
  redacted: z.boolean(),
  config: snapshotConfigSchema,
  credential: credential.optional(),
  facts: z.record(z.string(), factEntry),
});

export type Snapshot = z.infer<typeof snapshotV2>;

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Reads and validates a snapshot; anything wrong is one line naming the file, exit 2. */
export function readSnapshot(path: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${FLAG}: cannot read ${path}: ${oneLine((e as Error).message.split('\n')[0] ?? '')}`);
  }
  const head = data as { kind?: unknown; version?: unknown; tool?: { version?: unknown } } | null;
  if (!head || typeof head !== 'object' || head.kind !== 'wxmail-snapshot') {
    throw new UsageError(`${FLAG}: ${path} is not a wxmail snapshot (written by --snapshot-out)`);
  }
  if (typeof head.version === 'number' && head.version > SNAPSHOT_VERSION) {
    const by = typeof head.tool?.version === 'string' ? ` (written by wxmail ${oneLine(head.tool.version).slice(0, 40)})` : '';
    throw new UsageError(
      `${FLAG}: ${path} is a snapshot of version ${head.version}${by}; this wxmail ${VERSION} reads snapshot versions ${OLDEST_READ} to ${SNAPSHOT_VERSION}: replay it with a newer wxmail`,
    );
  }
  const schema = head.version === 1 ? snapshotV1 : head.version === 2 ? snapshotV2 : null;
  if (!schema) throw new UsageError(`${FLAG}: ${path} has snapshot version ${oneLine(JSON.stringify(head.version) ?? 'none').slice(0, 20)}; this wxmail reads versions ${OLDEST_READ} to ${SNAPSHOT_VERSION}`);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(', ')}` : '';
    const where = `${issue.path.map(String).join('.')}${keys}` || '(top level)';
    const why = issue.code === 'unrecognized_keys' ? 'is not allowed in a snapshot (it holds facts; never plugins, endpoints, CA, proxy, credential or evidence paths)' : oneLine(issue.message);
    throw new UsageError(`${FLAG}: ${path}: ${where} ${why}`);
  }
  return upgrade(parsed.data);
}

/** An older snapshot in today's shape; what it did not record stays unknown (null), never guessed. */
function upgrade(s: z.infer<typeof snapshotV1> | Snapshot): Snapshot {
  if (s.version === 2) return s;
  return {
    kind: 'wxmail-snapshot',
    version: 2,
    tool: { name: 'wxmail', version: 'unknown (snapshot version 1)' },
    collectedAt: '',
    target: { tenantId: s.config.tenantId ?? null, cloud: s.config.cloud ?? 'global' },
    redacted: false,
    config: s.config,
    ...(s.credential ? { credential: s.credential } : {}),
    facts: s.facts,
  };
}

/** The report's account of where its facts came from. */
export function sourceOf(s: Snapshot): FactSource {
  return {
    kind: 'snapshot',
    collectedAt: s.collectedAt || null,
    tenantId: s.target.tenantId,
    cloud: s.target.cloud,
    collectedWith: s.tool.version.startsWith('unknown') ? null : `wxmail ${s.tool.version}`,
    redacted: s.redacted,
  };
}

/**
 * The snapshot of this run. With --redact-pii the config and the facts are masked together, so
 * the same address gets the same mask everywhere and the replay still compares like with like.
 */
export function buildSnapshot(
  config: RunConfig,
  shareable: Record<string, unknown>,
  facts: Record<string, SnapshotEntry>,
  collectedAt: Date,
  opts: { redactPii: boolean },
): Snapshot {
  const plain: Snapshot = {
    kind: 'wxmail-snapshot',
    version: 2,
    tool: { name: 'wxmail', version: VERSION },
    collectedAt: collectedAt.toISOString(),
    target: { tenantId: config.tenantId ?? null, cloud: config.cloud },
    redacted: opts.redactPii,
    config: shareable as Snapshot['config'],
    ...credentialOf(config),
    facts,
  };
  const safe = redactor.deep(plain);
  return opts.redactPii ? redactPiiIn(safe, config.tenantId ?? null) : safe;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function credentialOf(config: RunConfig): Pick<Snapshot, 'credential'> {
  if (config.clientCertificate) {
    const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(config.clientCertificate.pem)?.[0];
    return { credential: { kind: 'certificate', ...(certificate ? { certificate: `${certificate.replace(/\r\n/g, '\n')}\n` } : {}) } };
  }
  if (config.clientSecret) return { credential: { kind: 'secret', hint: config.clientSecret.slice(0, 3), guidShaped: GUID.test(config.clientSecret) } };
  return {};
}

/**
 * Offline, no sign-in happens, but the checks still compare the configured secret's hint (and its
 * shape: a pasted secret ID) with the registration: a stand-in with the same hint and shape.
 */
export function offlineSecret(c: { hint: string; guidShaped: boolean }): string {
  return c.guidShaped ? `${c.hint}00000-0000-4000-8000-000000000000` : `${c.hint}~offline-stand-in`;
}

/**
 * Offline, the checks match the certificate's thumbprint and expiry with the registration; they
 * read it from a PEM that must also hold a key. The key is a throwaway stand-in: nothing is
 * signed offline, and a snapshot never holds the real key.
 */
export function offlineCertificate(certificate: string): { path: string; pem: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { path: 'the snapshot\'s certificate', pem: `${privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()}${certificate}` };
}

/** Written whole or not at all (temp file + rename), readable by the owner only: it describes the tenant. */
export function writeSnapshot(path: string, snapshot: Snapshot): void {
  writeFileAtomic(path, `${JSON.stringify(snapshot, null, 2)}\n`, { field: 'snapshot-out (--snapshot-out)', mode: 0o600 });
}
