/**
 * A mistake of the caller (bad flag, bad config, unreadable input file), not of the tenant.
 * The CLI prints its message as one line and exits 2, without a stack trace; so the message
 * must name the problem on its own.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
