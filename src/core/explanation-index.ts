import { mapAadError, type AadError } from '../collect/errors/aadsts.js';
import { SMTP_REPLY_TABLE, diagnoseSmtpReply, type SmtpRule } from '../collect/errors/smtp.js';
import type { CheckDefinition } from './check.js';
import { statusOfCode, type Status } from './codes.js';
import type { Explanation } from './explanation.js';
import { genericExplanations } from './generic-explanations.js';
import { editDistance } from './edit-distance.js';

/**
 * Every explanation entry, indexed by what a user arrives with: a reason code, a check id, an
 * AADSTS number, an enhanced SMTP status or a pasted error line. Built from the entries beside
 * the checks, the one AADSTS table and the one SMTP reply table — no second table of its own.
 * `wxmail explain` and docs/TROUBLESHOOTING.md both render from it.
 */

export interface IndexedEntry {
  code: string;
  entry: Explanation;
  /** Every distinct "what you see" text the owners record (the same code may be seen in several places). */
  seen: string[];
  /** Check ids that report the code (empty for the generic codes any check can end with). */
  checks: string[];
  /** The guide's step (1–4) the fix belongs to; null for the generic codes. */
  step: number | null;
  status: Status | undefined;
}

/** An AADSTS number or SMTP status the tool knows only generically: what it is and where Microsoft explains it. */
export interface GenericLookup {
  kind: 'aadsts' | 'smtp';
  id: string;
  title: string;
  text: string;
  /** The entry that reports it when a run meets it (TOKEN_FAILED, SEND_REJECTED, …). */
  reportedAs: string | null;
  links: string[];
}

export type Lookup =
  | { kind: 'check'; check: CheckDefinition<any> }
  | { kind: 'entry'; entry: IndexedEntry; also: IndexedEntry[]; matchedBy: string }
  | { kind: 'candidates'; candidates: IndexedEntry[]; matchedBy: string }
  | { kind: 'generic'; generic: GenericLookup }
  | { kind: 'none'; suggestions: string[] };

export const AADSTS_LOOKUP = (n: string) => `https://login.microsoftonline.com/error?code=${n}`;
export const AADSTS_REFERENCE = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';
export const NDR_REFERENCE = 'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online';

const AADSTS_IN = /\bAADSTS(\d{4,8})\b/gi;
const STATUS_IN = /(?<![\w.])([245]\.\d{1,3}\.\d{1,3})(?![\w.])/g;

export function buildIndex(checks: CheckDefinition<any>[]): IndexedEntry[] {
  const byCode = new Map<string, IndexedEntry>();
  for (const check of checks) {
    for (const [code, entry] of Object.entries(check.explanations)) {
      const known = byCode.get(code);
      if (known) {
        known.checks.push(check.id);
        if (!known.seen.includes(entry.seen)) known.seen.push(entry.seen);
        continue;
      }
      byCode.set(code, { code, entry, seen: [entry.seen], checks: [check.id], step: entry.step ?? check.step, status: statusOfCode(code) });
    }
  }
  for (const [code, entry] of Object.entries(genericExplanations)) {
    if (!byCode.has(code)) byCode.set(code, { code, entry, seen: [entry.seen], checks: [], step: entry.step ?? null, status: statusOfCode(code) });
  }
  return [...byCode.values()];
}

/** Entries in the order of the guide: step 1 → 4, then the generic ones; within a step, registration order. */
export function byStep(index: IndexedEntry[]): { step: number | null; entries: IndexedEntry[] }[] {
  const steps = [...new Set(index.map((e) => e.step))].sort((a, b) => (a ?? 99) - (b ?? 99));
  return steps.map((step) => ({ step, entries: index.filter((e) => e.step === step) }));
}

/** AADSTS numbers an entry's recorded Microsoft text names. */
export function aadstsIn(text: string): string[] {
  return [...new Set([...text.matchAll(AADSTS_IN)].map((m) => m[1]!))];
}

/** Enhanced SMTP statuses an entry's recorded Microsoft text names (`5.7.139`). */
export function statusesIn(text: string): string[] {
  return [...new Set([...text.matchAll(STATUS_IN)].map((m) => m[1]!))];
}

/** Codes the one AADSTS table maps this number to, over every credential shape it distinguishes. */
function aadstsCodes(n: number): string[] {
  const e: AadError = { aadsts: n, error: null, description: null, errorUri: null, traceId: null, correlationId: null, httpStatus: 400 };
  const contexts = [
    { credential: 'secret' as const, clientSecret: 'abc~not-a-guid' },
    { credential: 'secret' as const, clientSecret: '00000000-0000-4000-8000-000000000000' },
    { credential: 'certificate' as const },
  ];
  return [...new Set(contexts.map((ctx) => mapAadError(e, ctx).code))];
}

function ruleMatchesStatus(rule: SmtpRule, status: string): boolean {
  if (rule.enhanced === undefined) return false;
  return typeof rule.enhanced === 'string' ? rule.enhanced === status : rule.enhanced.test(status);
}

/** Every AADSTS number and SMTP status the tool can name: from the entries and the SMTP table. */
export function knownIdentifiers(index: IndexedEntry[]): { id: string; codes: string[] }[] {
  const out = new Map<string, Set<string>>();
  const add = (id: string, code: string) => out.set(id, (out.get(id) ?? new Set()).add(code));
  for (const e of index) {
    for (const s of e.seen) {
      for (const n of aadstsIn(s)) add(`AADSTS${n}`, e.code);
      for (const st of statusesIn(s)) add(st, e.code);
    }
  }
  for (const rule of SMTP_REPLY_TABLE) if (typeof rule.enhanced === 'string') add(rule.enhanced, rule.reason);
  return [...out.entries()].map(([id, codes]) => ({ id, codes: [...codes] })).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

const STOP = new Set(['the', 'and', 'for', 'are', 'not', 'this', 'that', 'with', 'your', 'you', 'was', 'from', 'has', 'have', 'its', 'our', 'any', 'more']);

function words(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9.]+/)
      .map((w) => w.replace(/^\.+|\.+$/g, ''))
      .filter((w) => w.length >= 3 && !STOP.has(w)),
  );
}

/** Share of the pasted line's words found in the entry's recorded text (0–1). */
function textScore(line: Set<string>, entry: IndexedEntry): number {
  if (!line.size) return 0;
  const seen = words(entry.seen.join(' '));
  let hit = 0;
  for (const w of line) if (seen.has(w)) hit++;
  return hit / line.size;
}


/** Check ids and codes close to what was typed: `smtp-auth` → `exchange.smtp-auth`. */
export function suggest(topic: string, checks: CheckDefinition<any>[], index: IndexedEntry[]): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/[\s._-]+/g, '');
  const t = norm(topic);
  if (t.length < 3) return [];
  const names = [...checks.map((c) => c.id), ...index.map((e) => e.code)];
  const scored = names.map((name) => {
    const n = norm(name);
    const tail = norm(name.includes('.') ? name.slice(name.indexOf('.') + 1) : name);
    const d = Math.min(editDistance(t, n), editDistance(t, tail));
    const contains = n.includes(t) || (t.length >= 5 && t.includes(tail));
    return { name, d: contains ? Math.min(d, 1) : d };
  });
  const limit = Math.max(1, Math.floor(t.length / 4));
  const close = scored.filter((s) => s.d <= limit);
  const best = Math.min(...close.map((s) => s.d));
  return close
    .filter((s) => s.d === best)
    .map((s) => s.name)
    .slice(0, 5);
}

function genericAadsts(n: string): GenericLookup {
  return {
    kind: 'aadsts',
    id: `AADSTS${n}`,
    title: `AADSTS${n}: a Microsoft Entra ID sign-in error`,
    text:
      `AADSTS${n} is an error code of Microsoft Entra ID (the sign-in service). wxmail has no entry of its own for it: when the token request of ` +
      `the Webex app ends with it, entra.token reports TOKEN_FAILED with the number and Microsoft's text. Microsoft's lookup page explains the code.`,
    reportedAs: 'TOKEN_FAILED',
    links: [AADSTS_LOOKUP(n), AADSTS_REFERENCE],
  };
}

function genericSmtp(status: string): GenericLookup {
  const transient = status.startsWith('4.');
  return {
    kind: 'smtp',
    id: status,
    title: `${status}: an enhanced SMTP status code`,
    text:
      `${status} is an enhanced mail system status code (RFC 3463): ${transient ? '4.x.x is a temporary failure (the sender retries)' : '5.x.x is a permanent failure (the message is not delivered)'}. ` +
      'wxmail has no entry of its own for it: in an SMTP probe it is reported by its phase (SMTP_AUTH_FAILED at login, SEND_REJECTED when sending, FORWARDING_NDR in a bounce). ' +
      "Microsoft's list of Exchange Online non-delivery reports explains the code.",
    reportedAs: null,
    links: [NDR_REFERENCE],
  };
}

/**
 * What the user typed → what to show. Order: check id, reason code, AADSTS number, SMTP status,
 * pasted line (identifiers in it first, then the recorded Microsoft text that fits it best).
 */
export function lookup(topicRaw: string, checks: CheckDefinition<any>[], index: IndexedEntry[] = buildIndex(checks)): Lookup {
  const topic = topicRaw.trim();
  const check = checks.find((c) => c.id === topic.toLowerCase());
  if (check) return { kind: 'check', check };
  const byCode = new Map(index.map((e) => [e.code, e]));
  const exact = byCode.get(topic.toUpperCase());
  if (exact) return { kind: 'entry', entry: exact, also: [], matchedBy: 'code' };

  const entriesOf = (codes: string[]) => [...new Set(codes)].map((c) => byCode.get(c)).filter((e): e is IndexedEntry => !!e);
  const bare = /^(?:AADSTS)?(\d{4,8})$/i.exec(topic);
  if (bare) return fromAadsts(bare[1]!, index, entriesOf);
  if (/^[245]\.\d{1,3}\.\d{1,3}$/.test(topic)) return fromStatus(topic, index, entriesOf);

  const lineWords = words(topic);
  const aad = aadstsIn(topic);
  const statuses = statusesIn(topic);
  let pool: IndexedEntry[] = [];
  let primary: IndexedEntry | undefined;
  let matchedBy = 'text';
  if (aad.length) {
    const r = fromAadsts(aad[0]!, index, entriesOf);
    if (r.kind === 'generic') return r;
    pool = r.kind === 'entry' ? [r.entry, ...r.also] : r.kind === 'candidates' ? r.candidates : [];
    matchedBy = `AADSTS${aad[0]}`;
  } else if (statuses.length) {
    // The SMTP table matches the reply as a probe would see it: status plus its keywords (5.7.139 + "for the Tenant").
    const d = diagnoseSmtpReply(topic, 'ndr');
    if (!d.rule.startsWith('fallback')) primary = byCode.get(d.reason);
    const r = fromStatus(statuses[0]!, index, entriesOf);
    if (r.kind === 'generic' && !primary) return r;
    pool = r.kind === 'entry' ? [r.entry, ...r.also] : r.kind === 'candidates' ? r.candidates : [];
    matchedBy = statuses[0]!;
  } else if (/\s/.test(topic)) {
    // A pasted sentence; one word is a mistyped name, answered with suggestions instead.
    pool = index.filter((e) => textScore(lineWords, e) >= 0.5);
  }
  if (primary && !pool.includes(primary)) pool.unshift(primary);
  if (!pool.length) return { kind: 'none', suggestions: suggest(topic, checks, index) };
  const ranked = pool
    .map((e) => ({ e, score: textScore(lineWords, e) + (e === primary ? 1 : 0) }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = ranked;
  if (!second || best!.score - second.score >= 0.15) {
    return { kind: 'entry', entry: best!.e, also: ranked.slice(1).map((r) => r.e), matchedBy };
  }
  return { kind: 'candidates', candidates: ranked.map((r) => r.e), matchedBy };
}

function fromAadsts(n: string, index: IndexedEntry[], entriesOf: (codes: string[]) => IndexedEntry[]): Lookup {
  const fromTable = aadstsCodes(Number(n)).filter((c) => c !== 'TOKEN_FAILED');
  const fromText = index.filter((e) => e.seen.some((s) => aadstsIn(s).includes(n))).map((e) => e.code);
  const found = entriesOf([...fromTable, ...fromText]);
  if (!found.length) return { kind: 'generic', generic: genericAadsts(n) };
  if (found.length === 1) return { kind: 'entry', entry: found[0]!, also: [], matchedBy: `AADSTS${n}` };
  return { kind: 'candidates', candidates: found, matchedBy: `AADSTS${n}` };
}

function fromStatus(status: string, index: IndexedEntry[], entriesOf: (codes: string[]) => IndexedEntry[]): Lookup {
  const table = entriesOf(SMTP_REPLY_TABLE.filter((r) => ruleMatchesStatus(r, status)).map((r) => r.reason));
  const text = entriesOf(index.filter((e) => e.seen.some((s) => statusesIn(s).includes(status))).map((e) => e.code)).filter((e) => !table.includes(e));
  if (!table.length && !text.length) return { kind: 'generic', generic: genericSmtp(status) };
  // One row of the table decides it (5.7.520 → FORWARDING_NDR); the entries that quote it are related.
  if (table.length === 1) return { kind: 'entry', entry: table[0]!, also: text, matchedBy: status };
  if (!table.length && text.length === 1) return { kind: 'entry', entry: text[0]!, also: [], matchedBy: status };
  return { kind: 'candidates', candidates: [...table, ...text], matchedBy: status };
}

