import { evidenceScript, MailboxNotAddress } from '../../collect/exchange/evidence-script.js';
import { UsageError } from '../../core/usage-error.js';

/** `wxmail evidence-script`: the PowerShell export that `--exchange-evidence DIR` evaluates offline. */
export function printEvidenceScript(mailboxes: string[]): number {
  let script: string;
  try {
    script = evidenceScript({ mailboxes });
  } catch (err) {
    // A --mailbox that is not an address is bad input: one line, exit 2 (DESIGN.md).
    if (err instanceof MailboxNotAddress) throw new UsageError(err.message);
    throw err;
  }
  process.stdout.write(script);
  return 0;
}
