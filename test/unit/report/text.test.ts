import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/core/result.js';
import { markdownToPlain } from '../../../src/report/markdown-plain.js';
import { renderText } from '../../../src/report/text.js';
import { MAILBOX, fixtureChecks, makeModel } from './fixture.js';
import { parseText, sortRows } from './parse-formats.js';

/** The text report reads like a doctor (issue 13 item 5): findings first, shared fixes once, details on demand. */

const WAYS_OUT = [
  'The Exchange checks read settings with Get-* cmdlets, which needs **Exchange.ManageAsApp**.',
  'Two ways out:',
  '1. Run with a reader identity that has both: `--reader-client-id <app id>` with `--reader-client-secret-file`.',
  '2. Without granting anything: `wxmail evidence-script --mailbox <mailbox> > collect.ps1`, then `wxmail doctor --exchange-evidence <folder>`.',
  'source: Exchange admin API (undocumented, observed shape)',
].join('\n\n');

function missingPermission(id: string, cmdlet: string): CheckResult {
  return {
    id,
    asset: MAILBOX,
    title: `Title of ${id}`,
    step: 3,
    status: 'skip',
    code: 'MISSING_PERMISSION',
    summary: `The Exchange admin API refused ${cmdlet} (401): the reader app lacks Exchange.ManageAsApp.`,
    details: WAYS_OUT,
    durationMs: 5,
    remediation: {
      text: 'Either run with a reader identity that has Exchange.ManageAsApp, or collect the settings without granting anything. Baselines want it so.',
      portal: ['Microsoft Entra admin center → Identity → Roles & admins → Global Reader → Add assignments → the reader app'],
      commands: [`wxmail evidence-script --mailbox ${MAILBOX} > wxmail-evidence.ps1`, 'wxmail doctor --exchange-evidence ./wxmail-exchange-evidence'],
      links: ['https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2'],
    },
    evidence: { cmdlet, status: 401, exceptionType: null, source: 'Exchange admin API (undocumented, observed shape)' },
    requestIds: [`rid-${cmdlet}`],
  };
}

const IDS = ['exchange.smtp-auth', 'exchange.forwarding', 'exchange.outbound-spam-policy', 'exchange.remote-domain', 'exchange.transport-rules'];
const CMDLETS = ['Get-CASMailbox', 'Get-Mailbox', 'Get-HostedOutboundSpamFilterRule', 'Get-RemoteDomain', 'Get-TransportRule'];
const permissionRun = () => {
  const pass = fixtureChecks().filter((c) => c.status === 'pass');
  return makeModel([...pass, ...IDS.map((id, i) => missingPermission(id, CMDLETS[i]!))], 'error');
};
const count = (s: string, sub: string) => s.split(sub).length - 1;
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('text report: order', () => {
  it('lists findings and the fixes fails before errors before warnings before skips, by setup step within each (then in report order)', () => {
    const checks = [...fixtureChecks()].reverse();
    const out = renderText(makeModel(checks), { color: false });
    const overview = out.split('\n').filter((l) => /^ {2}(FAIL|ERROR|WARN|SKIP) /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(overview).toEqual([
      'FAIL entra.redirect-uri',
      'FAIL exchange.remote-domain',
      'FAIL exchange.smtp-auth',
      'ERROR exchange.outbound-spam-policy',
      'WARN webex.forwarding-address',
      'WARN entra.client-secret',
      'SKIP exchange.forwarding',
      'SKIP mailflow.roundtrip',
      'SKIP smtp.send',
    ]);
    const entries = [...out.matchAll(/^ {2}(\d)\. (FAIL|ERROR|WARN|SKIP) ([^\s:,]+)/gm)].map((m) => `${m[1]} ${m[3]}`);
    expect(entries).toEqual(['1 entra.redirect-uri', '2 exchange.remote-domain', '3 exchange.smtp-auth', '4 exchange.outbound-spam-policy', '5 webex.forwarding-address', '6 entra.client-secret', '7 exchange.forwarding']);
  });

  it('gives a skip nobody has to act on (not requested) one line and no entry; --verbose gives it one', () => {
    const checks = fixtureChecks().map((c) => (c.status === 'pass' || c.code === 'NOT_REQUESTED' ? c : { ...c, status: 'pass' as const, code: null, remediation: null, details: '' }));
    const out = renderText(makeModel(checks, 'pass'), { color: false });
    expect(out.match(/smtp\.send/g)).toHaveLength(1);
    expect(out).not.toContain('What to fix');
    expect(out.split('\n').length).toBeLessThan(14);
    expect(renderText(makeModel(checks, 'pass'), { color: false, verbose: true })).toMatch(/^ {2}\d\. SKIP smtp\.send/m);
  });
});

describe('text report: a fix shared by several checks is shown once', () => {
  const out = renderText(permissionRun(), { color: false });
  const verbose = renderText(permissionRun(), { color: false, verbose: true });

  it('names every check on its own line, and their one shared fix in one entry', () => {
    for (const id of IDS) expect(out).toMatch(new RegExp(`^ {2}SKIP +${id.replace('.', '\\.')} \\(${MAILBOX.replace(/\./g, '\\.')}\\) {2}The Exchange admin API .* {2}MISSING_PERMISSION$`, 'm'));
    expect(out.match(/^ {2}\d\. /gm)).toHaveLength(2); // one entry, one item in "what to fix"
    expect(count(out, `wxmail evidence-script --mailbox ${MAILBOX} > wxmail-evidence.ps1`)).toBe(1);
    expect(count(out, 'Global Reader → Add assignments')).toBe(1);
  });

  it('with --verbose shows the shared explanation once, numbered 1. and 2., and each check\'s evidence', () => {
    expect(count(verbose, 'Two ways out:')).toBe(1);
    expect(verbose).toMatch(/^ +1\. Run with a reader identity/m);
    expect(verbose).toMatch(/^ +2\. Without granting anything/m);
    expect(count(verbose, `wxmail evidence-script --mailbox ${MAILBOX} > wxmail-evidence.ps1`)).toBe(1);
    for (const cmdlet of CMDLETS) expect(verbose).toContain(`rid-${cmdlet}`);
  });

  it('says why the run is an error: the skips could not run, never "0 error"', () => {
    expect(flat(out)).toContain('Summary: 5 skip (5 could not run), 3 pass. Overall: ERROR (exit code 2: 5 requested checks could not run (5× MISSING_PERMISSION)).');
    expect(out).not.toMatch(/\b0 error/);
  });
});

describe('text report: --verbose gating', () => {
  const model = permissionRun();
  const out = renderText(model, { color: false });
  const verbose = renderText(model, { color: false, verbose: true });

  it('shows request ids, source lines and evidence only with --verbose', () => {
    for (const s of ['rid-Get-Mailbox', 'source: Exchange admin API', 'Evidence', 'Request ids']) {
      expect(out, s).not.toContain(s);
      expect(verbose, s).toContain(s);
    }
  });

  it('never prints a null evidence value', () => {
    expect(verbose).toContain('cmdlet: Get-CASMailbox, status: 401');
    expect(verbose).not.toMatch(/: null\b/);
  });

  it('reads back to the same rows in both modes (format parity)', () => {
    const rows = sortRows(model.checks.map(({ id, asset, status, code }) => ({ id, asset, status, code })));
    expect(sortRows(parseText(out))).toEqual(rows);
    expect(sortRows(parseText(verbose))).toEqual(rows);
    const fixture = makeModel();
    expect(sortRows(parseText(renderText(fixture, { color: false, verbose: true })))).toEqual(sortRows(fixture.checks.map(({ id, asset, status, code }) => ({ id, asset, status, code }))));
  });
});

describe('text report: wrapping', () => {
  const longCommand = `Set-Something -Identity ${MAILBOX} ${'-Flag $true '.repeat(12).trim()}`;
  const checks = fixtureChecks().map((c) =>
    c.id === 'exchange.smtp-auth'
      ? {
          ...c,
          remediation: {
            ...c.remediation!,
            text: `Turn it on for this mailbox only with \`Set-CASMailbox -Identity ${MAILBOX} -SmtpClientAuthenticationDisabled $false\` and nothing else, as the organisation keeps its default, whatever the baseline says about it.`,
            commands: [longCommand],
          },
        }
      : c,
  );

  it('wraps prose at the width, but never a command, a URL or an inline command', () => {
    for (const width of [60, 80, 100]) {
      const out = renderText(makeModel(checks), { color: false, width });
      expect(out, String(width)).toContain(`    ${longCommand}\n`);
      expect(out, String(width)).toContain(`Set-CASMailbox -Identity ${MAILBOX} -SmtpClientAuthenticationDisabled $false`);
      // Commands (indented under Run:), portal paths, the header and the cut overview lines aside.
      const prose = out.split('\n').slice(3).filter((l) => !/^ {13}\S|Portal:|^ {2}(FAIL|WARN|SKIP|ERROR|PASS) /.test(l) && !/\S{40,}/.test(l) && !l.includes('Set-CASMailbox'));
      for (const l of prose) expect(l.length, `${width}: ${l}`).toBeLessThanOrEqual(width);
    }
  });

  it('cuts an overview line to the width and says the finding in full in its entry', () => {
    const out = renderText(makeModel(checks), { color: false, width: 60 });
    const line = out.split('\n').find((l) => /^ {2}FAIL +exchange\.smtp-auth/.test(l))!;
    expect(line).toMatch(/… {2}SMTP_AUTH_DISABLED_MAILBOX$/);
    expect(flat(out)).toContain(`exchange.smtp-auth (${MAILBOX}): Authenticated SMTP is off for ${MAILBOX}.`);
  });

  it('keeps a list marker with the command it introduces, and loose numbered items numbered 1. and 2.', () => {
    const md = `1. App-only:\n   - \`New-ServicePrincipal -AppId ${'a'.repeat(36)} -ObjectId ${'b'.repeat(36)}\`\n\n2. Delegated: a token.`;
    const out = markdownToPlain(md, 60).split('\n');
    expect(out).toContain(`   - New-ServicePrincipal -AppId ${'a'.repeat(36)} -ObjectId ${'b'.repeat(36)}`);
    expect(out.filter((l) => /^\d\. /.test(l)).map((l) => l.slice(0, 2))).toEqual(['1.', '2.']);
  });
});
