import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { configSchema } from '../../config/schema.js';
import { CLOUDS, type Cloud } from '../../config/types.js';
import { UsageError } from '../../core/usage-error.js';

/** What `wxmail init` writes: the values a doctor run needs, never a secret. */
export interface InitAnswers {
  tenantId?: string;
  clientId?: string;
  callbackUrl?: string;
  cloud?: Cloud;
  assets: { mailbox?: string; forwardingAddress?: string }[];
}

export interface InitArgs {
  tenantId?: string;
  clientId?: string;
  callbackUrl?: string;
  cloud?: string;
  mailbox?: string[];
  forwardingAddress?: string[];
  output: string;
  force?: boolean;
}

export interface InitIO {
  input: Readable;
  output: Writable;
  /** Ask for what the flags did not give (a person at a terminal); otherwise write what was given. */
  interactive: boolean;
}

/** One field checked by the same schema `wxmail doctor` uses: the message, or null when valid. */
type Field = 'tenantId' | 'clientId' | 'callbackUrl' | 'cloud' | 'mailbox' | 'forwardingAddress';

function problem(field: Field, value: string): string | null {
  const input = field === 'mailbox' || field === 'forwardingAddress' ? { assets: [{ [field]: value }] } : { [field]: value };
  const r = configSchema.safeParse(input);
  return r.success ? null : (r.error.issues[0]?.message ?? 'is not valid');
}

function checked(field: Field, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const p = problem(field, value);
  if (p) throw new UsageError(`${field} (--${flag}): ${p}`);
  return value.trim();
}

/** Answers from the flags, validated; mailboxes and forwarding addresses pair up by position. */
export function answersFromFlags(a: InitArgs): InitAnswers {
  const mailboxes = (a.mailbox ?? []).map((m) => checked('mailbox', 'mailbox', m)!);
  const forwards = (a.forwardingAddress ?? []).map((f) => checked('forwardingAddress', 'forwarding-address', f)!);
  const n = Math.max(mailboxes.length, forwards.length);
  return {
    tenantId: checked('tenantId', 'tenant-id', a.tenantId),
    clientId: checked('clientId', 'client-id', a.clientId),
    callbackUrl: checked('callbackUrl', 'callback-url', a.callbackUrl),
    cloud: checked('cloud', 'cloud', a.cloud) as Cloud | undefined,
    assets: Array.from({ length: n }, (_, i) => ({ mailbox: mailboxes[i], forwardingAddress: forwards[i] })),
  };
}

/** Asks on the terminal for every value the flags did not give; each answer is checked at once. */
export async function askMissing(given: InitAnswers, io: InitIO): Promise<InitAnswers> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string, field: Field, optional = false): Promise<string | undefined> => {
    for (;;) {
      io.output.write(`${question}: `);
      const next = await lines.next();
      if (next.done) throw new UsageError(`init: no answer for "${question}" (input ended)`);
      const v = String(next.value).trim();
      if (v === '' && optional) return undefined;
      const p = v === '' ? 'is required' : problem(field, v);
      if (!p) return v;
      io.output.write(`  ${p}\n`);
    }
  };
  try {
    const out: InitAnswers = { ...given, assets: [...given.assets] };
    io.output.write('wxmail init: a few values from the Azure portal and Webex Connect (no secrets are asked or written).\n');
    out.tenantId ??= await ask('Tenant: Directory (tenant) ID or domain (Microsoft Entra admin center → Overview)', 'tenantId');
    out.clientId ??= await ask('Application (client) ID of the Webex app registration', 'clientId');
    out.callbackUrl ??= await ask('Webex Connect "Call Back URL" (Email app, Office 365, OAuth 2.0)', 'callbackUrl');
    if (!out.cloud) {
      const cloud = await ask(`Microsoft cloud (${CLOUDS.join(', ')}; empty = global)`, 'cloud', true);
      if (cloud) out.cloud = cloud as Cloud;
    }
    if (out.assets.length === 0) out.assets.push({});
    for (let i = 0; ; i++) {
      const asset = out.assets[i]!;
      asset.mailbox ??= await ask(`Mailbox (Email ID) of asset ${i + 1}`, 'mailbox');
      asset.forwardingAddress ??= await ask(`Webex Connect "Forwarding Address" for ${asset.mailbox}`, 'forwardingAddress');
      if (i + 1 < out.assets.length) continue;
      io.output.write('Another email asset? (y/N): ');
      const more = await lines.next();
      if (more.done || !/^y(es)?$/i.test(String(more.value).trim())) break;
      out.assets.push({});
    }
    return out;
  } finally {
    rl.close();
  }
}

const q = (v: string) => JSON.stringify(v);

/** The commented YAML: every key explained where the admin finds its value; nothing secret. */
export function configYaml(a: InitAnswers, fileName = 'wxmail.yaml'): string {
  const line = (key: string, value: string | undefined, placeholder: string) => (value ? `${key}: ${q(value)}` : `# ${key}: ${q(placeholder)}   # not set yet`);
  const assets = a.assets.length > 0 ? a.assets : [{}];
  return [
    '# wxmail configuration, written by `wxmail init`. It holds no secret.',
    '# Give the Webex app\'s client secret VALUE at run time: WXMAIL_CLIENT_SECRET, or --client-secret-file FILE',
    `# (or --client-certificate PEM). Then: wxmail doctor --config ${fileName}`,
    '',
    '# Directory (tenant) ID or the tenant\'s domain: Microsoft Entra admin center → Overview',
    line('tenantId', a.tenantId, '<tenant-id>'),
    '# Application (client) ID of the app registration Webex Connect uses (setup guide step 2)',
    line('clientId', a.clientId, '<client-id>'),
    '# The "Call Back URL" Webex Connect shows for the Email app (setup guide step 1)',
    line('callbackUrl', a.callbackUrl, '<callback-url>'),
    '# Microsoft cloud: global (also GCC), usgov (GCC High), usgovdod, china',
    a.cloud ? `cloud: ${a.cloud}` : '# cloud: global',
    '# One entry per Webex Connect email asset: the mailbox (Email ID) and its "Forwarding Address"',
    'assets:',
    ...assets.flatMap((x) => [
      x.mailbox ? `  - mailbox: ${q(x.mailbox)}` : `  - mailbox: ${q('<mailbox>')}   # not set yet`,
      x.forwardingAddress ? `    forwardingAddress: ${q(x.forwardingAddress)}` : `    # forwardingAddress: ${q('<forwarding-address>')}   # not set yet`,
    ]),
    '',
    '# Who reads the tenant\'s configuration (Graph, Exchange). Without a reader the Webex app reads what it',
    '# can, and each check it cannot run names the permission it needs. Pick one:',
    '# reader:',
    '#   deviceCode: true                 # an admin signs in with a device code (the same as --sign-in)',
    '#   clientId: "<reader-app-id>"      # or a second app; its secret in WXMAIL_READER_CLIENT_SECRET',
    '',
  ].join('\n');
}

export async function init(args: InitArgs, io: InitIO): Promise<number> {
  if (!args.output.trim()) throw new UsageError('output (--output): must be a file name');
  let answers = answersFromFlags(args);
  if (io.interactive) answers = await askMissing(answers, io);
  const yaml = configYaml(answers, args.output);
  // The file must parse as a config the doctor accepts: placeholders are commented out, except an
  // unset mailbox, which is rejected by the schema on purpose until the admin fills it in.
  try {
    writeFileSync(args.output, yaml, { flag: args.force ? 'w' : 'wx', mode: 0o644 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`output (--output): ${args.output} exists; choose another name or add --force`);
    throw new UsageError(`output (--output): cannot write ${args.output}: ${code ?? 'error'}`);
  }
  const missing = [
    !answers.tenantId && 'tenantId',
    !answers.clientId && 'clientId',
    !answers.callbackUrl && 'callbackUrl',
    (answers.assets.length === 0 || answers.assets.some((x) => !x.mailbox)) && 'assets[].mailbox',
    (answers.assets.length === 0 || answers.assets.some((x) => !x.forwardingAddress)) && 'assets[].forwardingAddress',
  ].filter(Boolean);
  const out = [
    `Wrote ${args.output} (no secrets in it).`,
    ...(missing.length ? [`Not set yet: ${missing.join(', ')}: edit ${args.output}, or run wxmail init again with those flags and --force.`] : []),
    '',
    'Next:',
    "  export WXMAIL_CLIENT_SECRET='<secret value>'     # the Value column of Certificates & secrets (not the Secret ID); or --client-secret-file FILE",
    `  wxmail doctor --config ${args.output} --sign-in   # an admin reads the tenant's configuration (device code)`,
    `  wxmail doctor --config ${args.output}             # or the Webex app alone: checks it cannot read name the permission`,
    '  (a reader app instead of --sign-in: --reader-client-id <app id> with WXMAIL_READER_CLIENT_SECRET)',
    '',
  ];
  io.output.write(out.join('\n'));
  return 0;
}
