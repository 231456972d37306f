// Runs before each test file: its own database copied from the migrated template, test settings.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testDir = path.join(root, '.tmp', 'test');
const dbFile = path.join(testDir, `db-${randomUUID()}.db`);
fs.copyFileSync(path.join(testDir, 'template.db'), dbFile);

process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = `file:${dbFile}`;
process.env.UPLOAD_DIR = path.join(testDir, `uploads-${path.basename(dbFile, '.db')}`);
process.env.SNAPSHOT_DIR = path.join(testDir, `snapshots-${path.basename(dbFile, '.db')}`);
process.env.PAYMENT_SANDBOX_DB = path.join(testDir, `payments-${path.basename(dbFile, '.db')}.db`);
process.env.DEMO_DATA = 'false';
