import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, stopChild, waitForHttp } from '../src/test/child-process.js';
// @ts-expect-error plain JavaScript module without types
import { build, serverArgs, startArgs } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('the built server', () => {
  it('when npm start runs, then it runs the supervisor the benchmarks and browser tests start', () => {
    const start: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
    expect(start.endsWith(`node ${startArgs.join(' ')}`)).toBe(true);
  });

  it('when the built file starts, then it finds its views, locales and database and serves the sign-in page in Bahasa Indonesia', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-build-'));
    const outfile = path.join(dir, 'dist', 'server.js');
    await build(path.join(dir, 'dist'));
    // The bundle sits one folder below the project root, as dist/server.js does.
    const port = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: `file:${path.join(dir, 'app.db')}`,
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
});
