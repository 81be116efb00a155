import { statSync } from 'node:fs';
import type { RunConfig } from '../config/types.js';
import { groupOf } from '../core/check.js';
import { UsageError } from '../core/usage-error.js';

/**
 * What can be known to be missing before the first request is said then, in one line (issue 13):
 * a run that would only print "skipped: no secret" for half its checks tells the user nothing the
 * configuration did not already. Only the checks the user selected count: a user who left the
 * checks needing an input out (`--only 'webex.*'`, `--skip 'exchange.*'`) is not asked for it.
 */
export function missingInput(config: RunConfig, selected: readonly string[], opts: { offline: boolean }): string | null {
  if (opts.offline) return null;
  const has = (id: string) => selected.includes(id);
  const sendProbe = (id: string) => config.sendTest && has(id);
  const viaWebexIdentity = (id: string) => !config.reader && (groupOf(id) === 'entra' || (groupOf(id) === 'exchange' && !config.exchangeEvidenceDir));
  const mailProbe = (id: string) => has(id) && !config.accessToken && (id === 'smtp.auth' || sendProbe(id));

  if (config.clientId && !config.clientSecret && !config.clientCertificate) {
    const needing = selected.filter((id) => id === 'entra.token' || id === 'entra.client-secret' || viaWebexIdentity(id) || mailProbe(id));
    if (needing.length) {
      return `clientSecret: ${list(needing)} sign in as the Webex app and need its client secret: set WXMAIL_CLIENT_SECRET or give --client-secret-file FILE (- for stdin), or --client-certificate; or leave them out with --skip`;
    }
  }
  if (!config.assets.some((a) => a.mailbox)) {
    const needing = selected.filter((id) => groupOf(id) === 'exchange' || id === 'smtp.auth' || sendProbe('smtp.send') && id === 'smtp.send' || sendProbe('mailflow.roundtrip') && id === 'mailflow.roundtrip');
    if (needing.length) {
      return `mailbox (--mailbox / WXMAIL_MAILBOX): ${list(needing)} need the mailbox user of the Webex Connect asset (its Email ID); give it, or leave them out with --skip`;
    }
  }
  if (config.exchangeEvidenceDir && selected.some((id) => groupOf(id) === 'exchange')) {
    const problem = folderProblem(config.exchangeEvidenceDir);
    if (problem) return `exchangeEvidence (--exchange-evidence): ${config.exchangeEvidenceDir}: ${problem} (\`wxmail evidence-script\` writes the folder)`;
  }
  return null;
}

export function assertInputs(config: RunConfig, selected: readonly string[], opts: { offline: boolean }): void {
  const problem = missingInput(config, selected, opts);
  if (problem) throw new UsageError(problem);
}

function list(ids: readonly string[]): string {
  return ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
}

function folderProblem(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : 'not a folder (ENOTDIR)';
  } catch (e) {
    return `cannot open it (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
