import type { SimContext } from '../context.js';
import { newGuid } from '../http/ids.js';
import { header, json, type SimRequest, type SimResponse } from '../http/types.js';

/** Entra's timestamp format in error bodies: `2024-05-01 12:34:56Z`. */
export function entraTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export interface AadErrorInput {
  status: number;
  error: string;
  code: number;
  /** The message after `AADSTSnnnn: `. */
  message: string;
}

/**
 * Microsoft's token-endpoint error body (reference A1, [V]): error, error_description
 * `AADSTSnnnn: …\r\nTrace ID: … Correlation ID: … Timestamp: …`, error_codes, timestamp, trace_id,
 * correlation_id, error_uri. The correlation id echoes the client's `client-request-id`.
 */
export function aadError(ctx: SimContext, req: SimRequest, e: AadErrorInput): SimResponse {
  const traceId = newGuid();
  const correlationId = correlationOf(req);
  const ts = entraTimestamp(ctx.now());
  return json(
    e.status,
    {
      error: e.error,
      error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${ts}`,
      error_codes: [e.code],
      timestamp: ts,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
    },
    { 'x-ms-request-id': traceId, 'client-request-id': correlationId, 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
  );
}

export function correlationOf(req: SimRequest): string {
  return header(req, 'client-request-id') ?? req.query.get('client-request-id') ?? newGuid();
}

/**
 * The AADSTS texts the simulator answers with. Live wording where the reference has it ([O]);
 * otherwise Microsoft's error-code table's description ([V]) or, marked [I], our own phrasing.
 */
export const AADSTS = {
  /** [O] hoppscotch/hoppscotch#3868 (live text). */
  invalidSecret: (appId: string) => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 7000215,
    message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
  }),
  /** [V] reference-error-codes: InvalidClientSecretExpiredKeysProvided. */
  secretExpired: (appId: string) => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 7000222,
    message: `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  }),
  /** [V] 700016 UnauthorizedClient_DoesNotMatchRequest. */
  appNotFound: (clientId: string, tenant: string) => ({
    status: 400 as const,
    error: 'unauthorized_client',
    code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  }),
  /** [V] 7000112 application is disabled. */
  appDisabled: (appId: string, name: string) => ({
    status: 400 as const,
    error: 'unauthorized_client',
    code: 7000112,
    message: `Application '${appId}'(${name}) is disabled.`,
  }),
  /** [O] A3b (same text at the token endpoint, error `invalid_request`). */
  tenantNotFound: (segment: string, error = 'invalid_request') => ({
    status: 400 as const,
    error,
    code: 90002,
    message: `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  }),
  /** [O] A3. */
  tenantMalformed: (segment: string) => ({
    status: 400 as const,
    error: 'invalid_request',
    code: 900023,
    message: `Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain.`,
  }),
  /** [O] A3 (AADSTS1002012). */
  scopeNotDefault: (scope: string) => ({
    status: 400 as const,
    error: 'invalid_scope',
    code: 1002012,
    message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  /** [V] 70011 InvalidScope. */
  invalidScope: (scope: string) => ({
    status: 400 as const,
    error: 'invalid_scope',
    code: 70011,
    message: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  }),
  /** [V] 700022 InvalidMultipleResourcesScope. */
  multipleResources: (scope: string) => ({
    status: 400 as const,
    error: 'invalid_scope',
    code: 700022,
    message: `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
  }),
  /** [V] 500011 InvalidResourceServicePrincipalNotFound. */
  resourceNotFound: (resource: string, tenant: string) => ({
    status: 400 as const,
    error: 'invalid_resource',
    code: 500011,
    message: `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  }),
  /** [V] 7000218. */
  noCredential: () => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 7000218,
    message: `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`,
  }),
  /** [V] 900144 (missing parameter). */
  missingParameter: (name: string) => ({
    status: 400 as const,
    error: 'invalid_request',
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  /** [V] 70003 UnsupportedGrantType. */
  unsupportedGrant: (grant: string) => ({
    status: 400 as const,
    error: 'unsupported_grant_type',
    code: 70003,
    message: `The app requested an unsupported grant type '${grant}'.`,
  }),
  /** [V] 700027 (certificate not registered / expired / bad signature); reasons [I]. */
  assertionInvalid: (reason: string) => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 700027,
    message: `Client assertion failed signature validation. [Reason - ${reason}]`,
  }),
  /** [V] 700021 client assertion application identifier doesn't match client_id. */
  assertionClientMismatch: () => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 700021,
    message: `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`,
  }),
  /** [V] 700023 client assertion audience claim does not match realm issuer. */
  assertionAudience: () => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 700023,
    message: `Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`,
  }),
  /** [V] 700024 client assertion is not within its valid time range. */
  assertionTime: (now: Date) => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 700024,
    message: `Client assertion is not within its valid time range. Current time: ${now.toISOString()}.`,
  }),
  /** [V] 70016 authorization pending (device flow). */
  authorizationPending: () => ({
    status: 400 as const,
    error: 'authorization_pending',
    code: 70016,
    message: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
  }),
  /** [V] 70019 verification code expired / unknown device code [I]. */
  badDeviceCode: () => ({
    status: 400 as const,
    error: 'expired_token',
    code: 70019,
    message: 'Verification code expired.',
  }),
  /**
   * [O] 9002313 invalid_grant for a refresh token Entra cannot read (reported for malformed,
   * truncated or foreign refresh tokens); the simulator answers it for any refresh token it did not issue.
   */
  refreshTokenInvalid: () => ({
    status: 400 as const,
    error: 'invalid_grant',
    code: 9002313,
    message: 'Invalid request. Request is malformed or invalid.',
  }),
  /** [V] 70000 InvalidGrant; [I] used when a refresh token is redeemed by a client it was not issued to. */
  refreshTokenWrongClient: () => ({
    status: 400 as const,
    error: 'invalid_grant',
    code: 70000,
    message: 'Provided grant is invalid or malformed.',
  }),
  /** G7 [O]: real 70001 bodies read "not found in the directory" although the table says "disabled". */
  appNotInDirectory70001: (clientId: string, tenant: string) => ({
    status: 400 as const,
    error: 'unauthorized_client',
    code: 70001,
    message: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  }),
  /** [V] 70001 UnauthorizedClient: the application is disabled (the table's meaning). */
  appDisabled70001: (appId: string) => ({
    status: 400 as const,
    error: 'unauthorized_client',
    code: 70001,
    message: `Application '${appId}' is disabled.`,
  }),
  /** [V] 700011 UnauthorizedClientAppNotFoundInOrgIdTenant. */
  appNotInTenant: (clientId: string, tenant: string) => ({
    status: 400 as const,
    error: 'unauthorized_client',
    code: 700011,
    message: `Application with identifier '${clientId}' was not found in directory '${tenant}'.`,
  }),
  /** [O] Azure/Commercial-Marketplace-SaaS-Accelerator#830, Azure/azure-sdk-for-net#46762 (error invalid_client). */
  servicePrincipalMissing: (clientId: string, tenant: string) => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 7000229,
    message: `The client application ${clientId} is missing service principal in the tenant ${tenant}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
  }),
  /** [V] 53003 BlockedByConditionalAccess; the error string `access_denied` [I]. */
  conditionalAccess: () => ({
    status: 400 as const,
    error: 'access_denied',
    code: 53003,
    message: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  }),
  /** [O] 65002 (first-party client → first-party resource without preauthorisation); error string [I]. */
  firstPartyNotPreauthorized: (clientId: string, resource: string) => ({
    status: 400 as const,
    error: 'invalid_grant',
    code: 65002,
    message: `Consent between first party application '${clientId}' and first party resource '${resource}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.`,
  }),
  /** [V] 700025 public client must not present a secret or assertion. */
  publicClientWithSecret: () => ({
    status: 401 as const,
    error: 'invalid_client',
    code: 700025,
    message: 'Client is public so neither \'client_assertion\' nor \'client_secret\' should be presented.',
  }),
};
