import type { CheckDefinition } from '../../src/core/check.js';
import callbackUrl from './callback-url.js';
import forwardingAddress from './forwarding-address.js';

/** The step-1 checks, in dependency order (neither needs a tenant or the other). */
export const webexChecks: CheckDefinition[] = [callbackUrl, forwardingAddress];
