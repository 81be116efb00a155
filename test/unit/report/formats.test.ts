import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { render } from '../../../src/report/render.js';
import { renderText } from '../../../src/report/text.js';
import { validateReport } from '../../../src/report/schema.js';
import { CLIENT_ID, MAILBOX, TENANT_ID, fixtureChecks, makeModel } from './fixture.js';
import { xmlProblems } from './parse-formats.js';

const model = makeModel();

describe('json', () => {
  it('is the model itself, pretty-printed, with a trailing newline, and valid against the schema', () => {
    const out = render(model, 'json', { color: false });
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(model);
    expect(out).toBe(`${JSON.stringify(model, null, 2)}\n`);
    expect(validateReport(JSON.parse(out))).toEqual({ ok: true });
  });
});

describe('text', () => {
  const out = renderText(model, { color: false });

  it('starts with a header naming version, tenant, client id, cloud and reader identity', () => {
    const head = out.split('\n').slice(0, 7).join('\n');
    expect(head).toContain('wxmail 0.1.0');
    expect(head).toContain(TENANT_ID);
    expect(head).toContain(CLIENT_ID);
    expect(head).toMatch(/Cloud:\s+global/);
    expect(head).toMatch(/Reader:\s+app/);
  });

  const verbose = renderText(model, { color: false, verbose: true });
  const flat = (s: string) => s.replace(/\s+/g, ' ');

  it('opens with one line per finding, failures first, each with its code; passes by asset in a few lines', () => {
    const lines = out.split('\n');
    const findings = lines.filter((l) => /^ {2}(FAIL|ERROR|WARN|SKIP) /.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    expect(findings).toEqual(['FAIL', 'FAIL', 'FAIL', 'ERROR', 'WARN', 'WARN', 'SKIP', 'SKIP', 'SKIP']);
    expect(out).toMatch(/^ {2}FAIL +entra\.redirect-uri {2}No Web redirect URI matches the Call Back URL\. {2}REDIRECT_URI_MISSING$/m);
    expect(out).toMatch(/^ {2}FAIL +exchange\.smtp-auth \(john\.doe@contoso\.com\) {2}Authenticated SMTP is off.* {2}SMTP_AUTH_DISABLED_MAILBOX$/m);
    expect(out).toMatch(/^ {2}SKIP +smtp\.send \(john\.doe@contoso\.com\) {2}.* {2}NOT_REQUESTED$/m);
    expect(out).toMatch(/^ {2}PASS +webex\.callback-url, entra\.token, smtp\.connect$/m);
  });

  it('gives each finding to act on an entry, in fix order, with portal and commands; details, fix text and links with --verbose', () => {
    const entry = out.slice(out.indexOf('  1. FAIL entra.redirect-uri'), out.indexOf('  2. '));
    expect(entry).toContain('Portal: Microsoft Entra admin center > Identity');
    expect(entry).toContain(`az ad app update --id ${CLIENT_ID}`);
    expect(entry).not.toContain('AADSTS50011');
    const full = verbose.slice(verbose.indexOf('  1. FAIL entra.redirect-uri'), verbose.indexOf('  2. '));
    expect(full).toContain('Fix: Add the Call Back URL as a redirect URI of platform Web.');
    expect(full).toContain('See: https://learn.microsoft.com/en-us/entra/identity-platform/reply-url');
    // Markdown rendered as text: no markup characters, links spelled out, code indented.
    expect(full).toContain('has no redirect URI of platform Web');
    expect(full).toContain('the guide (https://help.webexconnect.io/docs/email-o365)');
    expect(full).toMatch(/^ +AADSTS50011: The redirect URI/m);
    expect(full).not.toContain('**');
  });

  it('prints short scalar evidence compactly, only with --verbose, and never dumps structured evidence', () => {
    expect(out).not.toContain('Evidence');
    expect(verbose).toContain('Evidence: attempts: 3, retryAfterSeconds: 30, lastStatus: 429');
    const finding = verbose.slice(verbose.indexOf('1. FAIL entra.redirect-uri'), verbose.indexOf('2. FAIL'));
    expect(finding).toContain('Evidence: callbackUrl: https://contoso.us.webexconnect.io/callback, platformMismatch: true');
    expect(finding).not.toContain('"spa"');
  });

  it('ends with what to fix in order, the counts, the overall status and what the exit code means', () => {
    const todo = out.slice(out.indexOf('What to fix, in order'));
    expect([...todo.matchAll(/^ {2}\d\. Step (\d), ([^:]+):/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      '2 entra.redirect-uri',
      '3 exchange.smtp-auth (john.doe@contoso.com)',
      '3 exchange.remote-domain',
      '3 exchange.outbound-spam-policy',
      '1 webex.forwarding-address (john.doe@contoso.com)',
      '2 entra.client-secret',
      '3 exchange.forwarding (john.doe@contoso.com)',
    ]);
    expect(flat(out)).toContain('Summary: 3 fail, 1 error, 2 warn, 3 skip (1 could not run), 3 pass. Overall: FAIL (exit code 1: at least one check failed).');
  });

  it('is plain ASCII chrome without colour, and strips terminal control characters from content', () => {
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0000');
    expect(out).toContain('& more [31mred[0m');
  });

  it('colours status words and labels only when asked', () => {
    const coloured = renderText(model, { color: true });
    expect(coloured).toContain('\u001b[31m✗ FAIL ');
    expect(coloured).toContain('\u001b[32m✓ PASS ');
    // Still no escape sequence from the content itself.
    expect(coloured).not.toContain('\u001b[31mred');
  });

  it('explains each overall status', () => {
    const only = (status: 'pass' | 'warn' | 'error') => renderText(makeModel(fixtureChecks(), status), { color: false });
    expect(flat(only('pass'))).toContain('exit code 0: every requested check passed');
    expect(flat(only('warn'))).toContain('exit code 0: works, with warnings');
    expect(flat(only('error'))).toContain('exit code 2: 2 requested checks could not run (MISSING_PERMISSION, THROTTLED)');
    const warnedOnly = fixtureChecks().filter((c) => c.status !== 'fail');
    expect(flat(renderText(makeModel(warnedOnly, 'fail'), { color: false }))).toContain('warnings count as failures (--fail-on warn)');
  });
});

describe('junit', () => {
  const xml = renderJunit(model);

  it('is well-formed XML with the run totals on <testsuites>', () => {
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="wxmail" tests="12" failures="3" errors="1" skipped="5" time="4.210">/);
  });

  it('has one testsuite per group and exactly one testcase per check', () => {
    expect([...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'webex',
      'entra',
      'exchange',
      'smtp',
      'mailflow',
    ]);
    expect(xml.match(/<testcase /g)).toHaveLength(model.checks.length);
    expect(xml).toContain('<testsuite name="entra" tests="3" failures="1" errors="0" skipped="1" time="0.036"');
    expect(xml).toContain(`<testcase classname="wxmail.exchange" name="exchange.smtp-auth ${MAILBOX}" time="0.012">`);
    expect(xml).toContain('<testcase classname="wxmail.webex" name="webex.callback-url" time="0.012"/>');
  });

  it('maps fail, error and skip to their elements, and warn to a skipped case whose message is the warning', () => {
    expect(xml).toContain('<failure message="No Web redirect URI matches the Call Back URL." type="REDIRECT_URI_MISSING">');
    expect(xml).toContain('<error message="Exchange throttled the request past the retry budget (429 after 3 attempts)." type="THROTTLED">');
    expect(xml).toContain('<skipped message="NOT_REQUESTED: No probe mail was sent (add --send-test to send one)."/>');
    expect(xml).toMatch(/<system-out>WARN SECRET_EXPIRES_SOON: The client secret/);
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml.match(/<error /g)).toHaveLength(1);
    expect(xml).toMatch(/<skipped message="WARN SECRET_EXPIRES_SOON: [^"]+"\/>\n {6}<system-out>WARN SECRET_EXPIRES_SOON: /);
    expect(xml.match(/<skipped /g)).toHaveLength(5);
  });

  it('with --fail-on warn, a warning is a failure in the test view too', () => {
    const strict = renderJunit(model, { failOnWarn: true });
    expect(xmlProblems(strict)).toEqual([]);
    expect(strict).toMatch(/<testsuites name="wxmail" tests="12" failures="5" errors="1" skipped="3" /);
    expect(strict).toMatch(/<failure message="WARN SECRET_EXPIRES_SOON: [^"]+" type="SECRET_EXPIRES_SOON"\/>/);
  });

  it('puts summary, details and fix in the failure body', () => {
    const failure = /<failure message="No Web[^>]*>([\s\S]*?)<\/failure>/.exec(xml)![1]!;
    expect(failure).toContain('No Web redirect URI matches the Call Back URL.');
    expect(failure).toContain('AADSTS50011');
    expect(failure).toContain('Fix: Add the Call Back URL as a redirect URI of platform Web.');
    expect(failure).toContain('Update-MgApplication');
  });

  it('escapes markup and drops characters XML forbids', () => {
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u001b');
    expect(xml).toContain('New-RemoteDomain -Name &quot;Webex Connect&quot;');
  });
});

describe('markdown', () => {
  const md = renderMarkdown(model);

  it('has a title with the overall status and a summary table with one row per check', () => {
    expect(md.startsWith('# wxmail report: FAIL\n')).toBe(true);
    expect(md).toContain('| Status | Check | Asset | Code | Summary |');
    expect(md).toContain('| **FAIL** | `entra.redirect-uri` | — | `REDIRECT_URI_MISSING` | No Web redirect URI matches the Call Back URL. |');
    expect(md).toContain('| **PASS** | `webex.callback-url` | — | — | The Call Back URL is a Webex Connect URL. |');
    expect(md.split('\n').filter((l) => /^\| \*\*[A-Z]+\*\* \|/.test(l))).toHaveLength(model.checks.length);
  });

  it('escapes pipes and HTML in table cells so a row stays one row', () => {
    const row = md.split('\n').find((l) => l.includes('exchange.remote-domain'))!;
    expect(row).toContain('\\<script>');
    expect(row).not.toContain('\u001b');
    expect(row).toContain('auto-forward \\| AutoForwardEnabled');
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
  });

  it('lists every non-pass under Findings, failures first, with details and remediation', () => {
    const findings = md.slice(md.indexOf('## Findings'), md.indexOf('## Environment'));
    const headings = [...findings.matchAll(/^### (\w+) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      'FAIL entra.redirect-uri',
      'FAIL exchange.smtp-auth',
      'FAIL exchange.remote-domain',
      'ERROR exchange.outbound-spam-policy',
      'WARN webex.forwarding-address',
      'WARN entra.client-secret',
      'SKIP exchange.forwarding',
      'SKIP smtp.send',
      'SKIP mailflow.roundtrip',
    ]);
    // The heading is the finding; the check's title (what passing looks like) is below it, not in it.
    expect(findings).toContain('### FAIL entra.redirect-uri — No Web redirect URI matches the Call Back URL.\n');
    expect(findings).not.toMatch(/^###.*The callback URL is a Web redirect URI/m);
    expect(findings).toContain('checks: The callback URL is a Web redirect URI');
    expect(findings).toContain('**Fix:** Add the Call Back URL as a redirect URI of platform **Web**.');
    expect(findings).toContain('```\naz ad app update');
    expect(findings).toContain('- <https://learn.microsoft.com/en-us/entra/identity-platform/reply-url>');
    expect(findings).toContain('- the setup guide, step 2');
    // A URL from the tenant stays text (a code span), never a link (issue 8 item 2).
    expect(findings).toContain('| SPA | `https://contoso.us.webexconnect.io/callback` |');
    expect(findings).toContain('```json\n{\n  "callbackUrl"');
  });

  it('ends with the environment', () => {
    const env = md.slice(md.indexOf('## Environment'));
    expect(env).toContain('- **Tool:** wxmail 0.1.0');
    expect(env).toContain('- **Node:** v20.20.2');
    expect(env).toContain('- **OS:** linux 6.8.0 x64');
    expect(env).toContain(`tenant \`${TENANT_ID}\``);
    expect(env).toContain('- **Reader identity:** app');
    expect(env).toContain('- **Started:** 2026-06-19T08:30:00.000Z');
    expect(env).toContain('- **Duration:** 4.2 s');
  });
});

describe('html', () => {
  const full = renderHtml(model);
  // The model rides along as JSON data (never executed, escaped so it cannot end the element);
  // everything else is markup, and that is what these tests look at.
  const DATA_BLOCK = /<script type="application\/json" id="wxmail-report">[^<]*<\/script>/;
  const html = full.replace(DATA_BLOCK, '');

  it('is one self-contained document: no scripts, stylesheets, images, fonts or remote URLs', () => {
    expect(full.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(full.match(/<script/gi)).toHaveLength(1);
    expect(full).toMatch(DATA_BLOCK);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<[^>]+\ssrc=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain("default-src 'none'");
    // A URL may be text or the target of an anchor, never an attribute that loads something.
    for (const tag of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/g)) {
      for (const attr of tag[2]!.matchAll(/([\w-]+)="([^"]*)"/g)) {
        if (/https?:|\/\//.test(attr[2]!)) expect(`${tag[1]} ${attr[1]}`).toBe('a href');
      }
    }
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(css).not.toMatch(/https?:|\/\/|url\(|@import|@font-face/);
  });

  it('is printable', () => {
    expect(html).toMatch(/@media print\{/);
  });

  it('has the same content as the markdown: table, findings with remediation, environment', () => {
    expect(html.match(/<tr class="[a-z]+" data-status=/g)).toHaveLength(model.checks.length);
    expect(html.match(/<section class="finding /g)).toHaveLength(9);
    expect(html).toContain('<a href="https://learn.microsoft.com/en-us/entra/identity-platform/reply-url">');
    expect(html).toContain('<pre><code>az ad app update');
    expect(html).toContain('<td>SPA</td>');
    expect(html).toContain('<dt>Reader identity</dt>');
    expect(html).toContain('<a href="#finding-1"><code>entra.redirect-uri</code></a>');
    expect(html).toContain('<code>entra.redirect-uri</code> — No Web redirect URI matches the Call Back URL.</h3>');
    expect(html).not.toMatch(/<h3>[^\n]*The callback URL is a Web redirect URI/);
  });

  it('escapes all text and drops unsafe links', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('\u001b');
  });
});

describe('render', () => {
  it('dispatches to every format', () => {
    expect(render(model, 'text', { color: false })).toContain('Summary: ');
    expect(render(model, 'junit', { color: false })).toContain('<testsuites');
    expect(render(model, 'markdown', { color: false })).toContain('## Findings');
    expect(render(model, 'html', { color: false })).toContain('<!DOCTYPE html>');
  });

  it('renders an empty run', () => {
    const empty = makeModel([], 'pass');
    expect(render(empty, 'text', { color: false })).toContain('No checks ran.');
    expect(render(empty, 'markdown', { color: false })).toContain('None: every check passed.');
    expect(xmlProblems(render(empty, 'junit', { color: false }))).toEqual([]);
    expect(validateReport(JSON.parse(render(empty, 'json', { color: false })))).toEqual({ ok: true });
  });
});
