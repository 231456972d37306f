// The only file that listens: config → database ready → createApp → listen → graceful close.
// `npm start` runs it as a child of scripts/start.mjs, beside the payment sandbox's own process.
import type { Server } from 'node:http';
import { config } from './config.js';
import { prisma } from './db.js';
import { closeReadConnection } from './db-read.js';
import { logger } from './logger.js';
import { createApp } from './app.js';
import { lanAddresses } from './lib/network.js';
import { bootstrapData } from './bootstrap.js';
import { startJobs } from './jobs.js';
import { whileHoldingLock } from './lib/pg-lock.js';

async function main(): Promise<void> {
  if (config.isSqlite) {
    // WAL lets readers go on while a checkout writes; a busy writer waits instead of failing.
    // With WAL, synchronous=NORMAL stays safe from corruption and saves an fsync per commit.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  }
  // Instances started together on an empty PostgreSQL database: one loads the demo data, the others find it.
  const firstStart = config.isSqlite
    ? await bootstrapData()
    : await whileHoldingLock(config.databaseUrl, 'pasarlatih.bootstrap', bootstrapData);

  const servers: Server[] = [];
  const app = createApp();
  servers.push(await listen(app, config.port, config.host));
  const jobs = await startJobs();

  printBanner(firstStart);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const jobsStopped = jobs.stop();
    // A graceful stop has a deadline: requests in flight get 3 s, then open connections are cut,
    // and whatever still hangs at 5 s ends with the process. A second signal ends it at once.
    setTimeout(() => servers.forEach((s) => s.closeAllConnections()), 3_000).unref();
    setTimeout(() => process.exit(1), 5_000).unref();
    await Promise.all([...servers.map((s) => new Promise((resolve) => s.close(resolve))), jobsStopped]);
    closeReadConnection();
    await prisma.$disconnect();
    process.exit(0);
  };
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    void shutdown(reason);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
  // Started by scripts/start.mjs: when it is gone, so is this.
  process.on('disconnect', () => stop('supervisor gone'));
}

function listen(app: { listen: (port: number, host: string, cb: () => void) => Server }, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}

function printBanner(firstStart: Awaited<ReturnType<typeof bootstrapData>>): void {
  const lines = ['', '  PasarLatih is running', `  On this laptop:     http://localhost:${config.port}`];
  for (const address of lanAddresses()) lines.push(`  On the room's Wi-Fi: http://${address}:${config.port}`);
  if (config.paymentSandbox.enabled)
    lines.push(`  Payment sandbox:    port ${config.paymentSandbox.port}, its own process (test card 4242 4242 4242 4242)`);
  else lines.push('  Payment sandbox:    off (Stripe test mode with your own keys)');
  if (config.publicUrl) lines.push(`  Public URL:         ${config.publicUrl}`);
  if (firstStart.kind === 'demo') {
    lines.push('', `  Demo logins (password for all: ${firstStart.password}):`);
    for (const login of firstStart.logins) lines.push(`    ${login.username.padEnd(14)} ${login.role}`);
    lines.push(`  Demo workshop join code: ${firstStart.joinCode}`);
  } else if (firstStart.kind === 'admin') {
    lines.push('', '  First start: an admin account was created. Write this password down; it is shown only once.');
    lines.push(`    username: ${firstStart.username}`, `    password: ${firstStart.password}`);
  }
  lines.push('');
  console.log(lines.join('\n'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'could not start');
  console.error(error);
  process.exit(1);
});
