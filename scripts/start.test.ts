// `npm start` as the room runs it: the supervisor with the built app and payment sandbox, each in
// its own process. Killing one (kill -9) must leave the other serving and bring the killed one back.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stopChild, waitForHttp } from '../src/test/child-process.js';
// @ts-expect-error plain JavaScript module without types
import { build, startArgs } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');

let dir: string;
let supervisor: ChildProcess;
let output = '';
let appUrl: string;
let sandboxUrl: string;

/** The pid the supervisor last reported for a child ("[start] payments started (pid 123)"). */
function lastPid(name: string): number | null {
  const pids = [...output.matchAll(new RegExp(`\\[start\\] ${name} started \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
  return pids.at(-1) ?? null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const answers = async (url: string) => (await fetch(url).catch(() => null))?.status ?? null;

/** Polls the one URL until it answers again while polling the other, which must answer 200 all along. */
async function untilBackWhileServing(back: string, serving: string, deadlineMs = 60_000) {
  const until = Date.now() + deadlineMs;
  const servingStatuses = new Set<number | null>();
  let sawDown = false;
  for (;;) {
    servingStatuses.add(await answers(serving));
    const status = await answers(back);
    if (status === null) sawDown = true;
    else if (sawDown) return { servingStatuses: [...servingStatuses] };
    if (Date.now() > until) throw new Error(`${back} did not come back\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-start-'));
  await build(path.join(dir, 'dist'));
  for (const name of ['src', 'views', 'public', 'node_modules', 'scripts']) fs.symlinkSync(path.join(root, name), path.join(dir, name));
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: `file:${path.join(dir, 'app.db')}`,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    SNAPSHOT_DIR: path.join(dir, 'snapshots'),
    PAYMENT_SANDBOX_DB: path.join(dir, 'payments.db'),
    PAYMENT_SANDBOX_PORT: String(sandboxPort),
    DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    PORT: String(appPort),
    LOG_LEVEL: 'info',
  };
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { cwd: root, env, stdio: 'ignore' });
  supervisor = spawn(process.execPath, startArgs, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout!.on('data', (chunk) => (output += chunk));
  supervisor.stderr!.on('data', (chunk) => (output += chunk));
  appUrl = `http://127.0.0.1:${appPort}/healthz`;
  sandboxUrl = `http://127.0.0.1:${sandboxPort}/`;
  await waitForHttp(appUrl, supervisor).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  await waitForHttp(sandboxUrl, supervisor);
}, 120_000);

afterAll(async () => {
  if (supervisor) await stopChild(supervisor, 8_000);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start: the app and the payment sandbox, supervised', () => {
  it('when both run, then each is its own process and every line they print says which one', () => {
    const [app, payments] = [lastPid('app'), lastPid('payments')];
    expect(app).not.toBeNull();
    expect(payments).not.toBeNull();
    expect(app).not.toBe(payments);
    expect(app).not.toBe(supervisor.pid);
    expect(output).toMatch(/^\[app\] +PasarLatih is running$/m);
    expect(output).toMatch(/^\[payments\] Payment sandbox on http:\/\/127\.0\.0\.1:\d+/m);
    const unprefixed = output.split('\n').filter((line) => line && !/^\[(start|app|payments)\] /.test(line));
    expect(unprefixed).toEqual([]);
  });

  it('when the sandbox process is killed (kill -9), then it is started again while the app keeps serving', async () => {
    const before = lastPid('payments')!;

    process.kill(before, 'SIGKILL');
    const { servingStatuses } = await untilBackWhileServing(sandboxUrl, appUrl);

    expect(servingStatuses).toEqual([200]);
    expect(lastPid('payments')).not.toBe(before);
    expect(output).toContain('[start] payments exited (signal SIGKILL); restarting in');
    expect(await answers(sandboxUrl)).toBe(200);
  }, 90_000);

  it('when the app process is killed (kill -9), then it is started again while the sandbox keeps serving', async () => {
    const before = lastPid('app')!;

    process.kill(before, 'SIGKILL');
    const { servingStatuses } = await untilBackWhileServing(appUrl, sandboxUrl);

    expect(servingStatuses).toEqual([200]);
    expect(lastPid('app')).not.toBe(before);
    expect(await answers(appUrl)).toBe(200);
  }, 90_000);

  it('when npm start is stopped (SIGTERM), then both processes stop and it exits cleanly', async () => {
    const pids = [lastPid('app')!, lastPid('payments')!];
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));

    supervisor.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(pids.map(alive)).toEqual([false, false]);
  }, 30_000);
});

describe('npm start with a bad setting', () => {
  it('when a setting is invalid, then it stops at once with the message naming it and a failure code, restarting nothing', async () => {
    const child = spawn(process.execPath, startArgs, {
      cwd: dir,
      env: { ...process.env, PORT: 'not-a-port', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    child.stdout!.on('data', (chunk) => (said += chunk));
    child.stderr!.on('data', (chunk) => (said += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(said).toMatch(/^\[(app|payments)\] +PORT: /m);
    expect(said).toMatch(/failed at start \(code 1\); stopping/);
    expect(said).not.toContain('restarting');
  }, 60_000);
});
