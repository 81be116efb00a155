import type { RunConfig } from '../../../src/config/types.js';
import { finding, type CheckContext, type FactOutcome, type Outcome } from '../../../src/core/check.js';
import { mdCode } from '../../../src/core/md.js';

/**
 * The Exchange checks read with the reader identity, else with the Webex identity: without a
 * reader, a bad Webex secret shows as DEPENDENCY_FAILED on entra.token instead of noise here.
 * With `--exchange-evidence` the Exchange facts come from files and need no token.
 */
export function exchangeRequires(cfg: RunConfig): string[] {
  return cfg.reader || cfg.exchangeEvidenceDir ? [] : ['entra.token'];
}

/** What the reading identity needs for the Exchange facts (README, `wxmail checks`). */
export const EXCHANGE_READ_PERMISSIONS = [
  'Office 365 Exchange Online: Exchange.ManageAsApp (application, admin consent) plus the Microsoft Entra role Global Reader on the reading app — or `--exchange-evidence DIR` from `wxmail evidence-script`',
];

export function requireMailbox(ctx: CheckContext): Outcome | null {
  if (!ctx.asset?.mailbox?.trim()) return finding('INPUT_MISSING', 'No mailbox configured (--mailbox): the Exchange checks read the mailbox user of the Webex Connect asset.');
  return null;
}

export function requireForwardingAddress(ctx: CheckContext): Outcome | null {
  return (
    requireMailbox(ctx) ??
    (ctx.asset?.forwardingAddress?.trim()
      ? null
      : finding('INPUT_MISSING', 'No Webex Connect forwarding address configured (--forwarding-address): copy it from Webex Connect → Assets → Apps → the Email app (setup guide step 1).'))
  );
}

/** The configured forwarding address, without a stray `smtp:` and lower-cased. */
export function normalisedAddress(address: string): string {
  return address.trim().replace(/^smtp:/i, '').toLowerCase();
}

/** Where the facts of a verdict came from, e.g. "Exchange admin API (undocumented, observed shape)". */
export function sourceText(...sources: string[]): string {
  return [...new Set(sources.flatMap((s) => s.split('; ')))].join('; ');
}

/** The line every Exchange verdict carries in its details, naming where its facts came from (reference F1). */
export function sourceLine(...sources: string[]): string {
  return `source: ${sourceText(...sources)}`;
}

/** Joins detail paragraphs, dropping empty ones. */
export function paragraphs(...parts: (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => !!p).join('\n\n');
}

/** Why an optional fact could not be read, in one line. */
export function whyNot(o: FactOutcome<unknown>): string {
  return o.ok ? '' : `${o.error.code}: ${o.error.message}`;
}

export function quoteList(items: string[]): string {
  return items.map((i) => mdCode(i)).join(', ');
}
