import type { RunConfig } from '../../../../src/config/types.js';
import type { CheckContext } from '../../../../src/core/check.js';
import type { CredentialSummary } from '../../../../src/collect/smtp/mail-tokens.js';
import { defaultRunConfig } from '../../../../src/config/defaults.js';

export const MAILBOX = 'john@contoso.com';

export function config(over: Partial<RunConfig> = {}): RunConfig {
  return defaultRunConfig({
    tenantId: '0f47778c-61c2-4b0a-8e94-3f05e737a1dd',
    clientId: '56ba9bac-67be-4bd2-b551-47258e7ead62',
    assets: [{ mailbox: MAILBOX }],
    endpoints: {
      login: 'https://login.microsoftonline.com',
      graph: 'https://graph.microsoft.com',
      exchange: 'https://outlook.office365.com',
      smtpHost: 'smtp.office365.com',
      smtpPort: 587,
      imapHost: 'outlook.office365.com',
      imapPort: 993,
    },
    timeoutMs: 120_000,
    checkTimeoutMs: 20_000,
    sendTest: true,
    roundtripTimeoutMs: 120_000,
    ...over,
  });
}

export function ctx(over: Partial<RunConfig> = {}, mailbox: string | null = MAILBOX): CheckContext {
  return { config: config(over), asset: mailbox ? { mailbox } : null, now: new Date('2026-11-28T10:00:00Z') };
}

export function appCredential(over: Partial<CredentialSummary> = {}): CredentialSummary {
  return {
    kind: 'app',
    needed: 'SMTP.SendAsApp',
    carriesNeeded: true,
    appId: '56ba9bac-67be-4bd2-b551-47258e7ead62',
    servicePrincipalId: '8f2a6c1e-4b7d-4e39-9a51-2d6c0e7b3f14',
    roles: ['Mail.Send', 'SMTP.SendAsApp', 'IMAP.AccessAsApp'],
    scopes: [],
    upn: null,
    audience: 'https://outlook.office365.com',
    ...over,
  };
}

export function delegatedCredential(over: Partial<CredentialSummary> = {}): CredentialSummary {
  return {
    kind: 'delegated',
    needed: 'SMTP.Send',
    carriesNeeded: true,
    appId: '56ba9bac-67be-4bd2-b551-47258e7ead62',
    servicePrincipalId: null,
    roles: [],
    scopes: ['SMTP.Send', 'IMAP.AccessAsUser.All'],
    upn: MAILBOX,
    audience: 'https://outlook.office.com',
    ...over,
  };
}

/** Everything a check emits must be explained (its own table or the generic one). */
export const GENERIC = ['INPUT_MISSING', 'MISSING_PERMISSION', 'NOT_REQUESTED', 'NOT_APPLICABLE', 'DEPENDENCY_FAILED', 'NETWORK', 'TIMEOUT', 'THROTTLED', 'UNEXPECTED_RESPONSE'];
