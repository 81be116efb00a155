import { STATUSES, type Status } from '../../../src/core/codes.js';
import type { CheckResult, ReportModel, Summary } from '../../../src/core/result.js';

/** A realistic report: every status, every step, assets, long markdown details, commands. */

export const MAILBOX = 'john.doe@contoso.com';
export const FORWARDING = 'support-7f3a@imiconnect.example.io';
export const TENANT_ID = '3f1c2b9a-8d4e-4f6a-9b7c-1a2b3c4d5e6f';
export const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const LONG_DETAILS = `The app registration has **no redirect URI** of platform *Web* that matches the Webex Connect
Call Back URL. Webex Connect's "Authorize" button then fails with \`AADSTS50011\`.

What the app registration has:

| Platform | Redirect URI |
|---|---|
| SPA | https://contoso.us.webexconnect.io/callback |
| Public client | https://login.microsoftonline.com/common/oauth2/nativeclient |

Expected:

- platform **Web**
- URI \`https://contoso.us.webexconnect.io/callback\` exactly (case, trailing slash)
- see [the guide](https://help.webexconnect.io/docs/email-o365) for step 2

\`\`\`text
AADSTS50011: The redirect URI 'https://contoso.us.webexconnect.io/callback' specified in the request
does not match the redirect URIs configured for the application '${CLIENT_ID}'.
\`\`\`

${'Each platform keeps its own list of URIs; a URI under SPA does not count for Web. '.repeat(8)}`;

function check(partial: Partial<CheckResult> & Pick<CheckResult, 'id' | 'step' | 'status'>): CheckResult {
  return {
    asset: null,
    title: `Title of ${partial.id}`,
    code: null,
    summary: `Summary of ${partial.id}.`,
    details: '',
    durationMs: 12,
    remediation: null,
    evidence: {},
    requestIds: [],
    ...partial,
  };
}

export function fixtureChecks(): CheckResult[] {
  return [
    check({ id: 'webex.callback-url', step: 1, status: 'pass', summary: 'The Call Back URL is a Webex Connect URL.' }),
    check({
      id: 'webex.forwarding-address',
      step: 1,
      status: 'warn',
      asset: MAILBOX,
      code: 'FORWARDING_ADDRESS_UNRECOGNIZED',
      summary: `The forwarding address ${FORWARDING} is not a known Webex Connect domain.`,
      details: `Forwarding address: \`${FORWARDING}\`.`,
      remediation: {
        text: 'Copy the **Forwarding Address** from the Email app in Webex Connect again.',
        portal: ['Webex Connect > Assets > Apps > Email > Forwarding Address'],
        commands: [],
        links: [],
      },
      evidence: { forwardingAddress: FORWARDING, domain: 'imiconnect.example.io' },
    }),
    check({ id: 'entra.token', step: 2, status: 'pass', summary: 'The Webex app gets a token for outlook.office365.com.' }),
    check({
      id: 'entra.redirect-uri',
      step: 2,
      status: 'fail',
      title: 'The callback URL is a Web redirect URI',
      code: 'REDIRECT_URI_MISSING',
      summary: 'No Web redirect URI matches the Call Back URL.',
      details: LONG_DETAILS,
      remediation: {
        text: 'Add the Call Back URL as a redirect URI of platform **Web**.',
        portal: ['Microsoft Entra admin center > Identity > Applications > App registrations > (app) > Authentication > Add a platform > Web'],
        commands: [
          `az ad app update --id ${CLIENT_ID} --web-redirect-uris "https://contoso.us.webexconnect.io/callback"`,
          'Update-MgApplication -ApplicationId $app.Id -Web @{ RedirectUris = @("https://contoso.us.webexconnect.io/callback") }',
        ],
        links: ['https://learn.microsoft.com/en-us/entra/identity-platform/reply-url', 'the setup guide, step 2'],
      },
      evidence: {
        callbackUrl: 'https://contoso.us.webexconnect.io/callback',
        web: [],
        spa: ['https://contoso.us.webexconnect.io/callback'],
        platformMismatch: true,
      },
      requestIds: ['b6a1f0c2-0d4e-4b8a-9c1d-2e3f4a5b6c7d'],
    }),
    check({
      id: 'entra.client-secret',
      step: 2,
      status: 'warn',
      code: 'SECRET_EXPIRES_SOON',
      summary: 'The client secret "abc…" expires in 12 days.',
      remediation: { text: 'Create a new secret and update it in Webex Connect before it expires.', portal: [], commands: [], links: [] },
      evidence: { hint: 'abc', daysLeft: 12, endDateTime: '2026-07-01T00:00:00Z' },
    }),
    check({
      id: 'exchange.smtp-auth',
      step: 3,
      status: 'fail',
      asset: MAILBOX,
      code: 'SMTP_AUTH_DISABLED_MAILBOX',
      summary: `Authenticated SMTP is off for ${MAILBOX}.`,
      details: `\`Get-CASMailbox -Identity ${MAILBOX}\` shows \`SmtpClientAuthenticationDisabled: True\`.`,
      remediation: {
        text: 'Turn on Authenticated SMTP for this mailbox only.',
        portal: ['Microsoft 365 admin center > Users > Active users > (user) > Mail > Manage email apps > Authenticated SMTP'],
        commands: [`Set-CASMailbox -Identity ${MAILBOX} -SmtpClientAuthenticationDisabled $false`],
        links: ['https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission'],
      },
      evidence: { SmtpClientAuthenticationDisabled: true, identity: MAILBOX },
      requestIds: ['5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9'],
    }),
    check({
      id: 'exchange.forwarding',
      step: 3,
      status: 'skip',
      asset: MAILBOX,
      code: 'MISSING_PERMISSION',
      summary: 'The reader identity may not run Get-Mailbox (Exchange.ManageAsApp is missing).',
      remediation: { text: 'Give a reader identity the Exchange.ManageAsApp permission, or sign in with --sign-in.', portal: [], commands: [], links: [] },
    }),
    check({
      id: 'exchange.outbound-spam-policy',
      step: 3,
      status: 'error',
      code: 'THROTTLED',
      summary: 'Exchange throttled the request past the retry budget (429 after 3 attempts).',
      details: 'Retry-After was `30` seconds; the run deadline did not allow another attempt.',
      evidence: { attempts: 3, retryAfterSeconds: 30, lastStatus: 429 },
      requestIds: ['1a2b3c4d-0000-4000-8000-000000000001', '1a2b3c4d-0000-4000-8000-000000000002'],
    }),
    check({
      id: 'exchange.remote-domain',
      step: 3,
      status: 'fail',
      code: 'AUTOFORWARD_BLOCKED_REMOTE_DOMAIN',
      // Hostile text from a server must stay text in every format.
      summary: 'Remote domain "Default" <script>alert(1)</script> blocks auto-forward | AutoForwardEnabled = False & more \u001b[31mred\u001b[0m',
      details: 'Raw reply: `<b>bold</b>` and <img src=x onerror=alert(1)> and a [bad link](javascript:alert(1)).\u0000',
      remediation: {
        text: 'Allow automatic forwarding for the forwarding domain with a new remote domain.',
        portal: [],
        commands: ['New-RemoteDomain -Name "Webex Connect" -DomainName imiconnect.example.io\nSet-RemoteDomain -Identity "Webex Connect" -AutoForwardEnabled $true'],
        links: [],
      },
    }),
    check({ id: 'smtp.connect', step: 4, status: 'pass', summary: 'smtp.office365.com:587 answers and offers STARTTLS.' }),
    check({
      id: 'smtp.send',
      step: 4,
      status: 'skip',
      asset: MAILBOX,
      code: 'NOT_REQUESTED',
      summary: 'No probe mail was sent (add --send-test to send one).',
    }),
    check({ id: 'mailflow.roundtrip', step: 4, status: 'skip', asset: MAILBOX, code: 'NOT_REQUESTED', summary: 'Not asked for (--send-test).' }),
  ];
}

export function summarize(checks: CheckResult[]): Summary {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary;
  for (const c of checks) summary[c.status]++;
  return summary;
}

export function makeModel(checks: CheckResult[] = fixtureChecks(), status: Exclude<Status, 'skip'> = 'fail'): ReportModel {
  return {
    schemaVersion: 1,
    tool: { name: 'wxmail', version: '0.1.0' },
    startedAt: '2026-06-19T08:30:00.000Z',
    durationMs: 4210,
    status,
    summary: summarize(checks),
    target: { tenantId: TENANT_ID, clientId: CLIENT_ID, cloud: 'global' },
    environment: { node: 'v20.20.2', os: 'linux 6.8.0 x64', readerIdentity: 'app' },
    checks,
  };
}
