import type { InboxRulePredicates } from '../scenario/schema.js';

/** What an inbox rule's predicates see of a message. */
export interface RuleMessage {
  from: string;
  subject: string;
}

/** Whether one predicate set selects the message: every predicate given must hold, any value of one will do. */
function selects(p: InboxRulePredicates | undefined, m: RuleMessage): boolean | null {
  const checks: boolean[] = [];
  const from = m.from.toLowerCase();
  const subject = m.subject.toLowerCase();
  if (p?.fromAddresses?.length) checks.push(p.fromAddresses.some((a) => a.toLowerCase() === from));
  if (p?.senderContains?.length) checks.push(p.senderContains.some((w) => from.includes(w.toLowerCase())));
  if (p?.subjectContains?.length) checks.push(p.subjectContains.some((w) => subject.includes(w.toLowerCase())));
  return checks.length ? checks.every(Boolean) : null;
}

/**
 * An inbox rule acts on a message its conditions select (no conditions: every message) and its
 * exceptions do not (G15 [V]: "An inbox rule forwards only the messages its conditions/exceptions select").
 */
export function inboxRuleSelects(rule: { conditions?: InboxRulePredicates; exceptions?: InboxRulePredicates }, m: RuleMessage): boolean {
  return selects(rule.conditions, m) !== false && selects(rule.exceptions, m) !== true;
}
