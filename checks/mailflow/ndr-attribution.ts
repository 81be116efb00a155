/**
 * Who bounced the probe (G14): the NDR's status code and text, read through the one SMTP reply
 * table, and — for a mail flow rule's bounce — the rule, named from the rules the run read.
 * - `5.7.520` → the outbound spam policy (FORWARDING_NDR, the policy fix);
 * - `5.7.1`, or a rule's own RejectMessageEnhancedStatusCode / RejectMessageReasonText → the mail
 *   flow rule (FORWARDING_NDR_TRANSPORT_RULE, the rule's exception as the fix — never a policy);
 * - anything else → quoted, FORWARDING_NDR_OTHER.
 */
import { diagnoseSmtpReply } from '../../src/collect/errors/smtp.js';
import type { TransportRule } from '../../src/collect/exchange/types.js';

export type NdrCode = 'FORWARDING_NDR' | 'FORWARDING_NDR_TRANSPORT_RULE' | 'FORWARDING_NDR_OTHER';

export interface NdrAttribution {
  code: NdrCode;
  /** The table row that matched (`external-forwarding-blocked`, `transport-rule-rejected`, `fallback-ndr`, …). */
  tableRow: string;
  meaning: string;
  /** The rule that rejected it, when exactly one fits. */
  rule: string | null;
  /** Rules that could have rejected it with this status (when more than one fits, or to show why one was chosen). */
  candidates: string[];
}

/** Enabled, enforced rules with a reject action: the only ones that bounce (G14; DeleteMessage drops silently). */
function rejecting(rules: TransportRule[]): TransportRule[] {
  return rules
    .filter((r) => r.state === 'Enabled' && r.mode === 'Enforce' && (r.rejectMessageReasonText || r.rejectMessageEnhancedStatusCode))
    .sort((a, b) => a.priority - b.priority);
}

export function attributeNdr(line: string, rules: TransportRule[] | null): NdrAttribution {
  const d = diagnoseSmtpReply(line, 'ndr');
  const enhanced = d.reply.enhanced;
  if (d.rule === 'external-forwarding-blocked') return { code: 'FORWARDING_NDR', tableRow: d.rule, meaning: d.meaning, rule: null, candidates: [] };

  const text = line;
  const all = rejecting(rules ?? []);
  // A rule's own reason text quoted in the NDR names it best; then its own status code; then the default 5.7.1.
  const byText = all.filter((r) => r.rejectMessageReasonText && quotes(text, r.rejectMessageReasonText));
  const byCode = enhanced ? all.filter((r) => (r.rejectMessageEnhancedStatusCode ?? '5.7.1') === enhanced) : [];
  const fits = byText.length ? byText : byCode;
  const ruleBounce = d.reason === 'FORWARDING_NDR_TRANSPORT_RULE' || fits.length > 0;
  if (!ruleBounce) return { code: 'FORWARDING_NDR_OTHER', tableRow: d.rule, meaning: d.meaning, rule: null, candidates: [] };
  return {
    code: 'FORWARDING_NDR_TRANSPORT_RULE',
    tableRow: d.reason === 'FORWARDING_NDR_TRANSPORT_RULE' ? d.rule : 'transport-rule-own-status',
    meaning: d.reason === 'FORWARDING_NDR_TRANSPORT_RULE' ? d.meaning : `A mail flow (transport) rule rejected the message with its own status code ${enhanced ?? ''}.`.replace(' .', '.'),
    rule: fits.length === 1 ? fits[0]!.name : null,
    candidates: fits.map((r) => r.name),
  };
}

/** The rule's reason text as whole words of the NDR line (a short text such as "No" must not match inside "not"). */
function quotes(line: string, reason: string): boolean {
  const words = reason.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return words.length > 0 && new RegExp(`(^|\\W)${words}(\\W|$)`, 'i').test(line);
}
