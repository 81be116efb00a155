import type { SerializedFactError } from '../../core/fact-error.js';
import { defineFact } from '../../core/fact.js';
import { tokenAttempt } from './provider.js';
import type { Resource } from './resources.js';
import type { TokenClaims } from './tokens.js';

/** One client-credentials sign-in of the Webex identity, without the token itself. */
export interface WebexTokenResult {
  resource: Resource;
  ok: boolean;
  /** Decoded claims (diagnostic only, reference A2); null when it failed. */
  claims: TokenClaims | null;
  error: SerializedFactError | null;
  /** Server Date minus local clock, seconds; null when no answer arrived. */
  clockSkewSeconds: number | null;
  serverDate: string | null;
  requestIds: string[];
}

export interface WebexTokens {
  credential: 'secret' | 'certificate';
  graph: WebexTokenResult;
  exchange: WebexTokenResult;
}

/**
 * Tokens for Graph and Exchange as the Webex app, requested concurrently. Failures are kept as
 * data (not thrown) so `entra.token` can report both resources. JSON only: safe for snapshots.
 */
export const webexTokensFact = defineFact<WebexTokens>({
  id: 'identity.webex-tokens',
  scope: 'tenant',
  async collect(ctx) {
    const [graph, exchange] = await Promise.all(
      (['graph', 'exchange'] as const).map(async (resource): Promise<WebexTokenResult> => {
        const a = await tokenAttempt(ctx, 'webex', resource);
        return {
          resource,
          ok: a.ok,
          claims: a.ok ? a.token.claims : null,
          error: a.ok ? null : a.error.toJSON(),
          clockSkewSeconds: a.clockSkewSeconds,
          serverDate: a.serverDate,
          requestIds: a.requestIds,
        };
      }),
    );
    return { credential: ctx.config.clientCertificate ? 'certificate' : 'secret', graph: graph!, exchange: exchange! };
  },
});
