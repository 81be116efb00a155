/**
 * Reads the customer's exported cmdlet output (`--exchange-evidence DIR`): one JSON file per
 * cmdlet, as `wxmail evidence-script` writes them (`Get-X | ConvertTo-Json -Depth 5 | Out-File
 * -Encoding utf8 Get-X.json`). Windows PowerShell writes a BOM, and a hand-made export may be
 * UTF-16 (Out-File's default there); an empty file means the cmdlet returned nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FactError } from '../../core/fact-error.js';
import type { CollectContext } from '../../core/fact.js';
import { rows, type Row } from './values.js';

export const EVIDENCE_FILES = [
  'Get-Mailbox',
  'Get-CASMailbox',
  'Get-TransportConfig',
  'Get-HostedOutboundSpamFilterPolicy',
  'Get-HostedOutboundSpamFilterRule',
  'Get-RemoteDomain',
  'Get-TransportRule',
  // The recipient a mailbox's ForwardingAddress names (G12); read only when one is set.
  'Get-Recipient',
] as const;
export type EvidenceCmdlet = (typeof EVIDENCE_FILES)[number];

export const evidenceFileName = (cmdlet: EvidenceCmdlet): string => `${cmdlet}.json`;

/** The rows of one evidence file; parsed once per run however many assets read it. */
export function readEvidence(ctx: CollectContext, dir: string, cmdlet: EvidenceCmdlet): Promise<Row[]> {
  const key = `exchange.evidence:${dir}:${cmdlet}`;
  let p = ctx.services.get(key) as Promise<Row[]> | undefined;
  if (!p) {
    p = load(dir, cmdlet);
    ctx.services.set(key, p);
  }
  return p;
}

async function load(dir: string, cmdlet: EvidenceCmdlet): Promise<Row[]> {
  const file = join(dir, evidenceFileName(cmdlet));
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FactError('INPUT_MISSING', `The Exchange evidence folder has no ${evidenceFileName(cmdlet)}${code && code !== 'ENOENT' ? ` (${code})` : ''}.`, {
      details: `\`--exchange-evidence ${dir}\` should hold one JSON file per cmdlet, as \`wxmail evidence-script\` writes them. Run the script again (it writes ${evidenceFileName(cmdlet)}), or run without \`--exchange-evidence\` to read Exchange live.`,
      evidence: { file, source: `evidence file ${evidenceFileName(cmdlet)}` },
    });
  }
  const textContent = decode(bytes);
  if (textContent.trim() === '') return [];
  let doc: unknown;
  try {
    doc = JSON.parse(textContent);
  } catch (err) {
    throw new FactError('UNEXPECTED_RESPONSE', `${evidenceFileName(cmdlet)} in the Exchange evidence folder is not JSON.`, {
      details: `Write it with \`${cmdlet} | ConvertTo-Json -Depth 5 | Out-File -Encoding utf8 ${evidenceFileName(cmdlet)}\` (the evidence script does). Parser: ${(err as Error).message}`,
      evidence: { file, bodyStart: textContent.slice(0, 80), source: `evidence file ${evidenceFileName(cmdlet)}` },
    });
  }
  const problem = shapeProblem(cmdlet, doc);
  if (problem) {
    throw new FactError('UNEXPECTED_RESPONSE', `${evidenceFileName(cmdlet)} in the Exchange evidence folder is not ${cmdlet} output: ${problem}.`, {
      details: `A file from someone else is data, checked against what \`${cmdlet} | ConvertTo-Json\` writes, never trusted as a verdict. Write it again with \`wxmail evidence-script\`.`,
      evidence: { file, source: `evidence file ${evidenceFileName(cmdlet)}` },
    });
  }
  return rows(doc);
}

/**
 * Properties that tell one cmdlet's output from another's (case-insensitive, as PowerShell):
 * every row must have one of `any`, and none of `not` (the key of a look-alike cmdlet).
 * The evidence script selects these; a full export has them too.
 */
const SIGNATURE: Record<EvidenceCmdlet, { any: string[]; not?: string[] }> = {
  'Get-Mailbox': { any: ['ForwardingSmtpAddress', 'DeliverToMailboxAndForward', 'RecipientTypeDetails'] },
  'Get-CASMailbox': { any: ['SmtpClientAuthenticationDisabled'], not: ['ForwardingSmtpAddress', 'RecipientTypeDetails'] },
  'Get-TransportConfig': { any: ['SmtpClientAuthenticationDisabled'], not: ['PrimarySmtpAddress'] },
  'Get-HostedOutboundSpamFilterPolicy': { any: ['AutoForwardingMode'], not: ['HostedOutboundSpamFilterPolicy'] },
  'Get-HostedOutboundSpamFilterRule': { any: ['HostedOutboundSpamFilterPolicy'] },
  'Get-RemoteDomain': { any: ['DomainName', 'AutoForwardEnabled'] },
  'Get-TransportRule': { any: ['Mode', 'SentToScope', 'FromScope', 'RedirectMessageTo', 'RejectMessageReasonText', 'Conditions'], not: ['HostedOutboundSpamFilterPolicy'] },
  'Get-Recipient': { any: ['RecipientType', 'ExternalEmailAddress'], not: ['ForwardingSmtpAddress', 'SmtpClientAuthenticationDisabled'] },
};

/** ConvertTo-Json -Depth 5 nests a few levels; far deeper is not cmdlet output (and would overflow readers). */
const MAX_DEPTH = 16;

function depthOver(doc: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[doc, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) return true;
    if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return false;
}

/** What is wrong with a parsed evidence file, or null when it has the cmdlet's shape. */
export function shapeProblem(cmdlet: EvidenceCmdlet, doc: unknown): string | null {
  if (doc === null) return 'it holds null (a cmdlet that returns nothing writes an empty file)';
  if (typeof doc !== 'object') return `it holds a ${typeof doc}, not objects`;
  if (depthOver(doc, MAX_DEPTH)) return `it is nested deeper than ${MAX_DEPTH} levels`;
  const list = Array.isArray(doc) ? doc : null;
  if (list && list.some((x) => x === null || typeof x !== 'object' || Array.isArray(x))) return 'its list holds values that are not objects';
  const found = rows(doc);
  const sig = SIGNATURE[cmdlet];
  const has = (row: Record<string, unknown>, key: string) => Object.keys(row).some((k) => k.toLowerCase() === key.toLowerCase());
  for (const row of found) {
    if (!sig.any.some((k) => has(row, k))) return `an object has none of ${sig.any.join(', ')}`;
    const alien = sig.not?.find((k) => has(row, k));
    if (alien) return `an object has ${alien}, a property of another cmdlet's output`;
  }
  return null;
}

/** UTF-8 (with or without BOM) or UTF-16 LE/BE with BOM. */
export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = bytes.subarray(2, bytes.length - (bytes.length % 2));
    const swapped = Buffer.from(body);
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const s = bytes.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
