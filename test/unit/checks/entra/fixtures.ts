import type { CheckContext, FactOutcome } from '../../../../src/core/check.js';
import { FactError } from '../../../../src/core/fact-error.js';
import type { AppRegistration, ResourceServicePrincipal, ServicePrincipal } from '../../../../src/collect/graph/entra/types.js';
import type { WebexTokens } from '../../../../src/collect/identity/webex-token-fact.js';
import { testConfig } from '../../collect/identity/ctx.js';
import type { RunConfig } from '../../../../src/config/types.js';

export const NOW = new Date('2026-06-01T12:00:00Z');
export const CALLBACK = 'https://contoso.us.webexconnect.io/callback';
export const MAIL_SEND = 'b633e1c5-b582-4048-a93e-9f11b44c7e96';
export const SMTP_SEND = '76faac2a-0f20-42f1-928a-50de5b9dbe52';
export const EXO_SP = 'exo-sp-id';

export function app(over: Partial<AppRegistration> = {}): AppRegistration {
  return {
    id: '3d6317c3-ed51-4ff2-955d-019ac1637beb',
    appId: '56ba9bac-67be-4bd2-b551-47258e7ead62',
    displayName: 'WebexConnect',
    signInAudience: 'AzureADMyOrg',
    isFallbackPublicClient: false,
    web: { redirectUris: [CALLBACK], implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } },
    spa: { redirectUris: [] },
    publicClient: { redirectUris: [] },
    passwordCredentials: [
      { keyId: '5f7981e4-9b3e-43ff-b2cf-297606955fff', displayName: 'wxconnect', hint: 'L1e', startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2027-01-01T00:00:00Z' },
    ],
    keyCredentials: [],
    requiredResourceAccess: [
      { resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] },
      { resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: [{ id: MAIL_SEND, type: 'Role' }] },
    ],
    ...over,
  };
}

export function exchangeSp(): ResourceServicePrincipal {
  return {
    id: EXO_SP,
    appId: '00000002-0000-0ff1-ce00-000000000000',
    displayName: 'Office 365 Exchange Online',
    appRoles: [
      { id: MAIL_SEND, value: 'Mail.Send', allowedMemberTypes: ['Application'], isEnabled: true },
      { id: '7146a1f0-8703-45b3-9eae-527a64c00995', value: 'SMTP.SendAsApp', allowedMemberTypes: ['Application'], isEnabled: true },
    ],
    oauth2PermissionScopes: [{ id: SMTP_SEND, value: 'SMTP.Send', type: 'User' }],
  };
}

export function webexSp(over: Partial<ServicePrincipal> = {}): ServicePrincipal {
  return { id: 'webex-sp', appId: '56ba9bac-67be-4bd2-b551-47258e7ead62', displayName: 'WebexConnect', accountEnabled: true, appRoleAssignmentRequired: false, ...over };
}

export function tokens(over: { roles?: string[]; skew?: number | null } = {}): WebexTokens {
  const ok = (resource: 'graph' | 'exchange') => ({
    resource,
    ok: true,
    claims: { aud: resource === 'graph' ? 'https://graph.microsoft.com' : 'https://outlook.office365.com', tid: 't', appid: 'a', roles: resource === 'exchange' ? (over.roles ?? ['Mail.Send']) : [], exp: 2_000_000_000 },
    error: null,
    clockSkewSeconds: over.skew === undefined ? 0 : over.skew,
    serverDate: 'Mon, 01 Jun 2026 12:00:00 GMT',
    requestIds: [`r-${resource}`],
  });
  return { credential: 'secret', graph: ok('graph'), exchange: ok('exchange') };
}

export function failedTokens(code: string, summary = 'failed'): WebexTokens {
  const bad = (resource: 'graph' | 'exchange') => ({
    resource,
    ok: false,
    claims: null,
    error: new FactError(code, summary, { details: 'why', evidence: { aadsts: 1 } }).toJSON(),
    clockSkewSeconds: null,
    serverDate: null,
    requestIds: [],
  });
  return { credential: 'secret', graph: bad('graph'), exchange: bad('exchange') };
}

export const ok = <T>(value: T): FactOutcome<T> => ({ ok: true, value });
export const err = <T>(code: string, message = 'nope', permission?: { name: string; identity: string }): FactOutcome<T> => ({
  ok: false,
  error: new FactError(code, message, permission ? { permission } : {}),
});

export function checkCtx(over: Partial<RunConfig> = {}): CheckContext {
  return { config: testConfig({ callbackUrl: CALLBACK, ...over }), asset: null, now: NOW };
}
