import type { CheckDefinition } from '../../src/core/check.js';
import auth from './auth.js';
import connect from './connect.js';
import send from './send.js';

/** In dependency order: connect → auth → send (mailflow.roundtrip follows send). */
export const smtpChecks: CheckDefinition<any>[] = [connect, auth, send];
