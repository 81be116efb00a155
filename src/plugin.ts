/**
 * What a third-party check (`--plugin FILE`) builds on: the same definition the built-in checks
 * use. `import { defineCheck, finding, pass } from 'wxmail/plugin'`.
 */
export { defineCheck, finding, fromFindings, optional, pass } from './core/check.js';
export type { CheckDefinition, Outcome, Finding } from './core/check.js';
export { defineFact } from './core/fact.js';
export type { FactDefinition, CollectContext } from './core/fact.js';
export { FactError } from './core/fact-error.js';
export type { Explanation } from './core/explanation.js';
export type { RunConfig, Asset } from './config/types.js';
