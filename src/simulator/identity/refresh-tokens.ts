import type { ScenarioApp } from '../scenario/schema.js';
import type { DelegatedUser } from './issue.js';

/** What a refresh token stands for: one user's sign-in to one client (not one resource). */
export interface RefreshGrant {
  clientId: string;
  app?: ScenarioApp;
  user: DelegatedUser;
}

/**
 * Refresh tokens this listener issued (device-code sign-ins and their redemptions), in memory for
 * the simulator's life. As in Entra, a refresh token is not bound to the resource it came with:
 * the client redeems it for another resource's token (msal's acquireTokenSilent for Exchange after
 * the Graph sign-in). Redeeming returns a new refresh token; the old one stays valid (Entra does
 * not revoke on rotation). Lifetime/inactivity expiry (AADSTS700082) is not modelled [I].
 */
export class RefreshTokenStore {
  private readonly grants = new Map<string, RefreshGrant>();

  remember(refreshToken: unknown, grant: RefreshGrant): void {
    if (typeof refreshToken === 'string' && refreshToken) this.grants.set(refreshToken, grant);
  }

  find(refreshToken: string): RefreshGrant | undefined {
    return this.grants.get(refreshToken);
  }
}
