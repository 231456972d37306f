import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { build, serverArgs } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('the built server', () => {
  it('when npm start runs, then it runs the built file with the options the benchmarks and browser tests use', () => {
    const start: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
    expect(start.endsWith(`node ${serverArgs.join(' ')}`)).toBe(true);
  });

  it('when the built file starts, then it finds its views, locales and database and serves the sign-in page in Bahasa Indonesia', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-build-'));
    const outfile = path.join(dir, 'dist', 'server.js');
    await build(outfile);
    // The bundle sits one folder below the project root, as dist/server.js does.
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: `file:${path.join(dir, 'app.db')}`,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      SNAPSHOT_DIR: path.join(dir, 'snapshots'),
      PAYMENT_SANDBOX: 'false',
      DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      PORT: '3391',
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
      let page: Response | undefined;
      for (let i = 0; i < 100 && !page; i++) {
        page = await fetch('http://127.0.0.1:3391/login').catch(() => undefined);
        if (!page) await new Promise((r) => setTimeout(r, 100));
      }
      expect(page?.status, stderr).toBe(200);
      expect(await page!.text()).toContain('<h1>Masuk</h1>');
    } finally {
      child.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
