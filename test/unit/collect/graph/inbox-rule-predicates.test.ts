import { describe, expect, it } from 'vitest';
import { predicates, toInboxRule } from '../../../../src/collect/graph/mailbox/inbox-rules.js';

// G15: a rule acts only on what its conditions select; the collector keeps every predicate that is set.
describe('inbox rule predicates (Graph messageRulePredicates)', () => {
  it('keeps lists (recipients as addresses), true flags and scalar values; drops empty, false and null', () => {
    expect(
      predicates({
        senderContains: ['vip'],
        fromAddresses: [{ emailAddress: { name: 'Boss', address: 'boss@contoso.com' } }],
        hasAttachments: true,
        importance: 'high',
        isAutomaticForward: false,
        subjectContains: [],
        bodyContains: null,
      }),
    ).toEqual([
      { name: 'senderContains', values: ['vip'] },
      { name: 'fromAddresses', values: ['boss@contoso.com'] },
      { name: 'hasAttachments', values: [] },
      { name: 'importance', values: ['high'] },
    ]);
    expect(predicates({})).toEqual([]);
    expect(predicates(null)).toEqual([]);
  });

  it('toInboxRule carries conditions and exceptions', () => {
    const r = toInboxRule({ displayName: 'x', conditions: { subjectContains: ['order'] }, exceptions: { sentOnlyToMe: true }, actions: { forwardTo: [{ emailAddress: { address: 'A@B.example' } }] } });
    expect(r.conditions).toEqual([{ name: 'subjectContains', values: ['order'] }]);
    expect(r.exceptions).toEqual([{ name: 'sentOnlyToMe', values: [] }]);
    expect(r.forwardTo).toEqual(['a@b.example']);
  });
});
