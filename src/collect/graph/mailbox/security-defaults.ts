/**
 * Whether security defaults are on: `GET /policies/identitySecurityDefaultsEnforcementPolicy`
 * (`isEnabled`), permission Policy.Read.All. They block *basic* authentication for SMTP AUTH, not
 * OAuth (reference B3), so exchange.smtp-auth reports them as a note only.
 */
import { defineFact } from '../../../core/fact.js';
import { graphGet } from '../client.js';

export interface SecurityDefaults {
  isEnabled: boolean;
}

export const securityDefaultsFact = defineFact<SecurityDefaults>({
  id: 'graph.security-defaults',
  scope: 'tenant',
  async collect(ctx) {
    const body = await graphGet<{ isEnabled?: boolean }>(ctx, '/policies/identitySecurityDefaultsEnforcementPolicy', {
      select: ['isEnabled'],
      permission: 'Policy.Read.All',
    });
    return { isEnabled: body?.isEnabled === true };
  },
});
