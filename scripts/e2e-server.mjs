#!/usr/bin/env node
// Starts the app and the payment sandbox for the browser tests exactly as `npm start` does, on a fresh database in the
// run's own folder (.tmp/e2e-<port>), so runs on different ports do not share anything.
// DEMO_DATA=false starts it on an empty database instead (e2e/empty-server.ts: the first-start
// journey); E2E_BUILD=false reuses the dist/ the suite's own server has just built.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build, startArgs } from './build.mjs';

const runDir = path.resolve(process.env.E2E_RUN_DIR ?? '.tmp/e2e');
fs.rmSync(runDir, { recursive: true, force: true });
fs.mkdirSync(runDir, { recursive: true });
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: `file:${path.join(runDir, 'app.db')}`,
  UPLOAD_DIR: path.join(runDir, 'uploads'),
  SNAPSHOT_DIR: path.join(runDir, 'snapshots'),
  PAYMENT_SANDBOX_DB: path.join(runDir, 'payments.db'),
  SECRETS_FILE: path.join(runDir, 'secrets.json'),
  DEMO_DATA: process.env.DEMO_DATA ?? 'true',
};
execFileSync('node_modules/.bin/prisma', ['migrate', 'deploy'], { env, stdio: 'ignore' });
if (process.env.E2E_BUILD !== 'false') await build();
const child = spawn(process.execPath, startArgs, { env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
