// Migrates one template database with the real Prisma Migrate; every test file then works on
// its own copy (src/test/setup.ts), so files run in parallel without seeing each other's rows.
// Each run has its own folder, so two runs at once (two developers, say) do not collide.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    testDir: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup(project: TestProject): () => void {
  const testDir = path.join(root, '.tmp', `test-${process.pid}`);
  fs.rmSync(testDir, { recursive: true, force: true });
  fs.mkdirSync(testDir, { recursive: true });
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${path.join(testDir, 'template.db')}` },
    stdio: 'pipe',
  });
  project.provide('testDir', testDir);
  return () => fs.rmSync(testDir, { recursive: true, force: true });
}
