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
    // Most of a test's time is a child CLI process; two test files at once keep both cores busy.
    maxWorkers: 2,
    projects: [
      // Unit tests run behind nock's net-connect guard: no unit test can reach a real network.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: ['test/unit/setup-no-network.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'] } },
    ],
  },
});
