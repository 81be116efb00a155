import { FactError } from '../../../core/fact-error.js';
import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { toPasswordCredential } from './app-registration.js';
import { asArray, asString, odataKey } from './odata.js';
import { EXCHANGE_APP_ID, type ResourceServicePrincipal, type ServicePrincipal } from './types.js';

/**
 * The Webex app's service principal (enterprise application), or null when the tenant has none
 * (nobody ever consented). Reference C2 [V]; Application.Read.All, or the app's own SP.
 */
export const webexServicePrincipalFact = defineFact<ServicePrincipal | null>({
  id: 'entra.webex-service-principal',
  fixValues: (sp) => ({ 'webex-sp-id': sp?.id }),
  scope: 'tenant',
  async collect(ctx) {
    const clientId = ctx.config.clientId?.trim();
    if (!clientId) throw new FactError('INPUT_MISSING', 'No client ID configured (--client-id / WXMAIL_CLIENT_ID).');
    const raw = await graphGet<Record<string, unknown> | null>(ctx, `/servicePrincipals(appId='${odataKey(clientId)}')`, {
      // passwordCredentials: secrets can live on the service principal too (G9 [V] servicePrincipal: addPassword).
      select: ['id', 'appId', 'displayName', 'accountEnabled', 'appRoleAssignmentRequired', 'passwordCredentials', 'appOwnerOrganizationId', 'verifiedPublisher'],
      permission: 'Application.Read.All',
      notFound: 'null',
    });
    if (!raw) return null;
    return {
      id: asString(raw.id) ?? '',
      appId: asString(raw.appId) ?? clientId,
      displayName: asString(raw.displayName) ?? '',
      accountEnabled: raw.accountEnabled !== false,
      appRoleAssignmentRequired: raw.appRoleAssignmentRequired === true,
      passwordCredentials: asArray<Record<string, unknown>>(raw.passwordCredentials).map(toPasswordCredential),
      ...publisherOf(raw),
    };
  },
});

/**
 * Home tenant and verified publisher (servicePrincipal `appOwnerOrganizationId`, `verifiedPublisher`
 * [V]): what a permission grant policy's client conditions test (G4). `verifiedPublisher` comes
 * back with null fields when the publisher is not verified.
 */
function publisherOf(raw: Record<string, unknown>): Pick<ServicePrincipal, 'appOwnerOrganizationId' | 'verifiedPublisherId' | 'verifiedPublisherName'> {
  const vp = raw.verifiedPublisher && typeof raw.verifiedPublisher === 'object' ? (raw.verifiedPublisher as Record<string, unknown>) : null;
  return {
    appOwnerOrganizationId: asString(raw.appOwnerOrganizationId),
    ...('verifiedPublisher' in raw ? { verifiedPublisherId: asString(vp?.verifiedPublisherId) || null, verifiedPublisherName: asString(vp?.displayName) || null } : {}),
  };
}

async function resourceSp(ctx: Parameters<typeof webexServicePrincipalFact.collect>[0], appId: string): Promise<ResourceServicePrincipal | null> {
  const raw = await graphGet<Record<string, unknown> | null>(ctx, `/servicePrincipals(appId='${appId}')`, {
    select: ['id', 'appId', 'displayName', 'appRoles', 'oauth2PermissionScopes'],
    permission: 'Application.Read.All',
    notFound: 'null',
  });
  if (!raw) return null;
  return {
    id: asString(raw.id) ?? '',
    appId: asString(raw.appId) ?? appId,
    displayName: asString(raw.displayName) ?? '',
    appRoles: asArray<Record<string, unknown>>(raw.appRoles).map((r) => ({
      id: asString(r.id) ?? '',
      value: asString(r.value),
      allowedMemberTypes: asArray<string>(r.allowedMemberTypes),
      isEnabled: r.isEnabled !== false,
    })),
    oauth2PermissionScopes: asArray<Record<string, unknown>>(raw.oauth2PermissionScopes).map((s) => ({
      id: asString(s.id) ?? '',
      value: asString(s.value),
      type: asString(s.type),
    })),
  };
}

/**
 * Office 365 Exchange Online's service principal: permission ids are resolved by name from its
 * appRoles / oauth2PermissionScopes (C2, F2: the GUIDs come from third-party tables). Null when
 * the tenant has no Exchange Online.
 */
export const exchangeResourceFact = defineFact<ResourceServicePrincipal | null>({
  id: 'entra.exchange-resource',
  fixValues: (sp) => ({
    'exchange-sp-id': sp?.id,
    'mail-send-role-id': sp?.appRoles.find((r) => r.value === 'Mail.Send')?.id,
    'smtp-send-scope-id': sp?.oauth2PermissionScopes.find((s) => s.value === 'SMTP.Send')?.id,
  }),
  scope: 'tenant',
  collect: (ctx) => resourceSp(ctx, EXCHANGE_APP_ID),
});
