import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Generous limits: a test waits on child processes and simulators, and must not fail because the
    // machine is busy (CI shares two cores); a hang still ends, just later.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // e2e tests spawn the CLI against a simulator: a few at once keep 2 cores busy without starving timeouts
    maxConcurrency: 3,
    // Most of an end-to-end test's time is waiting (a child CLI, a simulated tenant's timers, a
    // round trip): three test files at once keep two cores busy without starving the time limits.
    maxWorkers: 3,
    projects: [
      // Unit tests run behind nock's net-connect guard: no unit test can reach a real network.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: ['test/unit/setup-no-network.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'] } },
    ],
  },
});
