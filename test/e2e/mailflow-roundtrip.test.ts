import { afterEach, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/core/result.js';
import { validateReport } from '../../src/report/schema.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// The built CLI against the simulator's mail flow (`npm run build` first; `npm test` does).

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function roundtrip(scenario: string, extra: string[] = []) {
  sim = await startSimulator({ scenario });
  const r = await doctorJson(sim, ['--send-test', '--roundtrip-timeout', '4', ...extra]);
  const v = validateReport(r.report);
  expect(v.ok ? 'valid' : v.error).toBe('valid');
  return { ...r, trip: resultOf(r.report as ReportModel, 'mailflow.roundtrip', 'john@contoso.com') };
}

describe('wxmail doctor --send-test: mailflow.roundtrip', () => {
  it('forwarding allowed (healthy-app-smtp): the copy arrives, no NDR, pass — without waiting the whole timeout', async () => {
    const { trip, code } = await roundtrip('healthy-app-smtp');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'pass', code: null });
    expect(trip.summary).toContain('cannot be seen from the tenant');
    expect(trip.evidence).toMatchObject({ ended: 'copy-grace', ndr: null });
    expect(sim!.ctx.mail.external()).toHaveLength(1);
    expect(code).toBe(0);
  });

  it('forwarding NDR-blocked (roundtrip-ndr-policy-blocked): FORWARDING_NDR naming 5.7.520 and the outbound spam policy; exit 1', async () => {
    const { trip, code } = await roundtrip('roundtrip-ndr-policy-blocked');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'fail', code: 'FORWARDING_NDR' });
    expect(trip.summary).toContain('550 5.7.520 Access denied, Your organization does not allow external forwarding');
    expect(trip.details).toContain('outbound spam filter policy');
    expect(trip.evidence).toMatchObject({ ended: 'ndr', ndrRule: 'external-forwarding-blocked' });
    expect(trip.remediation?.commands.join('\n')).toContain('-AutoForwardingMode On');
    expect(code).toBe(1);
  });

  it('forwarding silently dropped (roundtrip-silent-drop): neither copy nor NDR → ROUNDTRIP_INCONCLUSIVE pointing at remote domains and transport rules', async () => {
    const { trip } = await roundtrip('roundtrip-silent-drop');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'warn', code: 'ROUNDTRIP_INCONCLUSIVE' });
    expect(trip.details).toContain('exchange.remote-domain');
    expect(trip.evidence).toMatchObject({ copy: null, ndr: null, ended: 'timeout' });
    expect(sim!.ctx.mail.external()).toHaveLength(0);
  });

  it('no copy kept (roundtrip-no-copy): ROUNDTRIP_INCONCLUSIVE that explains DeliverToMailboxAndForward instead of failing; exit 0', async () => {
    const { trip, code } = await roundtrip('roundtrip-no-copy');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'warn', code: 'ROUNDTRIP_INCONCLUSIVE' });
    expect(trip.summary).toContain('DeliverToMailboxAndForward is false');
    expect(trip.details).toContain('This is not a failure');
    expect(code).toBe(0);
  });

  it('no IMAP.AccessAsApp (roundtrip-no-imap-permission): the probe is sent, the round trip is NOT_APPLICABLE with how to enable it', async () => {
    const { trip, report } = await roundtrip('roundtrip-no-imap-permission');
    expect(resultOf(report, 'smtp.send').status).toBe('pass');
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'skip', code: 'NOT_APPLICABLE' });
    expect(trip.details).toContain('IMAP.AccessAsApp');
  });
});
