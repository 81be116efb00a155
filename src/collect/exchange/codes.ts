/**
 * A code beyond the contract table ("More codes may be added", listed in src/core/codes.ts): the
 * configured mailbox is not a mailbox in Exchange Online (a typo in --mailbox, a user without an
 * Exchange licence, or a mailbox in another tenant). It is a misconfiguration, so `fail`.
 */
export const MAILBOX_NOT_FOUND = 'MAILBOX_NOT_FOUND';
