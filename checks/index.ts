import type { CheckDefinition } from '../src/core/check.js';
import { entraChecks } from './entra/index.js';
import { exchangeChecks } from './exchange/index.js';
import { mailflowChecks } from './mailflow/index.js';
import { smtpChecks } from './smtp/index.js';
import { webexChecks } from './webex/index.js';

/** The one registration list: report order follows it (setup steps 1 → 4). */
export const builtinChecks: CheckDefinition<any>[] = [...webexChecks, ...entraChecks, ...exchangeChecks, ...smtpChecks, ...mailflowChecks];
