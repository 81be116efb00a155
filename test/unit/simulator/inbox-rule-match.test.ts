import { describe, expect, it } from 'vitest';
import { inboxRuleSelects } from '../../../src/simulator/mail/inbox-rule-match.js';

// G15: the simulated mailbox forwards through an inbox rule only what its conditions select and its exceptions do not.
describe('inboxRuleSelects', () => {
  const msg = { from: 'customer@fabrikam.example', subject: 'Order 42 is late' };
  it('no conditions: every message', () => expect(inboxRuleSelects({}, msg)).toBe(true));
  it('conditions AND across predicates, OR within one; case-insensitive', () => {
    expect(inboxRuleSelects({ conditions: { subjectContains: ['ORDER'] } }, msg)).toBe(true);
    expect(inboxRuleSelects({ conditions: { subjectContains: ['invoice', 'order'], senderContains: ['fabrikam'] } }, msg)).toBe(true);
    expect(inboxRuleSelects({ conditions: { subjectContains: ['order'], fromAddresses: ['boss@contoso.com'] } }, msg)).toBe(false);
    expect(inboxRuleSelects({ conditions: { subjectContains: ['invoice'] } }, msg)).toBe(false);
  });
  it('an exception that matches takes the message out', () => {
    expect(inboxRuleSelects({ exceptions: { fromAddresses: ['Customer@Fabrikam.example'] } }, msg)).toBe(false);
    expect(inboxRuleSelects({ conditions: { senderContains: ['fabrikam'] }, exceptions: { subjectContains: ['refund'] } }, msg)).toBe(true);
  });
});
