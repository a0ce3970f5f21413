import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Integration and e2e tests start real servers, real SQLite files and Chromium: give them room,
    // but never a sleep — they wait on what the app shows.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2-core machines: e2e tests each start Chromium; running files two at a time is the sweet spot.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
