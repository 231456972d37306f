// Runs before each test file: its own database copied from the migrated template, test settings.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { databaseUrl, withServer } from './postgres.js';

const testDir = inject('testDir');
const postgresUrl = inject('postgresUrl');
const name = randomUUID();

if (postgresUrl) {
  const template = inject('postgresTemplate');
  const database = `${template.replace(/_template$/, '')}_${name.replaceAll('-', '')}`;
  await withServer(postgresUrl, async (client) => {
    await client.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
    // a test database is thrown away: a commit need not wait for the disk
    await client.query(`ALTER DATABASE "${database}" SET synchronous_commit = off`);
  });
  process.env.DATABASE_URL = databaseUrl(postgresUrl, database);
} else {
  const dbFile = path.join(testDir, `db-${name}.db`);
  fs.copyFileSync(path.join(testDir, 'template.db'), dbFile);
  process.env.DATABASE_URL = `file:${dbFile}`;
}

process.env.NODE_ENV = 'test';
process.env.UPLOAD_DIR = path.join(testDir, `uploads-${name}`);
process.env.SNAPSHOT_DIR = path.join(testDir, `snapshots-${name}`);
process.env.PAYMENT_SANDBOX_DB = path.join(testDir, `payments-${name}.db`);
process.env.DEMO_DATA = 'false';
process.env.SECRETS_FILE = path.join(testDir, `secrets-${name}.json`);
