// Migrates one template database with the real Prisma Migrate; every test file then works on
// its own copy (src/test/setup.ts), so files run in parallel without seeing each other's rows.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const testDir = path.join(root, '.tmp', 'test');
export const templateFile = path.join(testDir, 'template.db');

export default function setup(): () => void {
  fs.rmSync(testDir, { recursive: true, force: true });
  fs.mkdirSync(testDir, { recursive: true });
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${templateFile}` },
    stdio: 'pipe',
  });
  return () => fs.rmSync(testDir, { recursive: true, force: true });
}
