import type { Cloud, Endpoints } from './types.js';

export interface CloudDefinition {
  endpoints: Endpoints;
  /** Resource scopes for client-credentials tokens: one token per resource (reference A1). */
  graphScope: string;
  exchangeScope: string;
  /** Host msal knows as an authority without instance discovery. */
  loginHost: string;
  /**
   * Endpoints Microsoft does not document for this cloud: observed in public code [O] or inferred
   * [I]. A verdict on this cloud names them (cloudProvenanceNote).
   */
  unverified: { endpoint: string; value: string; label: 'O' | 'I'; source: string }[];
}

/**
 * Endpoint sets per cloud (reference A4, G24). GCC (moderate) uses the worldwide endpoints.
 * [O] marks hosts observed in public code but not documented by Microsoft, [I] hosts inferred;
 * each is listed in `unverified`, which the report names for a run on that cloud.
 */
export const CLOUD_DEFINITIONS: Record<Cloud, CloudDefinition> = {
  global: {
    endpoints: {
      login: 'https://login.microsoftonline.com',
      graph: 'https://graph.microsoft.com',
      exchange: 'https://outlook.office365.com',
      smtpHost: 'smtp.office365.com',
      smtpPort: 587,
      imapHost: 'outlook.office365.com',
      imapPort: 993,
    },
    graphScope: 'https://graph.microsoft.com/.default',
    exchangeScope: 'https://outlook.office365.com/.default',
    loginHost: 'login.microsoftonline.com',
    unverified: [],
  },
  usgov: {
    endpoints: {
      login: 'https://login.microsoftonline.us',
      graph: 'https://graph.microsoft.us',
      exchange: 'https://outlook.office365.us',
      smtpHost: 'smtp.office365.us', // [O] postfix logs
      smtpPort: 587,
      imapHost: 'outlook.office365.us', // [I]
      imapPort: 993,
    },
    graphScope: 'https://graph.microsoft.us/.default',
    exchangeScope: 'https://outlook.office365.us/.default',
    loginHost: 'login.microsoftonline.us',
    unverified: [
      { endpoint: 'Exchange admin API', value: 'https://outlook.office365.us', label: 'I', source: 'the host of the documented ConnectionUri (A4)' },
      { endpoint: 'SMTP host', value: 'smtp.office365.us', label: 'O', source: 'postfix logs (A4)' },
      { endpoint: 'IMAP host', value: 'outlook.office365.us', label: 'I', source: 'the Exchange host (A4)' },
    ],
  },
  usgovdod: {
    // G24 [O]: CISA ScubaGear (EXORestHelper.psm1) calls the admin API at outlook-dod.office365.us
    // with scope https://outlook-dod.office365.us/.default; CSS-Exchange Get-CloudServiceEndpoint.ps1
    // lists that host for USGovernmentL5; EmailEngine documents it for DoD IMAP and SMTP.
    // webmail.apps.mil is only ever a PowerShell ConnectionUri, never a token scope.
    endpoints: {
      login: 'https://login.microsoftonline.us',
      graph: 'https://dod-graph.microsoft.us',
      exchange: 'https://outlook-dod.office365.us', // [O] G24
      smtpHost: 'outlook-dod.office365.us', // [O] G24 (EmailEngine)
      smtpPort: 587,
      imapHost: 'outlook-dod.office365.us', // [O] G24 (EmailEngine)
      imapPort: 993,
    },
    graphScope: 'https://dod-graph.microsoft.us/.default',
    exchangeScope: 'https://outlook-dod.office365.us/.default', // [O] G24 (ScubaGear)
    loginHost: 'login.microsoftonline.us',
    unverified: [
      { endpoint: 'Exchange admin API and token scope', value: 'https://outlook-dod.office365.us', label: 'O', source: 'CISA ScubaGear EXORestHelper.psm1, CSS-Exchange Get-CloudServiceEndpoint.ps1 (G24)' },
      { endpoint: 'SMTP and IMAP host', value: 'outlook-dod.office365.us', label: 'O', source: 'EmailEngine documentation (G24)' },
    ],
  },
  china: {
    endpoints: {
      login: 'https://login.partner.microsoftonline.cn',
      graph: 'https://microsoftgraph.chinacloudapi.cn',
      exchange: 'https://partner.outlook.cn',
      smtpHost: 'smtp.partner.outlook.cn', // [O] G24: widely used in public code; partner.outlook.cn in some docs, NOT VERIFIED which is right
      smtpPort: 587,
      imapHost: 'partner.outlook.cn', // [I]
      imapPort: 993,
    },
    graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    exchangeScope: 'https://partner.outlook.cn/.default', // [I] the host of the documented ConnectionUri
    loginHost: 'login.partner.microsoftonline.cn',
    unverified: [
      { endpoint: 'SMTP host', value: 'smtp.partner.outlook.cn', label: 'O', source: 'public code samples; some docs say partner.outlook.cn (G24)' },
      { endpoint: 'IMAP host', value: 'partner.outlook.cn', label: 'I', source: 'the Exchange host (A4)' },
      { endpoint: 'Exchange admin API and token scope', value: 'https://partner.outlook.cn', label: 'I', source: 'the host of the documented ConnectionUri (A4)' },
    ],
  },
};

/**
 * For a verdict on a non-global cloud: which of the endpoints it rests on Microsoft does not
 * document (G24). Null for the worldwide cloud or when every endpoint is documented.
 */
export function cloudProvenanceNote(cloud: Cloud): string | null {
  const u = CLOUD_DEFINITIONS[cloud].unverified;
  if (u.length === 0) return null;
  return `Cloud ${cloud}: these endpoints are not documented by Microsoft: ${u.map((e) => `${e.endpoint} ${e.value} [${e.label}: ${e.source}]`).join('; ')}.`;
}
