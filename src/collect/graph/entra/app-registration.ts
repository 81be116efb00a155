import { FactError } from '../../../core/fact-error.js';
import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';
import { derThumbprints } from '../../identity/certificate.js';
import { asArray, asString, odataKey } from './odata.js';
import type { AppRegistration, KeyCredential, PasswordCredential, RequiredResourceAccess } from './types.js';

/** Fields of GET /applications(appId='…') the checks read (reference C1 [V]). */
export const APP_SELECT = [
  'id',
  'appId',
  'displayName',
  'signInAudience',
  'isFallbackPublicClient',
  'web',
  'spa',
  'publicClient',
  'passwordCredentials',
  'keyCredentials',
  'requiredResourceAccess',
];

/**
 * The Webex app registration. Least privilege: Application.Read.All — but "a service principal
 * can retrieve its own application … without being granted any application permissions" (C1 [V]),
 * so the Webex identity can read it without a reader.
 */
export const appRegistrationFact = defineFact<AppRegistration>({
  id: 'entra.app-registration',
  scope: 'tenant',
  fixValues: (app) => ({ 'object-id': app.id }),
  async collect(ctx) {
    const clientId = ctx.config.clientId?.trim();
    if (!clientId) throw new FactError('INPUT_MISSING', 'No client ID configured (--client-id / WXMAIL_CLIENT_ID).');
    const raw = await graphGet<Record<string, unknown> | null>(ctx, `/applications(appId='${odataKey(clientId)}')`, {
      select: APP_SELECT,
      permission: 'Application.Read.All',
      notFound: 'null',
    });
    if (!raw) {
      throw new FactError('APP_NOT_FOUND', `No app registration with client ID ${clientId} exists in tenant ${ctx.config.tenantId ?? ''}.`, {
        details: 'The client ID is wrong, or the app is registered in another tenant. Copy *Application (client) ID* from the app\'s Overview page.',
        evidence: { clientId },
      });
    }
    return normaliseApp(raw);
  },
});

export function normaliseApp(raw: Record<string, unknown>): AppRegistration {
  const web = (raw.web ?? {}) as Record<string, unknown>;
  const implicit = (web.implicitGrantSettings ?? {}) as Record<string, unknown>;
  const spa = (raw.spa ?? {}) as Record<string, unknown>;
  const publicClient = (raw.publicClient ?? {}) as Record<string, unknown>;
  return {
    id: asString(raw.id) ?? '',
    appId: asString(raw.appId) ?? '',
    displayName: asString(raw.displayName) ?? '',
    signInAudience: asString(raw.signInAudience),
    isFallbackPublicClient: typeof raw.isFallbackPublicClient === 'boolean' ? raw.isFallbackPublicClient : null,
    web: {
      redirectUris: asArray<string>(web.redirectUris).filter((u) => typeof u === 'string'),
      implicitGrantSettings: {
        enableAccessTokenIssuance: implicit.enableAccessTokenIssuance === true,
        enableIdTokenIssuance: implicit.enableIdTokenIssuance === true,
      },
    },
    spa: { redirectUris: asArray<string>(spa.redirectUris).filter((u) => typeof u === 'string') },
    publicClient: { redirectUris: asArray<string>(publicClient.redirectUris).filter((u) => typeof u === 'string') },
    passwordCredentials: asArray<Record<string, unknown>>(raw.passwordCredentials).map(toPasswordCredential),
    keyCredentials: asArray<Record<string, unknown>>(raw.keyCredentials).map((k): KeyCredential => {
      // `key` (base64 DER) comes back when keyCredentials is $select-ed on one application (G5);
      // only its thumbprints are kept, not the certificate.
      const prints = derThumbprints(asString(k.key));
      return {
        keyId: asString(k.keyId) ?? '',
        displayName: asString(k.displayName),
        customKeyIdentifier: asString(k.customKeyIdentifier),
        keyThumbprintSha1: prints?.sha1 ?? null,
        keyThumbprintSha256: prints?.sha256 ?? null,
        type: asString(k.type),
        usage: asString(k.usage),
        startDateTime: asString(k.startDateTime),
        endDateTime: asString(k.endDateTime),
      };
    }),
    requiredResourceAccess: asArray<Record<string, unknown>>(raw.requiredResourceAccess).map(
      (r): RequiredResourceAccess => ({
        resourceAppId: asString(r.resourceAppId) ?? '',
        resourceAccess: asArray<Record<string, unknown>>(r.resourceAccess).map((a) => ({ id: asString(a.id) ?? '', type: asString(a.type) ?? '' })),
      }),
    ),
  };
}

export function toPasswordCredential(p: Record<string, unknown>): PasswordCredential {
  return {
    keyId: asString(p.keyId) ?? '',
    displayName: asString(p.displayName),
    hint: asString(p.hint),
    startDateTime: asString(p.startDateTime),
    endDateTime: asString(p.endDateTime),
  };
}
