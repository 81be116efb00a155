import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/core/result.js';
import { renderText } from '../../../src/report/text.js';
import { fixtureChecks, makeModel } from './fixture.js';

const base = (id: string, asset: string | null, status: CheckResult['status'], code: string | null, step = 3): CheckResult => ({
  id,
  asset,
  title: `Title of ${id}`,
  step,
  status,
  code,
  summary: `${id} ${status}${asset ? ` for ${asset}` : ''}.`,
  details: '',
  durationMs: 1,
  // A tenant-wide setting has one fix for every asset it fails.
  remediation: status === 'fail' ? { text: `Fix ${code}.`, portal: [], commands: [`Set-Something -For ${code}`], links: [] } : null,
  evidence: {},
  requestIds: [],
});

const ASSETS = ['a@contoso.com', 'b@contoso.com', 'c@contoso.com'];

function fleetChecks(): CheckResult[] {
  return [
    base('entra.token', null, 'pass', null, 2),
    // A tenant-wide setting fails every asset alike.
    ...ASSETS.map((a) => base('exchange.outbound-spam-policy', a, 'fail', 'AUTOFORWARD_BLOCKED_POLICY')),
    // Only b's mailbox forwards nowhere.
    ...ASSETS.map((a) => (a === 'b@contoso.com' ? base('exchange.forwarding', a, 'fail', 'FORWARDING_MISSING') : base('exchange.forwarding', a, 'pass', null))),
    ...ASSETS.map((a) => base('exchange.smtp-auth', a, 'pass', null)),
  ];
}

describe('text report of a fleet', () => {
  const out = renderText(makeModel(fleetChecks(), 'fail'), { color: false });

  it('opens with a table asset × failing checks', () => {
    const table = out.slice(out.indexOf('Fleet: 3 assets'), out.indexOf('Step 2'));
    expect(table).toMatch(/ASSET\s+FAIL\s+ERROR\s+WARN\s+FAILING CHECKS/);
    expect(table).toMatch(/a@contoso\.com\s+1\s+0\s+0\s+exchange\.outbound-spam-policy\n/);
    expect(table).toMatch(/b@contoso\.com\s+2\s+0\s+0\s+exchange\.outbound-spam-policy, exchange\.forwarding\n/);
    expect(out.indexOf('Fleet: 3 assets')).toBeLessThan(out.indexOf('Step 2'));
  });

  it('shows a finding every asset shares once, and each asset\'s own findings under its name', () => {
    expect(out.match(/exchange\.outbound-spam-policy fail/g)).toHaveLength(1);
    expect(out).toContain('Findings shared by all 3 assets');
    const own = out.slice(out.indexOf('Asset b@contoso.com'));
    expect(own).toContain('exchange.forwarding fail for b@contoso.com');
    expect(out).not.toContain('Asset a@contoso.com');
    // Passing asset checks are counted, not listed.
    expect(out).not.toContain('exchange.smtp-auth pass');
  });

  it('one asset keeps the report by step, without a fleet block', () => {
    const single = renderText(makeModel(fixtureChecks(), 'fail'), { color: false });
    expect(single).not.toContain('Fleet:');
  });
});
