import { evidenceScript } from '../../collect/exchange/evidence-script.js';

/** `wxmail evidence-script`: the PowerShell export that `--exchange-evidence DIR` evaluates offline. */
export function printEvidenceScript(mailboxes: string[]): number {
  process.stdout.write(evidenceScript({ mailboxes }));
  return 0;
}
