// Migrates one template database with the real Prisma Migrate; every test file then works on
// its own copy (src/test/setup.ts), so files run in parallel without seeing each other's rows.
// The sqlite project copies a SQLite file; the postgres project (vitest.config.ts) clones a
// PostgreSQL template database (src/test/postgres.ts).
// Each run has its own folder and database names, so two runs at once (two developers, say) do not collide.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { DATABASE_PREFIX, databaseUrl, dropTestDatabases } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testDir: string;
    /** postgres project: the server (TEST_POSTGRES_URL) and the template to clone; empty on SQLite. */
    postgresUrl: string;
    postgresTemplate: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function migrate(url: string): void {
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'pipe',
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const onPostgres = project.name === 'postgres';
  const testDir = path.join(root, '.tmp', `test-${process.pid}${onPostgres ? '-pg' : ''}`);
  fs.rmSync(testDir, { recursive: true, force: true });
  fs.mkdirSync(testDir, { recursive: true });
  project.provide('testDir', testDir);
  project.provide('postgresUrl', '');
  project.provide('postgresTemplate', '');

  const serverUrl = process.env.TEST_POSTGRES_URL ?? '';
  if (onPostgres) {
    await dropTestDatabases(serverUrl, process.pid);
    const template = `${DATABASE_PREFIX}${process.pid}_template`;
    migrate(databaseUrl(serverUrl, template)); // creates the database too
    project.provide('postgresUrl', serverUrl);
    project.provide('postgresTemplate', template);
  } else {
    migrate(`file:${path.join(testDir, 'template.db')}`);
  }
  return async () => {
    fs.rmSync(testDir, { recursive: true, force: true });
    if (onPostgres) await dropTestDatabases(serverUrl, process.pid);
  };
}
