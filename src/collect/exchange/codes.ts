import { registerCode } from '../../core/codes.js';

/**
 * A code beyond the contract table ("More codes may be added"): the configured mailbox is not a
 * mailbox in Exchange Online (a typo in --mailbox, a user without an Exchange licence, or a
 * mailbox in another tenant). It is a misconfiguration, so `fail`.
 * Registered here until src/core/codes.ts lists it (asked of the lead).
 */
export const MAILBOX_NOT_FOUND = 'MAILBOX_NOT_FOUND';
registerCode(MAILBOX_NOT_FOUND, 'fail');
