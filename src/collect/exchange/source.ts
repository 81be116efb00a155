import type { CollectContext } from '../../core/fact.js';
import { invokeCommand } from './admin-api.js';
import { evidenceFileName, readEvidence, type EvidenceCmdlet } from './evidence-files.js';
import { ADMIN_API_SOURCE, evidenceSource, type ExchangeSourceLabel } from './types.js';
import type { Row } from './values.js';

/**
 * One Get-* cmdlet's output, from the customer's evidence folder when `--exchange-evidence` is
 * given, else live from the admin API. Per-mailbox cmdlets take `Identity` live; from evidence
 * the caller filters the file's rows.
 */
export async function readCmdlet(
  ctx: CollectContext,
  cmdlet: EvidenceCmdlet,
  parameters?: Record<string, unknown>,
): Promise<{ rows: Row[]; source: ExchangeSourceLabel; fromEvidence: boolean }> {
  const dir = ctx.config.exchangeEvidenceDir;
  if (dir) return { rows: await readEvidence(ctx, dir, cmdlet), source: evidenceSource(evidenceFileName(cmdlet)), fromEvidence: true };
  return { rows: await invokeCommand(ctx, cmdlet, parameters ? { parameters } : {}), source: ADMIN_API_SOURCE, fromEvidence: false };
}
