import { defineFact } from '../../core/fact.js';
import { isSelected } from '../../core/selection.js';
import { tokenAttempt } from './provider.js';

/** The Exchange checks read with the reader's Exchange token (unless evidence files stand in). */
const EXCHANGE_CHECKS = ['exchange.smtp-auth', 'exchange.forwarding', 'exchange.outbound-spam-policy', 'exchange.remote-domain', 'exchange.transport-rules'];

/**
 * The admin's device-code sign-in (`--sign-in`), collected before the run's clock starts: an admin
 * needs minutes to open the page, type the code and approve, which no check timeout or run
 * deadline should have to cover (`--sign-in-timeout`, default 5 minutes, bounds it instead). The
 * tokens stay in the identity provider; this fact holds only whether each sign-in succeeded.
 */
export const readerSignInFact = defineFact<{ graph: boolean; exchange: boolean | null }>({
  id: 'identity.reader-sign-in',
  scope: 'tenant',
  sensitive: true,
  async collect(ctx) {
    const graph = await tokenAttempt(ctx, 'reader', 'graph');
    const { only, skip, exchangeEvidenceDir } = ctx.config;
    const needsExchange = graph.ok && !exchangeEvidenceDir && EXCHANGE_CHECKS.some((id) => isSelected(id, only, skip));
    const exchange = needsExchange ? await tokenAttempt(ctx, 'reader', 'exchange') : null;
    return { graph: graph.ok, exchange: exchange ? exchange.ok : null };
  },
});
