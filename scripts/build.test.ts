import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freePort, stopChild, waitForHttp } from '../src/test/child-process.js';
// @ts-expect-error plain JavaScript module without types
import { build, sandboxArgs, serverArgs, startArgs } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('the built server', () => {
  it('when npm start runs, then it runs the supervisor the benchmarks and browser tests start', () => {
    const start: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
    expect(start.endsWith(`node ${startArgs.join(' ')}`)).toBe(true);
  });

  it('when a server runs the app and the sandbox under systemd (deploy/), then it starts them with the same V8 flags as npm start', () => {
    const execStart = (unit: string) => /^ExecStart=\S+ (.*)$/m.exec(fs.readFileSync(path.join(root, 'deploy/systemd', unit), 'utf8'))?.[1];
    expect(execStart('pasarlatih@.service')).toBe(serverArgs.join(' '));
    expect(execStart('pasarlatih-payments.service')).toBe(sandboxArgs.join(' '));
  });

  // On the postgres pass the bundle runs on that pass's database: one bundle, either database.
  it('when the built file starts, then it finds its views, locales and database and serves the sign-in page in Bahasa Indonesia', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-build-'));
    const testDatabase = process.env.DATABASE_URL ?? '';
    const outfile = path.join(dir, 'dist', 'server.js');
    await build(path.join(dir, 'dist'));
    // The bundle sits one folder below the project root, as dist/server.js does.
    const port = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: testDatabase.startsWith('file:') ? `file:${path.join(dir, 'app.db')}` : testDatabase,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      SNAPSHOT_DIR: path.join(dir, 'snapshots'),
      PAYMENT_SANDBOX: 'false',
      DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    };
    execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { cwd: root, env, stdio: 'ignore' });
    fs.symlinkSync(path.join(root, 'src'), path.join(dir, 'src'));
    fs.symlinkSync(path.join(root, 'views'), path.join(dir, 'views'));
    fs.symlinkSync(path.join(root, 'public'), path.join(dir, 'public'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const child = spawn(process.execPath, [...serverArgs.slice(0, -1), outfile], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    try {
      const page = await waitForHttp(`http://127.0.0.1:${port}/login`, child).catch((error: Error) => {
        throw new Error(`${error.message}\n${stderr}`);
      });
      expect(page.status, stderr).toBe(200);
      expect(await page.text()).toContain('<h1>Masuk</h1>');
    } finally {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("when npm start's built server runs with no settings, then it is the tutor's safe mode: demo data, private secrets, cached and compressed files, no stack or path on a 500", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-start-'));
    const outfile = path.join(dir, 'dist', 'server.js');
    await build(path.dirname(outfile));
    for (const folder of ['src', 'views', 'public', 'node_modules']) fs.symlinkSync(path.join(root, folder), path.join(dir, folder));
    const port = await freePort();
    const dbFile = path.join(dir, 'app.db');
    // What a tutor's shell has: none of the test run's settings (NODE_ENV=test, DEMO_DATA=false).
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    Object.assign(env, {
      DATABASE_URL: `file:${dbFile}`,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      SNAPSHOT_DIR: path.join(dir, 'snapshots'),
      SECRETS_FILE: path.join(dir, 'data', 'secrets.json'),
      PAYMENT_SANDBOX: 'false',
      STRIPE_SECRET_KEY: 'sk_test_start_test',
      STRIPE_WEBHOOK_SECRET: 'whsec_start_test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
    });
    execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { cwd: root, env, stdio: 'ignore' });
    const child = spawn(process.execPath, [...serverArgs.slice(0, -1), outfile], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    try {
      const base = `http://127.0.0.1:${port}`;
      const page = await waitForHttp(`${base}/login`, child).catch((error: Error) => {
        throw new Error(`${error.message}\n${stderr}`);
      });
      const html = await page.text();
      expect(page.headers.get('content-encoding')).toBe('gzip');
      const css = await fetch(`${base}/static/css/app.css`);
      expect(css.headers.get('cache-control')).toBe('public, max-age=3600');
      expect((fs.statSync(env.SECRETS_FILE!).mode & 0o777).toString(8)).toBe('600');
      const db = new Database(dbFile);
      expect((db.prepare('SELECT count(*) AS n FROM "User" WHERE "username" = ?').get('komang') as { n: number }).n).toBe(1);

      // A failure the app does not expect: its table is gone under it.
      db.pragma('foreign_keys = OFF');
      db.exec('DROP TABLE "User"');
      db.close();
      const cookie = (page.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
      const failed = await fetch(`${base}/login`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, username: 'komang', password: 'latihan123' }),
        redirect: 'manual',
      });
      const body = await failed.text();
      expect(failed.status).toBe(500);
      expect(body).toContain('Maaf, terjadi kesalahan');
      expect(body).not.toMatch(/\sat\s|\.js:\d|\.ts:\d/);
      expect(body).not.toContain(root);
      expect(body).not.toContain(dir);
    } finally {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
