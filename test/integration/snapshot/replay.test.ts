import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { doctor } from '../../../src/cli/commands/doctor.js';
import type { ReportModel } from '../../../src/core/result.js';

/**
 * Replay gives the live verdicts, for scenarios whose facts differ in kind: Graph and the
 * authorize probe (step 2), Exchange cmdlets with group membership (step 3), SMTP replies and the
 * IMAP round trip with its NDR (step 4). In-process: a subprocess per run adds nothing here
 * (test/e2e/snapshot.test.ts runs the built CLI). A certificate run replays from the public
 * certificate alone: the snapshot never holds the key.
 */
const SCENARIOS = ['entra-redirect-uri-probe', 'exchange-outbound-policy-unresolved', 'smtp-send-as-denied', 'roundtrip-ndr-policy-blocked', 'entra-secret-id-not-value', 'entra-certificate-not-registered'];
/** The probes that send mail run only when asked; their facts are what these scenarios are about. */
const SEND_TEST = new Set(['smtp-send-as-denied', 'roundtrip-ndr-policy-blocked']);

const verdicts = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as ReportModel).checks.map((c) => `${c.id} ${c.asset ?? ''} ${c.status} ${c.code ?? ''}`);

describe('a snapshot replays to the live verdicts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxreplay-'));
  beforeAll(() => void vi.spyOn(process.stderr, 'write').mockImplementation(() => true));
  afterAll(() => vi.restoreAllMocks());

  it.each(SCENARIOS)('%s', async (scenario) => {
    const live = join(dir, `${scenario}.json`);
    const snapshot = join(dir, `${scenario}.snapshot.json`);
    const offline = join(dir, `${scenario}.offline.json`);
    const liveExit = await doctor({ demo: true, scenario, format: 'json', output: live, snapshotOut: snapshot, logLevel: 'silent', ...(SEND_TEST.has(scenario) ? { sendTest: true } : {}) });
    const offlineExit = await doctor({ fromSnapshot: snapshot, format: 'json', output: offline, logLevel: 'silent' });
    expect(verdicts(offline)).toEqual(verdicts(live));
    expect(offlineExit).toBe(liveExit);
    expect(readFileSync(snapshot, 'utf8')).not.toMatch(/PRIVATE KEY/);
    // Not a trivially equal pair: each of these scenarios has a finding.
    expect(verdicts(live).some((v) => / (fail|warn) /.test(v))).toBe(true);
  });
});
