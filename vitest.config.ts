import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // e2e tests spawn the CLI against a simulator: a few at once keep 2 cores busy without starving timeouts
    maxConcurrency: 3,
  },
});
