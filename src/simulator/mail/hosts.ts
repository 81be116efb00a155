/**
 * Server names the simulated Exchange Online shows. Copied from the observed reply lines in
 * microsoft-365.md B1/B4 (`… [SN2PR00CA0018.namprd00.prod.outlook.com]`); the front-end name is the
 * same server under outlook.office365.com, as real banners show it [O].
 */
export const FRONTEND_HOST = 'SN2PR00CA0018.outlook.office365.com';
export const BACKEND_HOST = 'SN2PR00CA0018.namprd00.prod.outlook.com';

/** Local part of the system mailbox Exchange Online sends NDRs from [O]. */
export const NDR_SENDER_LOCAL = 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e';

/** Exact text of the outbound-spam-policy forwarding block (DEF, microsoft-365.md B4) [V]. */
export const FORWARDING_BLOCKED_TEXT =
  '550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)';
