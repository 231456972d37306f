// Runs before each test file: its own database copied from the migrated template, test settings.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

const testDir = inject('testDir');
const name = randomUUID();
const dbFile = path.join(testDir, `db-${name}.db`);
fs.copyFileSync(path.join(testDir, 'template.db'), dbFile);

process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = `file:${dbFile}`;
process.env.UPLOAD_DIR = path.join(testDir, `uploads-${name}`);
process.env.SNAPSHOT_DIR = path.join(testDir, `snapshots-${name}`);
process.env.PAYMENT_SANDBOX_DB = path.join(testDir, `payments-${name}.db`);
process.env.DEMO_DATA = 'false';
process.env.SECRETS_FILE = path.join(testDir, `secrets-${name}.json`);
