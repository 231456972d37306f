// Two projects: sqlite always; postgres, the same suite on PostgreSQL, when TEST_POSTGRES_URL
// names a server that answers (a role allowed to create databases; see README "Running on
// PostgreSQL"). CI sets TEST_POSTGRES_REQUIRED=1, so there a PostgreSQL that does not answer fails
// the run instead of skipping the pass. One project alone: `npx vitest run --project postgres`.
import os from 'node:os';
import { configDefaults, defineConfig, type ViteUserConfig } from 'vitest/config';
import { postgresUnavailable } from './src/test/postgres.js';

/** Files the postgres project leaves out, with the reason; everything else runs on both databases. */
const sqliteOnly = [
  // tests SQLite itself: the wrapper that serializes statements on Prisma's one better-sqlite3 connection
  'src/db-sqlite.test.ts',
  // the Prisma CLI on databases of its own, SQLite and (when TEST_POSTGRES_URL is set) PostgreSQL, in either pass
  'prisma/schema-engine.test.ts',
  // the supervisor of two processes: it never opens the test database, so a second pass would test nothing new
  'scripts/start.test.ts',
  // its PostgreSQL tests make databases of their own on TEST_POSTGRES_URL in either pass
  'src/lib/job-queue.test.ts',
  // the same: two payment sandboxes on one SQLite file, then on one PostgreSQL database of its own
  'src/payment-sandbox/shared-store.test.ts',
  // the 40-trainee room: three instances on a PostgreSQL database of its own, in either pass
  'scripts/room.test.ts',
  // the room's phones against a local HTTP server: no database
  'scripts/room-driver.test.ts',
  // never open the app's database (pure functions, templates, locales, the payment sandbox's card
  // and form rules): a second pass would run the same code on the same data. The sandbox's tests
  // that store run in both passes: on the postgres pass each sandbox gets a PostgreSQL database of
  // its own (src/test/payment-sandbox.ts, tempDatabase)
  'src/config.test.ts',
  'src/http/public-url.test.ts',
  'src/http/refusals.test.ts',
  'src/http/render.test.ts',
  'src/i18n/i18n.test.ts',
  'src/lib/csv.test.ts',
  'src/lib/dates.test.ts',
  'src/lib/images.test.ts',
  'src/lib/money.test.ts',
  'src/payment-sandbox/cards.test.ts',
  'src/payment-sandbox/form-params.test.ts',
];

export default defineConfig(async (): Promise<ViteUserConfig> => {
  // TEST_POSTGRES_PASS=0 keeps the tests that need PostgreSQL (migrations, job queue) but not the
  // second pass of the whole suite: a quicker local run. CI runs both passes (.ci/run).
  const unavailable =
    process.env.TEST_POSTGRES_PASS === '0' ? 'TEST_POSTGRES_PASS=0' : await postgresUnavailable(process.env.TEST_POSTGRES_URL);
  if (unavailable && process.env.TEST_POSTGRES_PASS !== '0' && process.env.TEST_POSTGRES_REQUIRED === '1') {
    throw new Error(`PostgreSQL pass required (TEST_POSTGRES_REQUIRED=1) but ${unavailable}`);
  }
  // vitest loads this file more than once per run: say it once
  if (!process.env.PASARLATIH_PG_NOTICE) {
    process.env.PASARLATIH_PG_NOTICE = '1';
    console.log(
      unavailable
        ? `\n  PostgreSQL pass: NOT RUN (${unavailable}); SQLite only.\n`
        : `\n  PostgreSQL pass: runs (TEST_POSTGRES_URL answers); the suite runs on SQLite and on PostgreSQL.\n`,
    );
  }
  return {
    test: {
      include: ['src/**/*.test.ts', 'prisma/**/*.test.ts', 'scripts/**/*.test.ts'],
      globalSetup: ['src/test/global-setup.ts'],
      setupFiles: ['src/test/setup.ts'],
      pool: 'forks',
      // One more worker than cores: the files spend about half their time waiting (child processes,
      // PostgreSQL, timers); with one worker per core the CI run used 54% of its two cores.
      maxWorkers: os.availableParallelism() + 1,
      testTimeout: 20_000,
      hookTimeout: 60_000,
      projects: [
        { extends: true, test: { name: 'sqlite' } },
        ...(unavailable
          ? []
          : [{ extends: true as const, test: { name: 'postgres', exclude: [...configDefaults.exclude, ...sqliteOnly] } }]),
      ],
    },
  };
});
