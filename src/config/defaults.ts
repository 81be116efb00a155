import { CLOUD_DEFINITIONS } from './clouds.js';
import type { RunConfig } from './types.js';

/** A run with nothing configured: the defaults of DESIGN.md's table (load.ts applies them too). */
export function defaultRunConfig(over: Partial<RunConfig> = {}): RunConfig {
  return {
    assets: [],
    cloud: 'global',
    endpoints: { ...CLOUD_DEFINITIONS.global.endpoints },
    endpointOverrides: {},
    extraCaPems: [],
    timeoutMs: 60_000,
    checkTimeoutMs: 20_000,
    failOn: 'fail',
    sendTest: false,
    secretWarnDays: 30,
    // A check waiting for the network holds its slot: with 16, a one-mailbox run's checks all
    // start together, so their Exchange reads leave in one tick and travel in one $batch.
    concurrency: 16,
    plugins: [],
    roundtripTimeoutMs: 120_000,
    signInTimeoutMs: 300_000,
    only: [],
    skip: [],
    redactPii: false,
    ...over,
  };
}
