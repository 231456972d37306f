#!/usr/bin/env node
// `npm start` (and `npm run dev` with --dev): the app and the payment sandbox as two processes,
// supervised. A crash of one is logged and it is started again (after 0.5 s, doubling up to 10 s
// while it keeps crashing) while the other goes on serving; each line they print carries its name,
// [app] or [payments], and this script's own lines [start]. A child that exits with an error within
// its first seconds at the first start (a bad setting, a port in use) stops everything with its exit
// code, as a single process would; one killed by a signal is restarted. A child that exits with code 0 stopped on purpose (the sandbox when
// PAYMENT_SANDBOX=off) and stays stopped.
//
// Children run in their own process group, so Ctrl-C reaches only this script, which asks each to
// stop once (SIGTERM: their graceful shutdown); a second Ctrl-C kills them. If this script dies
// without that, each child sees its IPC channel close and shuts down (src/server.ts,
// src/payment-sandbox/main.ts).
//   node scripts/start.mjs          the built files (dist/, node scripts/build.mjs first)
//   node scripts/start.mjs --dev    the TypeScript sources through tsx, each restarting on change
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sandboxArgs, serverArgs, serverEnv } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');

const children = [
  { name: 'app', args: dev ? [tsx, 'watch', '--clear-screen=false', 'src/server.ts'] : serverArgs, env: serverEnv },
  { name: 'payments', args: dev ? [tsx, 'watch', '--clear-screen=false', 'src/payment-sandbox/main.ts'] : sandboxArgs },
];

/** A child that dies this soon after its first start is not going to get better by restarting. */
const FIRST_START_GRACE_MS = 5_000;
/** Running this long resets the restart delay. */
const STABLE_AFTER_MS = 30_000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

let stopping = false;

function say(line) {
  process.stdout.write(`[start] ${line}\n`);
}

/** Copies a child's output line by line, each line prefixed with the child's name. */
function prefixLines(stream, name, out) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`[${name}] ${line}\n`));
}

function run(child) {
  const startedAt = Date.now();
  const proc = spawn(process.execPath, child.args, {
    cwd: process.cwd(),
    env: { ...child.env, ...process.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.proc = proc;
  child.starts = (child.starts ?? 0) + 1;
  say(`${child.name} started (pid ${proc.pid})`);
  prefixLines(proc.stdout, child.name, process.stdout);
  prefixLines(proc.stderr, child.name, process.stderr);
  proc.on('error', (error) => say(`${child.name} could not start: ${error.message}`));
  proc.on('exit', (code, signal) => {
    child.proc = null;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      say(`${child.name} stopped (${how})`);
      if (children.every((c) => !c.proc)) process.exit();
      return;
    }
    if (code === 0) {
      say(`${child.name} exited (${how}); not restarted`);
      return;
    }
    const ranMs = Date.now() - startedAt;
    if (!signal && child.starts === 1 && ranMs < FIRST_START_GRACE_MS) {
      say(`${child.name} failed at start (${how}); stopping`);
      stopAll();
      process.exitCode = code ?? 1;
      return;
    }
    child.delayMs = ranMs > STABLE_AFTER_MS ? FIRST_DELAY_MS : Math.min((child.delayMs ?? FIRST_DELAY_MS / 2) * 2, MAX_DELAY_MS);
    say(`${child.name} exited (${how}); restarting in ${child.delayMs} ms`);
    setTimeout(() => {
      if (!stopping) run(child);
    }, child.delayMs);
  });
}

function stopAll() {
  stopping = true;
  for (const child of children) child.proc?.kill('SIGTERM');
  if (children.every((c) => !c.proc)) process.exit();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) {
      for (const child of children) child.proc?.kill('SIGKILL');
      process.exit(1);
    }
    say(`${signal}: stopping`);
    stopAll();
  });
}

for (const child of children) run(child);
