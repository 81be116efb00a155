import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Asset, RunConfig } from '../config/types.js';
import type { Net } from '../net/net.js';
import type { CheckContext, CheckDefinition, FactOutcome, Need, Outcome } from './check.js';
import { mostSevere } from './check.js';
import { HARMLESS_SKIPS, statusOfCode, type Status } from './codes.js';
import { remediationOf, type Explanation } from './explanation.js';
import { FactError } from './fact-error.js';
import { Semaphore } from './semaphore.js';
import { withConnections } from './fix-connections.js';
import { configFixValues, type FixValues } from './fix-values.js';
import { factKey, type FactDefinition } from './fact.js';
import { FactStore, type SnapshotEntry } from './fact-store.js';
import { genericExplanations } from './generic-explanations.js';
import type { CheckResult } from './result.js';
import { isSelected } from './selection.js';

export interface RunOptions {
  config: RunConfig;
  checks: CheckDefinition<any>[];
  net: Net;
  log: Logger;
  /** Evaluate from saved facts instead of the network. */
  snapshot?: Record<string, SnapshotEntry>;
  now?: () => Date;
  /** Called once, with how many check results the run will produce (progress line). */
  onPlan?: (total: number) => void;
  /** Called as each check ends (progress line). */
  onResult?: (r: CheckResult) => void;
  /**
   * Facts collected before any check starts and before the run's deadline is armed, within their
   * own time limit: a person signing in (device code) is not the network being slow.
   */
  warmUp?: { facts: FactDefinition<unknown>[]; timeoutMs: number };
}

export interface RunOutput {
  results: CheckResult[];
  facts: FactStore;
  durationMs: number;
}

interface Instance {
  check: CheckDefinition<any>;
  asset: Asset | null;
  key: string;
}

/**
 * Runs checks along their dependency graph: every check starts as soon as the checks it requires
 * have ended, facts are shared through the FactStore, a per-check timeout and the run deadline
 * bound everything, and nothing a check does can crash the run.
 */
export async function runChecks(opts: RunOptions): Promise<RunOutput> {
  const started = Date.now();
  const { config } = opts;
  const now = opts.now ?? (() => new Date());
  const deadline = new AbortController();
  // Every collector and timeout listens on the one deadline signal; that is by design, not a leak.
  setMaxListeners(0, deadline.signal);
  const facts = new FactStore({ config, net: opts.net, log: opts.log, signal: deadline.signal }, opts.snapshot);
  if (opts.warmUp && !opts.snapshot) {
    const warmUpTimer = setTimeout(() => deadline.abort(), opts.warmUp.timeoutMs);
    await Promise.all(opts.warmUp.facts.map((f) => facts.outcome(f, null)));
    clearTimeout(warmUpTimer);
  }
  const deadlineTimer = setTimeout(() => deadline.abort(), config.timeoutMs);
  const byId = new Map(opts.checks.map((c) => [c.id, c]));

  const assets: (Asset | null)[] = config.assets.length > 0 ? config.assets : [null];
  const instanceKey = (id: string, asset: Asset | null) => `${id}@${asset?.mailbox ?? asset?.forwardingAddress ?? ''}`;

  // Selected checks, plus whatever they require (dependencies run and are reported even if not selected).
  const wanted = new Set(opts.checks.filter((c) => isSelected(c.id, config.only, config.skip)).map((c) => c.id));
  const requiresOf = (c: CheckDefinition<any>): string[] =>
    (typeof c.requires === 'function' ? c.requires(config) : c.requires ?? []).filter((id) => byId.has(id));
  for (const id of [...wanted]) addDeps(id);
  function addDeps(id: string): void {
    for (const dep of requiresOf(byId.get(id)!)) {
      if (!wanted.has(dep)) {
        wanted.add(dep);
        addDeps(dep);
      }
    }
  }

  const instances: Instance[] = [];
  for (const check of opts.checks) {
    if (!wanted.has(check.id)) continue;
    for (const asset of check.scope === 'asset' ? assets : [null]) instances.push({ check, asset, key: instanceKey(check.id, asset) });
  }

  opts.onPlan?.(instances.length);
  const slots = new Semaphore(Math.max(1, config.concurrency));
  const pending = new Map<string, Promise<CheckResult>>();
  const resultOf = (id: string, asset: Asset | null): Promise<CheckResult> | undefined =>
    pending.get(instanceKey(id, byId.get(id)?.scope === 'asset' ? asset : null));

  // Remediations are filled once every fact is in: a fix may name what another check's fact found.
  const unfilled = new Map<CheckResult, { explanation: Explanation; asset: Asset | null; values: FixValues }>();
  // A fleet's checks start mailbox by mailbox (every check of the first, then of the next …): the
  // first slots then ask for every kind of per-mailbox fact, and each read-ahead sends that kind
  // for the whole fleet at once instead of kind after kind (issue 9). Results keep their order.
  const assetIndex = new Map(assets.map((a, i) => [a, i]));
  const startOrder = [...instances].sort((a, b) => (a.asset ? assetIndex.get(a.asset)! : -1) - (b.asset ? assetIndex.get(b.asset)! : -1));
  for (const inst of startOrder) {
    pending.set(inst.key, Promise.resolve().then(() => runOne(inst)));
  }

  async function runOne(inst: Instance): Promise<CheckResult> {
    const { check, asset } = inst;
    const ctx: CheckContext = { config, asset, now: now() };
    const t0 = Date.now();
    const finish = (o: Outcome, extraIds: string[] = []): CheckResult => {
      const r = toResult(check, asset, o, Date.now() - t0, extraIds);
      if (r.remediation) unfilled.set(r, { explanation: explanationOf(check, o.code)!, asset, values: o.values ?? {} });
      opts.onResult?.(r);
      return r;
    };

    if (check.optIn === 'sendTest' && !config.sendTest) {
      return finish({ code: 'NOT_REQUESTED', summary: 'Sends a real message: runs only with --send-test.' });
    }
    const deps = await Promise.all(requiresOf(check).map((id) => resultOf(id, asset)).filter((p): p is Promise<CheckResult> => !!p));
    const broken = deps.find((d) => d.status === 'fail' || d.status === 'error');
    if (broken) {
      return finish({ code: 'DEPENDENCY_FAILED', summary: `Not run: ${broken.id} ended ${broken.status}${broken.code ? ` (${broken.code})` : ''}.` });
    }
    const skipped = deps.find((d) => d.status === 'skip');
    if (skipped) {
      return finish({ code: skipped.code ?? 'DEPENDENCY_FAILED', summary: `Not run: ${skipped.id} was skipped — ${skipped.summary}` });
    }
    const pre = check.precondition?.(ctx);
    if (pre) return finish(pre);
    if (deadline.signal.aborted) return finish(deadlineOutcome(config));

    await slots.acquire();
    const keys: string[] = [];
    try {
      const work = (async (): Promise<Outcome> => {
        const resolved: Record<string, unknown> = {};
        const failures: FactError[] = [];
        await Promise.all(
          Object.entries(check.needs as Record<string, Need>).map(async ([name, need]) => {
            const fact = ('optional' in need ? need.fact : need) as FactDefinition<unknown>;
            const factAsset = fact.scope === 'asset' ? asset : null;
            keys.push(factKey(fact, factAsset));
            const o: FactOutcome<unknown> = await facts.outcome(fact, factAsset);
            if ('optional' in need) resolved[name] = o;
            else if (o.ok) resolved[name] = o.value;
            else failures.push(o.error);
          }),
        );
        if (failures.length > 0) return factFailureOutcome(failures);
        return await check.run(resolved as never, ctx);
      })();
      const timeoutMs = typeof check.timeoutMs === 'function' ? check.timeoutMs(config) : check.timeoutMs ?? config.checkTimeoutMs;
      let answered = false;
      void work.then(() => (answered = true), () => (answered = true));
      const o = await raceTimeout(work, timeoutMs, deadline.signal, config);
      if (!answered) facts.timedOut(keys, new FactError('TIMEOUT', o.summary));
      return finish(o, facts.requestIds(keys));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      opts.log.debug({ check: check.id, err: message }, 'check threw');
      return finish({ code: 'INTERNAL_ERROR', summary: `The check threw: ${message}`, evidence: { error: err instanceof Error ? err.name : typeof err } });
    } finally {
      slots.release();
    }
  }

  try {
    const results = await Promise.all(instances.map((i) => pending.get(i.key)!));
    for (const [r, u] of unfilled) {
      const explanation = { ...u.explanation, commands: withConnections(u.explanation.commands ?? [], config.cloud) };
      r.remediation = remediationOf(explanation, { ...configFixValues(config, u.asset), ...(await facts.fixValues(u.asset)), ...u.values });
    }
    return { results, facts, durationMs: Date.now() - started };
  } finally {
    clearTimeout(deadlineTimer);
  }
}

function factFailureOutcome(errors: FactError[]): Outcome {
  const top = mostSevere(errors.map((e) => ({ code: e.code, message: e.message })));
  const err = errors.find((e) => e.code === top.code)!;
  const more = errors.filter((e) => e !== err).map((e) => `- \`${e.code}\`: ${e.message}`);
  const details = [err.details, more.length ? `Also:\n${more.join('\n')}` : ''].filter(Boolean).join('\n\n');
  const evidence = { ...err.evidence, ...(err.permission ? { missingPermission: err.permission } : {}) };
  return { code: err.code, summary: err.message, details, evidence, requestIds: errors.flatMap((e) => e.requestIds) };
}

function deadlineOutcome(config: RunConfig): Outcome {
  return {
    code: 'TIMEOUT',
    summary: `Not finished within the run deadline (${Math.round(config.timeoutMs / 1000)} s).`,
    details: 'Raise `--timeout`, or look at the checks that ended TIMEOUT for the endpoint that did not answer.',
  };
}

async function raceTimeout(work: Promise<Outcome>, ms: number, deadline: AbortSignal, config: RunConfig): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ code: 'TIMEOUT', summary: `No verdict within the check's ${Math.round(ms / 1000)} s timeout.` }), ms);
    onAbort = () => resolve(deadlineOutcome(config));
    deadline.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort) deadline.removeEventListener('abort', onAbort);
  }
}

function toResult(check: CheckDefinition<any>, asset: Asset | null, o: Outcome, durationMs: number, factIds: string[]): CheckResult {
  const status: Status = o.code === null ? 'pass' : statusOfCode(o.code) ?? 'error';
  const explanation = explanationOf(check, o.code);
  const details = o.details ?? (status === 'fail' || status === 'warn' ? explanation?.cause ?? '' : '');
  return {
    id: check.id,
    asset: check.scope === 'asset' ? asset?.mailbox ?? asset?.forwardingAddress ?? null : null,
    title: check.title,
    step: check.step,
    status,
    code: o.code,
    summary: o.summary,
    details,
    durationMs,
    remediation: explanation && status !== 'pass' && !HARMLESS_SKIPS.has(o.code ?? '') ? remediationOf(explanation) : null,
    evidence: o.evidence ?? {},
    requestIds: [...new Set([...(o.requestIds ?? []), ...factIds])],
  };
}

function explanationOf(check: CheckDefinition<any>, code: string | null): Explanation | undefined {
  return code ? check.explanations[code] ?? genericExplanations[code] : undefined;
}
