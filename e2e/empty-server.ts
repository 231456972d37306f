// A second app for the first-start journey (e2e/first-workshop.spec.ts): started as the suite's own
// server is (scripts/e2e-server.mjs: `npm start`'s build, migrations and supervisor), but on an
// empty database without demo data (DEMO_DATA=false), in its own folder and on its own ports
// (E2E_PORT + 2, its payment sandbox E2E_PORT + 3). What it prints on its first start is kept:
// the one admin account and its password, shown once, are how a real install begins.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3100) + 2;

export type EmptyServer = {
  baseURL: string;
  runDir: string;
  /** The first start's admin and the password it printed once. */
  admin: { username: string; password: string };
  stop: () => Promise<void>;
};

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

export async function startEmptyServer(): Promise<EmptyServer> {
  const runDir = path.resolve('.tmp', `e2e-${port}-empty`);
  const baseURL = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['scripts/e2e-server.mjs'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PAYMENT_SANDBOX_PORT: String(port + 1),
      E2E_RUN_DIR: runDir,
      E2E_BUILD: 'false',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '1000',
      JOIN_RATE_LIMIT: '1000',
      ROOM_DEVICE_LIMIT: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 120_000;
  while (!/password: (\S+)/.test(printed) || !(await healthy(`${baseURL}/healthz`))) {
    if (child.exitCode !== null) throw new Error(`The empty-database server stopped:\n${printed}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The empty-database server did not start within 2 minutes:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const username = /username: (\S+)/.exec(printed)![1]!;
  const password = /password: (\S+)/.exec(printed)![1]!;
  return { baseURL, runDir, admin: { username, password }, stop };
}
