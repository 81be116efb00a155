import type { SimContext } from '../context.js';
import { newGuid } from '../http/ids.js';
import { header, html, json, readForm, type SimHandler, type SimRequest, type SimResponse } from '../http/types.js';
import type { ScenarioApp } from '../scenario/schema.js';
import { basicAuth, checkAssertion, checkSecret, presentedCredential } from './client-auth.js';
import { approvingUser, delegatedScopes, DeviceCodeStore, FIRST_PARTY_PUBLIC_CLIENTS, FIRST_PARTY_RESOURCES } from './device-code.js';
import { AADSTS, aadError, correlationOf, entraTimestamp } from './errors.js';
import { issueAppToken, issueUserToken } from './issue.js';
import { openIdConfiguration } from './metadata.js';
import { entraErrorPage, signInPage } from './pages.js';
import { RefreshTokenStore } from './refresh-tokens.js';
import { parseClientCredentialScope, parseDelegatedScope } from './scopes.js';
import { resolveTenant } from './tenant.js';

const ROUTE = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/(token|devicecode|authorize))\/?$/;

export function findApp(ctx: SimContext, clientId: string): { key: string; app: ScenarioApp } | undefined {
  const id = clientId.toLowerCase();
  for (const [key, app] of Object.entries(ctx.scenario.apps)) if (app.appId.toLowerCase() === id) return { key, app };
  return undefined;
}

/** The simulated Entra ID v2 endpoints (login.microsoftonline.com). */
export function createLoginHandler(ctx: SimContext): SimHandler {
  const deviceCodes = new DeviceCodeStore();
  const refreshTokens = new RefreshTokenStore();

  return async (req) => {
    const m = ROUTE.exec(req.path);
    if (!m) return json(404, { error: 'not_found', error_description: `The simulator has no endpoint ${req.method} ${req.path}.` });
    const segment = m[1]!;
    const what = m[3] ?? m[2]!;
    const tenant = resolveTenant(ctx.scenario, segment);

    if (what.startsWith('v2.0/.well-known')) {
      if (req.method !== 'GET') return json(405, { error: 'invalid_request' });
      // A3b [O]: unknown tenant → 400 invalid_tenant / AADSTS90002 in the token error shape.
      if (!tenant.ok) return aadError(ctx, req, tenant.code === 90002 ? AADSTS.tenantNotFound(segment, 'invalid_tenant') : AADSTS.tenantMalformed(segment));
      return json(200, openIdConfiguration(req.base, tenant.tenantId));
    }
    if (what.startsWith('discovery')) {
      if (!tenant.ok) return aadError(ctx, req, tenant.code === 90002 ? AADSTS.tenantNotFound(segment, 'invalid_tenant') : AADSTS.tenantMalformed(segment));
      return json(200, { keys: [{ ...ctx.tokens.jwk, x5t: ctx.tokens.kid }] });
    }
    if (what === 'authorize') return authorize(req, segment, tenant.ok);

    if (req.method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'POST required.' });
    if (!tenant.ok) return aadError(ctx, req, tenant.code === 90002 ? AADSTS.tenantNotFound(segment) : AADSTS.tenantMalformed(segment));
    const form = readForm(req);
    if (what === 'devicecode') return deviceCode(req, form);
    return token(req, form);
  };

  async function token(req: SimRequest, form: URLSearchParams): Promise<SimResponse> {
    const grant = form.get('grant_type');
    if (!grant) return aadError(ctx, req, AADSTS.missingParameter('grant_type'));
    if (grant === 'client_credentials') return clientCredentials(req, form);
    // msal sends the short form 'device_code'; RFC 8628 clients the URN — Entra accepts both.
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') return deviceCodeGrant(req, form);
    if (grant === 'refresh_token') return refreshTokenGrant(req, form);
    return aadError(ctx, req, AADSTS.unsupportedGrant(grant));
  }

  async function clientCredentials(req: SimRequest, form: URLSearchParams): Promise<SimResponse> {
    const basic = basicAuth(header(req, 'authorization'));
    const clientId = form.get('client_id') ?? basic?.clientId;
    if (!clientId) return aadError(ctx, req, AADSTS.missingParameter('client_id'));
    const found = findApp(ctx, clientId);
    if (!found) return aadError(ctx, req, AADSTS.appNotFound(clientId, ctx.scenario.tenant.id));
    const { key, app } = found;

    const presented = presentedCredential(form, basic);
    if (presented.kind === 'none') return aadError(ctx, req, AADSTS.noCredential());
    const bad = presented.kind === 'secret' ? checkSecret(ctx, app, presented.secret) : await checkAssertion(ctx, key, app, presented.assertion, presented.assertionType);
    if (bad) return aadError(ctx, req, bad);
    if (!app.accountEnabled) return aadError(ctx, req, AADSTS.appDisabled(app.appId, app.displayName));

    const scope = parseClientCredentialScope(ctx.scenario, form.get('scope'), ctx.scenario.tenant.domains[0]!);
    if (!scope.ok) return aadError(ctx, req, scope.error);
    const refused = signInError(app, scope.resource.key, scope.resource.audience);
    if (refused) return aadError(ctx, req, refused);
    return tokenResponse(req, await issueAppToken(ctx, app, scope.resource));
  }

  /** The scenario's `signInError` knob (G7): the error Entra answers instead of a token. */
  function signInError(app: ScenarioApp, resource: string, audience: string) {
    const tenant = ctx.scenario.tenant.id;
    switch (app.signInError) {
      case 'app-not-in-directory-70001':
        return AADSTS.appNotInDirectory70001(app.appId, tenant);
      case 'app-disabled-70001':
        return AADSTS.appDisabled70001(app.appId);
      case 'app-not-in-tenant-700011':
        return AADSTS.appNotInTenant(app.appId, tenant);
      case 'service-principal-missing-7000229':
        return AADSTS.servicePrincipalMissing(app.appId, tenant);
      case 'conditional-access-53003':
        return AADSTS.conditionalAccess();
      case 'resource-not-in-tenant-500011':
        return resource === 'exchange' ? AADSTS.resourceNotFound(audience, ctx.scenario.tenant.domains[0]!) : undefined;
      case 'assertion-time-700024':
        return AADSTS.assertionTime(ctx.now());
      default:
        return undefined;
    }
  }

  async function deviceCode(req: SimRequest, form: URLSearchParams): Promise<SimResponse> {
    const clientId = form.get('client_id');
    if (!clientId) return aadError(ctx, req, AADSTS.missingParameter('client_id'));
    const found = findApp(ctx, clientId);
    const firstParty = FIRST_PARTY_PUBLIC_CLIENTS[clientId.toLowerCase()];
    if (!found && !firstParty) return aadError(ctx, req, AADSTS.appNotFound(clientId, ctx.scenario.tenant.id));
    const scope = parseDelegatedScope(ctx.scenario, form.get('scope'));
    if (!scope.ok) return aadError(ctx, req, scope.error);
    const user = approvingUser(ctx, found?.app);
    const scopes = delegatedScopes(ctx, { clientId, app: found?.app, resource: scope.resource, named: scope.named, isDefault: scope.isDefault, userId: user.id });
    const expiresIn = 900;
    const { deviceCode: dc, userCode } = deviceCodes.create({
      clientId,
      app: found?.app,
      resource: scope.resource,
      scopes,
      oidc: scope.oidc,
      user,
      expiresAt: Date.now() + expiresIn * 1000,
      polls: 0,
      refused: !found && !!firstParty && !(FIRST_PARTY_RESOURCES[clientId.toLowerCase()] ?? []).includes(scope.resource.key),
    });
    return json(200, {
      user_code: userCode,
      device_code: dc,
      verification_uri: 'https://microsoft.com/devicelogin',
      expires_in: expiresIn,
      interval: 1,
      message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate.`,
    });
  }

  async function deviceCodeGrant(req: SimRequest, form: URLSearchParams): Promise<SimResponse> {
    const code = form.get('device_code');
    if (!code) return aadError(ctx, req, AADSTS.missingParameter('device_code'));
    const clientId = form.get('client_id');
    const state = deviceCodes.poll(code, Date.now());
    if (state === 'pending') return aadError(ctx, req, AADSTS.authorizationPending());
    if (!state || (clientId && clientId.toLowerCase() !== state.clientId.toLowerCase())) return aadError(ctx, req, AADSTS.badDeviceCode());
    if (state.refused) return aadError(ctx, req, AADSTS.firstPartyNotPreauthorized(state.clientId, state.resource.appId));
    if (needsCredential(state.app) && presentedCredential(form, basicAuth(header(req, 'authorization'))).kind === 'none') return aadError(ctx, req, AADSTS.noCredential());
    const body = await issueUserToken(ctx, { clientId: state.clientId, user: state.user, resource: state.resource, scopes: state.scopes, oidc: state.oidc });
    refreshTokens.remember(body.refresh_token, { clientId: state.clientId, app: state.app, user: state.user });
    return tokenResponse(req, body);
  }

  /**
   * grant_type=refresh_token (RFC 6749 §6; Entra v2 requires `scope`): a refresh token this
   * simulator issued, redeemed by the client it was issued to, for any resource — the scopes are
   * worked out for the NEW resource exactly as at the device-code sign-in (`.default` = what was
   * consented, or the first-party client's admin set). Not the same resource's scopes carried over.
   */
  async function refreshTokenGrant(req: SimRequest, form: URLSearchParams): Promise<SimResponse> {
    const rt = form.get('refresh_token');
    if (!rt) return aadError(ctx, req, AADSTS.missingParameter('refresh_token'));
    if (!form.get('scope')) return aadError(ctx, req, AADSTS.missingParameter('scope'));
    const grant = refreshTokens.find(rt);
    if (!grant) return aadError(ctx, req, AADSTS.refreshTokenInvalid());
    const clientId = form.get('client_id') ?? basicAuth(header(req, 'authorization'))?.clientId;
    if (!clientId) return aadError(ctx, req, AADSTS.missingParameter('client_id'));
    if (clientId.toLowerCase() !== grant.clientId.toLowerCase()) return aadError(ctx, req, AADSTS.refreshTokenWrongClient());
    if (needsCredential(grant.app) && presentedCredential(form, basicAuth(header(req, 'authorization'))).kind === 'none') return aadError(ctx, req, AADSTS.noCredential());
    if (grant.app && !grant.app.accountEnabled) return aadError(ctx, req, AADSTS.appDisabled(grant.app.appId, grant.app.displayName));
    const scope = parseDelegatedScope(ctx.scenario, form.get('scope'));
    if (!scope.ok) return aadError(ctx, req, scope.error);
    const preauthorized = FIRST_PARTY_RESOURCES[grant.clientId.toLowerCase()];
    if (!grant.app && preauthorized && !preauthorized.includes(scope.resource.key)) return aadError(ctx, req, AADSTS.firstPartyNotPreauthorized(grant.clientId, scope.resource.appId));
    const scopes = delegatedScopes(ctx, { clientId: grant.clientId, app: grant.app, resource: scope.resource, named: scope.named, isDefault: scope.isDefault, userId: grant.user.id });
    const body = await issueUserToken(ctx, { clientId: grant.clientId, user: grant.user, resource: scope.resource, scopes, oidc: scope.oidc });
    refreshTokens.remember(body.refresh_token, grant);
    return tokenResponse(req, body);
  }

  /** A registered app must allow public client flows, or Entra asks for a secret (classic 7000218). */
  function needsCredential(app: ScenarioApp | undefined): boolean {
    return !!app && !app.isFallbackPublicClient && !app.deviceCodeUser;
  }

  function tokenResponse(req: SimRequest, body: Record<string, unknown>): SimResponse {
    return json(200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', 'x-ms-request-id': newGuid(), 'client-request-id': correlationOf(req) });
  }

  /**
   * The authorize endpoint (reference C5c, G22, G23): Entra checks client_id and redirect_uri first
   * and shows its own HTML error page (with `$Config` and an `x-ms-request-id` header [O]); only
   * once the redirect URI is one of the app's *web* redirect URIs are other errors sent to it (302,
   * error in the fragment for token response types). It never redirects anywhere else. With
   * `prompt=none` and no session cookie (a probe) an accepted request ends in a 302 to the
   * redirect URI with `error=login_required` (AADSTS50058), never a sign-in page.
   */
  function authorize(req: SimRequest, segment: string, tenantOk: boolean): SimResponse {
    const page = (code: number, message: string) => {
      const requestId = newGuid();
      return html(400, entraErrorPage({ code, message, requestId, correlationId: correlationOf(req), timestamp: entraTimestamp(ctx.now()) }), { 'x-ms-request-id': requestId });
    };
    if (!tenantOk) return page(90002, AADSTS.tenantNotFound(segment).message);
    const q = req.query;
    const clientId = q.get('client_id') ?? '';
    const found = clientId ? findApp(ctx, clientId) : undefined;
    if (!found) return page(700016, AADSTS.appNotFound(clientId, ctx.scenario.tenant.id).message);
    const app = found.app;
    if (app.authorizeError) return page(app.authorizeError.code, app.authorizeError.message);
    const redirectUri = q.get('redirect_uri') ?? '';
    const registered = [...app.web.redirectUris, ...app.spaRedirectUris, ...app.publicClientRedirectUris];
    // G22 [V, Microsoft Q&A]: an app with no reply address at all answers 500113, not 50011.
    if (registered.length === 0) return page(500113, 'No reply address is registered for the application.');
    if (!app.web.redirectUris.includes(redirectUri)) {
      // G22 [O]: a URI that differs only in letter case gets the "case sensitivity" sentence.
      const caseOnly = app.web.redirectUris.some((u) => u.toLowerCase() === redirectUri.toLowerCase());
      return page(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.` +
          (caseOnly ? ' Reply address did not match because of case sensitivity.' : ''),
      );
    }
    const types = (q.get('response_type') ?? '').split(/\s+/).filter(Boolean);
    const fail = (code: number, error: string, message: string, fragment: boolean) => {
      const ts = entraTimestamp(ctx.now());
      const traceId = newGuid();
      const description = `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationOf(req)}\r\nTimestamp: ${ts}`;
      const params = new URLSearchParams({ error, error_description: description });
      const state = q.get('state');
      if (state) params.set('state', state);
      return {
        status: 302,
        headers: { location: `${redirectUri}${fragment ? '#' : redirectUri.includes('?') ? '&' : '?'}${params.toString()}`, 'content-length': '0', 'x-ms-request-id': traceId },
      } satisfies SimResponse;
    };
    const fragment = (q.get('response_mode') ?? (types.includes('token') || types.includes('id_token') ? 'fragment' : 'query')) === 'fragment';
    if (types.includes('token') && !app.web.enableAccessTokenIssuance) {
      // G22 [O]: users report 700051 for this; Microsoft's table lists 70005 with similar words.
      return fail(700051, 'unsupported_response_type', "response_type 'token' is not enabled for the application.", true);
    }
    if (types.includes('id_token') && !app.web.enableIdTokenIssuance) {
      return fail(700054, 'unsupported_response_type', "response_type 'id_token' is not enabled for the application.", fragment);
    }
    if (q.get('prompt') === 'none') {
      // G23 [I/O]: no session → login_required at the (accepted) redirect URI.
      return fail(50058, 'login_required', 'A silent sign-in request was sent but no user is signed in.', fragment);
    }
    return html(200, signInPage(app.displayName), { 'x-ms-request-id': newGuid() });
  }
}

/** Login's answer to an injected status fault: the AADSTS shape with a throttling/transient code. */
export function loginFaultResponse(ctx: SimContext) {
  return (status: number, req: SimRequest): SimResponse => {
    if (status === 429) return aadError(ctx, req, { status, error: 'temporarily_unavailable', code: 90055, message: 'TenantThrottlingError: There are too many incoming requests. This exception is thrown for blocked tenants.' });
    if (status >= 500) return aadError(ctx, req, { status, error: 'temporarily_unavailable', code: 90033, message: 'A transient error has occurred. Please try again.' });
    return aadError(ctx, req, { status, error: 'invalid_request', code: 90000, message: 'The request could not be processed.' });
  };
}

