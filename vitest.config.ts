import { defineConfig } from 'vitest/config';

/**
 * Suites whose answers depend on the city day, month or a window of time (usage per day, KPIs, open-data months,
 * availability windows). Besides the ordinary run at the real time, `npm test` runs them again with their clocks
 * started at 23:59:30 and 00:00:30 WIB (test/helpers/clock.ts reads JANGKAU_TEST_NOW), so a test that only passes at
 * some hours fails every time instead. Tests that pin their own clock (DAY_EDGES, fixed dates) need not be listed.
 */
const CLOCK_SUITES = [
  'test/portal/accounting-and-data.test.ts',
  'test/portal/captive-api.test.ts',
  'test/server/kpis-api.test.ts',
  'test/server/satu-data-api.test.ts',
  'test/server/no-data.test.ts',
];

const WIB_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
// The latest midnight in Cilegon before this run, and the instants 30 s either side of it.
const midnight = Math.floor((Date.now() + WIB_OFFSET_MS) / DAY_MS) * DAY_MS - WIB_OFFSET_MS;
const pinned = (label: string, ms: number) => ({
  extends: true as const,
  test: { name: `clock ${label}`, include: CLOCK_SUITES, env: { JANGKAU_TEST_NOW: new Date(ms).toISOString() } },
});

export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'test/worker/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    allowOnly: false,
    projects: [
      { extends: true, test: { name: 'jangkau', include: ['test/**/*.test.ts'] } },
      pinned('23:59:30 WIB', midnight - 30_000),
      pinned('00:00:30 WIB', midnight + 30_000),
    ],
  },
});
