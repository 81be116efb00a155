import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../src/config/types.js';
import { defaultRunConfig } from '../../../src/config/defaults.js';
import { defineCheck, finding, fromFindings, optional, pass } from '../../../src/core/check.js';
import { FactError } from '../../../src/core/fact-error.js';
import { defineFact } from '../../../src/core/fact.js';
import { silentLogger } from '../../../src/core/log.js';
import { exitCodeOf, overallStatus } from '../../../src/core/overall.js';
import { runChecks } from '../../../src/core/runner.js';
import type { Net } from '../../../src/net/net.js';

const config = (over: Partial<RunConfig> = {}): RunConfig =>
  defaultRunConfig({
    timeoutMs: 5_000,
    checkTimeoutMs: 2_000,
    concurrency: 4,
    roundtripTimeoutMs: 1_000,
    ...over,
  });
const net = {} as Net;
const log = silentLogger();
const base = { title: 't', step: 2, description: 'd', scope: 'tenant' as const, explanations: {} };

describe('runner', () => {
  it('collects a fact once however many checks need it', async () => {
    let calls = 0;
    const app = defineFact({ id: 'app', scope: 'tenant', collect: async () => (calls++, { ok: true }) });
    const checks = ['a.one', 'a.two', 'a.three'].map((id) => defineCheck({ ...base, id, needs: { app }, run: ({ app }) => (app.ok ? pass('ok') : finding('APP_NOT_FOUND', 'no')) }));
    const out = await runChecks({ config: config(), checks, net, log });
    expect(calls).toBe(1);
    expect(out.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a fact error becomes the result: MISSING_PERMISSION skips, NETWORK errors', async () => {
    const denied = defineFact({ id: 'denied', scope: 'tenant', collect: async () => { throw new FactError('MISSING_PERMISSION', 'Policy.Read.All missing', { permission: { name: 'Policy.Read.All', identity: 'webex' } }); } });
    const down = defineFact({ id: 'down', scope: 'tenant', collect: async () => { throw new FactError('NETWORK', 'refused'); } });
    const checks = [
      defineCheck({ ...base, id: 'a.denied', needs: { denied }, run: () => pass('x') }),
      defineCheck({ ...base, id: 'a.down', needs: { down }, run: () => pass('x') }),
    ];
    const { results } = await runChecks({ config: config(), checks, net, log });
    expect(results[0]).toMatchObject({ status: 'skip', code: 'MISSING_PERMISSION', evidence: { missingPermission: { name: 'Policy.Read.All' } } });
    expect(results[0]!.remediation?.text).toMatch(/reader/);
    expect(results[1]).toMatchObject({ status: 'error', code: 'NETWORK', summary: 'refused' });
    expect(overallStatus(results, 'fail')).toBe('error');
  });

  it('optional facts reach the check as outcomes', async () => {
    const down = defineFact({ id: 'down', scope: 'tenant', collect: async () => { throw new FactError('MISSING_PERMISSION', 'no'); } });
    const check = defineCheck({ ...base, id: 'a.opt', needs: { d: optional(down) }, run: ({ d }) => (d.ok ? pass('read') : pass(`fallback after ${d.error.code}`)) });
    const { results } = await runChecks({ config: config(), checks: [check], net, log });
    expect(results[0]!.summary).toBe('fallback after MISSING_PERMISSION');
  });

  it('cascades: failed dependency → DEPENDENCY_FAILED, skipped dependency → same code', async () => {
    const token = defineCheck({ ...base, id: 'entra.token', needs: {}, run: () => finding('SECRET_INVALID', 'bad secret') });
    const needsToken = defineCheck({ ...base, id: 'entra.redirect-uri', needs: {}, requires: ['entra.token'], run: () => pass('x') });
    const input = defineCheck({ ...base, id: 'webex.callback-url', needs: {}, precondition: () => finding('INPUT_MISSING', 'no callback'), run: () => pass('x') });
    const needsInput = defineCheck({ ...base, id: 'webex.other', needs: {}, requires: ['webex.callback-url'], run: () => pass('x') });
    const { results } = await runChecks({ config: config(), checks: [token, needsToken, input, needsInput], net, log });
    expect(results.map((r) => [r.id, r.status, r.code])).toEqual([
      ['entra.token', 'fail', 'SECRET_INVALID'],
      ['entra.redirect-uri', 'skip', 'DEPENDENCY_FAILED'],
      ['webex.callback-url', 'skip', 'INPUT_MISSING'],
      ['webex.other', 'skip', 'INPUT_MISSING'],
    ]);
    expect(exitCodeOf(overallStatus(results, 'fail'))).toBe(1);
  });

  it('opt-in probes are NOT_REQUESTED whatever their dependencies, and harmless', async () => {
    const token = defineCheck({ ...base, id: 'entra.token', needs: {}, run: () => finding('SECRET_INVALID', 'bad') });
    const probe = defineCheck({ ...base, id: 'smtp.send', needs: {}, optIn: 'sendTest', requires: ['entra.token'], run: () => pass('x') });
    const { results } = await runChecks({ config: config(), checks: [token, probe], net, log });
    expect(results[1]).toMatchObject({ status: 'skip', code: 'NOT_REQUESTED', remediation: null });
    const ok = await runChecks({ config: config(), checks: [probe], net, log, });
    expect(overallStatus(ok.results, 'fail')).toBe('pass');
  });

  it('--only keeps dependencies in the report; --skip leaves checks out', async () => {
    const token = defineCheck({ ...base, id: 'entra.token', needs: {}, run: () => pass('t') });
    const redirect = defineCheck({ ...base, id: 'entra.redirect-uri', needs: {}, requires: ['entra.token'], run: () => pass('r') });
    const webex = defineCheck({ ...base, id: 'webex.callback-url', needs: {}, run: () => pass('w') });
    const only = await runChecks({ config: config({ only: ['entra.redirect-uri'] }), checks: [token, redirect, webex], net, log });
    expect(only.results.map((r) => r.id)).toEqual(['entra.token', 'entra.redirect-uri']);
    const skip = await runChecks({ config: config({ skip: ['entra.*'] }), checks: [token, redirect, webex], net, log });
    expect(skip.results.map((r) => r.id)).toEqual(['webex.callback-url']);
  });

  it('a check that throws ends INTERNAL_ERROR; a hanging one ends TIMEOUT within its timeout', async () => {
    const boom = defineCheck({ ...base, id: 'a.boom', needs: {}, run: () => { throw new Error('kaboom'); } });
    const hang = defineCheck({ ...base, id: 'a.hang', needs: {}, timeoutMs: 100, run: () => new Promise<never>(() => undefined) });
    const { results } = await runChecks({ config: config(), checks: [boom, hang], net, log });
    expect(results[0]).toMatchObject({ status: 'error', code: 'INTERNAL_ERROR' });
    expect(results[0]!.summary).toContain('kaboom');
    expect(results[1]).toMatchObject({ status: 'error', code: 'TIMEOUT' });
  });

  it('a fact that answers after its check timed out is snapshotted as the check saw it (TIMEOUT), so a replay gives the same verdict', async () => {
    let answer!: () => void;
    const late = defineFact({ id: 'late', scope: 'tenant', collect: () => new Promise<string>((resolve) => (answer = () => resolve('arrived'))) });
    const quick = defineFact({ id: 'quick', scope: 'tenant', collect: async () => 'on time' });
    const check = defineCheck({ ...base, id: 'a.late', needs: { late, quick }, timeoutMs: 50, run: () => pass('x') });
    const { results, facts } = await runChecks({ config: config(), checks: [check], net, log });
    expect(results[0]).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    answer();
    const snapshot = await facts.toSnapshot();
    expect(snapshot.late).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(snapshot.quick).toEqual({ ok: true, value: 'on time' });
    const replay = await runChecks({ config: config(), checks: [check], net, log, snapshot });
    expect(replay.results[0]).toMatchObject({ status: 'error', code: 'TIMEOUT' });
  });

  it('the run deadline ends everything still running', async () => {
    const slow = defineFact({ id: 'slow', scope: 'tenant', collect: () => new Promise<never>(() => undefined) });
    const check = defineCheck({ ...base, id: 'a.slow', needs: { slow }, run: () => pass('x') });
    const { results } = await runChecks({ config: config({ timeoutMs: 150, checkTimeoutMs: 10_000 }), checks: [check], net, log });
    expect(results[0]).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    expect(results[0]!.summary).toMatch(/run deadline/);
  });

  it('asset-scoped checks run once per asset; asset facts are collected per asset', async () => {
    const seen: string[] = [];
    const mailbox = defineFact({ id: 'mbx', scope: 'asset', collect: async (_c, a) => (seen.push(a!.mailbox!), a!.mailbox!) });
    const check = defineCheck({ ...base, id: 'exchange.forwarding', scope: 'asset', needs: { mailbox }, run: ({ mailbox }) => pass(mailbox) });
    const { results } = await runChecks({ config: config({ assets: [{ mailbox: 'a@x.com' }, { mailbox: 'b@x.com' }] }), checks: [check], net, log });
    expect(results.map((r) => [r.asset, r.summary])).toEqual([['a@x.com', 'a@x.com'], ['b@x.com', 'b@x.com']]);
    expect(seen.sort()).toEqual(['a@x.com', 'b@x.com']);
  });

  it('fromFindings reports the most severe code and lists all', () => {
    const o = fromFindings([
      { code: 'REGION_MISMATCH', message: 'eu vs us' },
      { code: 'FORWARDING_DOMAIN_NO_MX', message: 'no MX' },
      { code: 'FORWARDING_ADDRESS_UNRECOGNIZED', message: 'unknown domain' },
    ], 'fine');
    expect(o.code).toBe('FORWARDING_DOMAIN_NO_MX');
    expect(o.details).toContain('REGION_MISMATCH');
    const warnOnly = fromFindings([{ code: 'FORWARDING_ADDRESS_UNRECOGNIZED', message: 'a' }, { code: 'REGION_MISMATCH', message: 'b' }], 'fine');
    expect(warnOnly.code).toBe('REGION_MISMATCH'); // equal severity: earlier in the contract table wins
  });

  it('overall status and exit codes follow DESIGN.md', () => {
    const r = (status: any, code: string | null) => ({ id: 'x', asset: null, title: '', step: 1, status, code, summary: '', details: '', durationMs: 0, remediation: null, evidence: {}, requestIds: [] });
    expect(overallStatus([r('pass', null), r('skip', 'NOT_REQUESTED')], 'fail')).toBe('pass');
    expect(overallStatus([r('warn', 'REGION_MISMATCH')], 'fail')).toBe('warn');
    expect(overallStatus([r('warn', 'REGION_MISMATCH')], 'warn')).toBe('fail');
    expect(overallStatus([r('skip', 'INPUT_MISSING')], 'fail')).toBe('error');
    expect(overallStatus([r('error', 'NETWORK'), r('fail', 'APP_NOT_FOUND')], 'fail')).toBe('fail');
    expect([exitCodeOf('pass'), exitCodeOf('warn'), exitCodeOf('fail'), exitCodeOf('error')]).toEqual([0, 0, 1, 2]);
  });
});
