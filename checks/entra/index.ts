import type { CheckDefinition } from '../../src/core/check.js';
import adminConsent from './admin-consent.js';
import apiPermissions from './api-permissions.js';
import clientSecret from './client-secret.js';
import implicitGrant from './implicit-grant.js';
import redirectUri from './redirect-uri.js';
import token from './token.js';
import userConsent from './user-consent.js';

/** Step 2 checks, in dependency order: the token first (the others may require it). */
export const entraChecks: CheckDefinition<any>[] = [token, redirectUri, implicitGrant, clientSecret, apiPermissions, adminConsent, userConsent];
