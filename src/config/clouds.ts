import type { Cloud, Endpoints } from './types.js';

export interface CloudDefinition {
  endpoints: Endpoints;
  /** Resource scopes for client-credentials tokens: one token per resource (reference A1). */
  graphScope: string;
  exchangeScope: string;
  /** Host msal knows as an authority without instance discovery. */
  loginHost: string;
}

/**
 * Endpoint sets per cloud (reference A4). GCC (moderate) uses the worldwide endpoints.
 * [I] marks hosts the reference could not verify; they are the customary ones.
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
  },
  usgovdod: {
    endpoints: {
      login: 'https://login.microsoftonline.us',
      graph: 'https://dod-graph.microsoft.us',
      exchange: 'https://webmail.apps.mil', // [V] PowerShell ConnectionUri host; admin API there NOT VERIFIED
      smtpHost: 'smtp.office365.us', // [I] DoD SMTP host not verified
      smtpPort: 587,
      imapHost: 'outlook.office365.us', // [I]
      imapPort: 993,
    },
    graphScope: 'https://dod-graph.microsoft.us/.default',
    exchangeScope: 'https://webmail.apps.mil/.default', // [I]
    loginHost: 'login.microsoftonline.us',
  },
  china: {
    endpoints: {
      login: 'https://login.partner.microsoftonline.cn',
      graph: 'https://microsoftgraph.chinacloudapi.cn',
      exchange: 'https://partner.outlook.cn',
      smtpHost: 'smtp.partner.outlook.cn', // [O] code samples
      smtpPort: 587,
      imapHost: 'partner.outlook.cn', // [I]
      imapPort: 993,
    },
    graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    exchangeScope: 'https://partner.outlook.cn/.default',
    loginHost: 'login.partner.microsoftonline.cn',
  },
};
