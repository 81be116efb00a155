import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { doctorJson, resultOf } from '../helpers/cli.js';

// G27, G28: Exchange's SMTP and IMAP answers with their own causes, the built CLI against the simulator.

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const SEND = ['--send-test', '--roundtrip-timeout', '4'];
const MAILBOX = 'john@contoso.com';

async function doctor(scenario: string, args: string[] = SEND) {
  sim = await startSimulator({ scenario });
  return doctorJson(sim, args);
}

describe('SMTP replies (G28)', () => {
  it('smtp-credentials-incorrect: 535 5.7.139 … credentials were incorrect → SMTP_AUTH_FAILED naming credentials, not SMTP_AUTH_BLOCKED_BY_POLICY', async () => {
    const r = await doctor('smtp-credentials-incorrect');
    const auth = resultOf(r.report, 'smtp.auth', MAILBOX);
    expect({ status: auth.status, code: auth.code }).toEqual({ status: 'fail', code: 'SMTP_AUTH_FAILED' });
    expect(auth.summary).toContain('535 5.7.139 Authentication unsuccessful, the user credentials were incorrect');
    expect(auth.details).toContain('not a policy');
    expect(auth.evidence).toMatchObject({ replyRule: 'credentials-incorrect' });
    expect(r.code).toBe(1);
  });

  it('smtp-concurrent-connections: 432 4.3.2 → THROTTLED (error), not a misconfiguration', async () => {
    const r = await doctor('smtp-concurrent-connections');
    const auth = resultOf(r.report, 'smtp.auth', MAILBOX);
    expect({ status: auth.status, code: auth.code }).toEqual({ status: 'error', code: 'THROTTLED' });
    expect(auth.summary).toContain('432 4.3.2 Concurrent connections limit exceeded');
    expect(r.code).toBe(2);
  });

  it('smtp-mailbox-logon-failure: login OK, 430 4.2.0 STOREDRV after DATA → smtp.send SMTP_AUTH_FAILED naming FullAccess on this mailbox and the service principal', async () => {
    const r = await doctor('smtp-mailbox-logon-failure');
    expect(resultOf(r.report, 'smtp.auth', MAILBOX).status).toBe('pass');
    const send = resultOf(r.report, 'smtp.send', MAILBOX);
    expect({ status: send.status, code: send.code }).toEqual({ status: 'fail', code: 'SMTP_AUTH_FAILED' });
    expect(send.summary).toContain('430 4.2.0 STOREDRV; mailbox logon failure');
    expect(send.details).toContain(`Add-MailboxPermission -Identity ${MAILBOX}`);
    expect(send.details).toContain('New-ServicePrincipal -AppId 56ba9bac-67be-4bd2-b551-47258e7ead62');
    expect(send.evidence).toMatchObject({ replyRule: 'mailbox-logon-failure' });
  });
});

describe('IMAP turned off (G27)', () => {
  it('roundtrip-imap-disabled: "authenticated but not connected" is attributed to ImapEnabled False, not the service principal', async () => {
    const r = await doctor('roundtrip-imap-disabled');
    expect(resultOf(r.report, 'smtp.send', MAILBOX).status).toBe('pass');
    const trip = resultOf(r.report, 'mailflow.roundtrip', MAILBOX);
    expect({ status: trip.status, code: trip.code }).toEqual({ status: 'warn', code: 'ROUNDTRIP_INCONCLUSIVE' });
    expect(trip.summary).toContain('IMAP is turned off for john@contoso.com (Get-CASMailbox ImapEnabled False)');
    expect(trip.summary).toContain('Set-CASMailbox -Identity john@contoso.com -ImapEnabled $true');
    expect(trip.summary).not.toMatch(/service principal|FullAccess/);
    const cmdlets = sim!.ctx.traffic.entries().filter((e) => e.service === 'exchange').map((e) => e.what.split(' ').pop());
    expect(cmdlets.filter((c) => c === 'Get-CASMailbox')).toHaveLength(1);
  });
});
