// Servers started as child processes by tests: a free port, a wait with a deadline that fails
// as soon as the child dies, and a stop that always ends the child (SIGTERM, then SIGKILL).
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A port nobody listens on right now (the kernel picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers; throws when the child exits first or the deadline passes. */
export async function waitForHttp(url: string, child: ChildProcess, deadlineMs = 60_000): Promise<Response> {
  const until = Date.now() + deadlineMs;
  let exited: string | null = null;
  const onExit = (code: number | null, signal: string | null) => (exited = `exited with ${signal ?? code}`);
  child.once('exit', onExit);
  try {
    while (Date.now() < until) {
      if (exited) throw new Error(`the server ${exited} before answering ${url}`);
      const response = await fetch(url).catch(() => undefined);
      if (response) return response;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no answer from ${url} within ${deadlineMs} ms`);
  } finally {
    child.off('exit', onExit);
  }
}

/** Ends the child: SIGTERM, then SIGKILL when it has not exited after `graceMs`. Resolves once it is gone. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
