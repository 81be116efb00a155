import type { CheckDefinition } from '../../src/core/check.js';
import roundtrip from './roundtrip.js';

export const mailflowChecks: CheckDefinition<any>[] = [roundtrip];
