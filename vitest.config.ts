import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The store's suites, run a second time with the store on PostgreSQL (tests/helpers/on-postgres.ts):
 * one suite for both engines. A test that is about SQLite's file itself says so with `onSqlite`.
 */
const onBothEngines = [
  'tests/integration/store.test.ts',
  'tests/integration/retrospective.test.ts',
  'tests/integration/imports-settled.test.ts',
  'tests/integration/decisions-store.test.ts',
  'tests/integration/retro-targets.test.ts',
  'tests/integration/markers.test.ts',
  'tests/integration/team-invites.test.ts',
  'tests/integration/team-mode.test.ts',
  'tests/integration/core.test.ts',
  'tests/integration/interrupted-shows.test.ts',
  'tests/integration/crash.test.ts',
  'tests/integration/run-of-show.test.ts',
  'tests/integration/cli.test.ts',
  'tests/integration/imports-cli.test.ts',
  'tests/integration/plan-file.test.ts',
  'tests/integration/lcr-serve.test.ts',
  'tests/integration/alerts.test.ts',
  'tests/integration/ads-console.test.ts',
  'tests/integration/lcr-ad.test.ts',
  'tests/integration/export-safety.test.ts',
  'tests/integration/suggest-live.test.ts',
];
/** Only where PostgreSQL and Redis run (processes sharing rooms share one PostgreSQL store and one Redis). */
const postgresOnly = ['tests/integration/store-pg.test.ts', 'tests/integration/serve-cluster.test.ts', 'tests/integration/room-leases.test.ts'];

const postgres = process.env.LCR_TEST_DATABASE_URL;
// CI must run both engines; a checkout without PostgreSQL runs SQLite only (docs/testing.md).
if (!postgres && process.env.CI) throw new Error('CI runs the store suites on PostgreSQL too: LCR_TEST_DATABASE_URL is not set (.ci/run sets it)');

const shared = {
  // Integration and e2e tests start real servers, real SQLite files and Chromium: give them room,
  // but never a sleep — they wait on what the app shows.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    pool: 'forks',
    // 2-core machines: e2e tests each start Chromium; running files two at a time is the sweet spot.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      { extends: true, test: { ...shared, name: 'sqlite', include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'], exclude: [...configDefaults.exclude, ...postgresOnly] } },
      ...(postgres ? [{ extends: true as const, test: { ...shared, name: 'postgres', include: [...onBothEngines, ...postgresOnly], setupFiles: ['tests/helpers/on-postgres.ts'] } }] : []),
    ],
  },
});
