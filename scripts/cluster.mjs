#!/usr/bin/env node
// `npm run cluster`: the setup of a program with many workshops, on this machine. PostgreSQL
// (started with pg_ctlcluster when it is not running), the payment sandbox, three app instances
// built as `npm start` builds them, and nginx in front with the settings of deploy/nginx/pasarlatih.conf
// (only the ports and paths changed). Everything runs in the background with its log and state in
// .tmp/cluster/; the script prints the address and returns. `npm run cluster:stop` stops what it
// started (PostgreSQL only if this script started it).
//
//   CLUSTER_PORT=3700          nginx: the app on 3700, the card pages on 3701; the sandbox on 3702,
//                              the instances on 3710, 3711, 3712
//   CLUSTER_INSTANCES=3
//   CLUSTER_DATABASE_URL=postgresql://pasarlatih:pasarlatih@localhost:5432/pasarlatih_cluster
//   CLUSTER_PAYMENTS_DATABASE_URL=…/pasarlatih_cluster_payments   the sandbox's own database (created if missing)
//   CLUSTER_HOST=<address>     the address phones use (default: this machine's first LAN address)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { build, sandboxArgs, serverArgs, serverEnv } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The ports of a cluster whose nginx listens on `basePort`. */
export function clusterPorts(basePort = 3700, instances = 3) {
  return {
    app: basePort,
    cards: basePort + 1,
    sandbox: basePort + 2,
    instances: Array.from({ length: instances }, (_, i) => basePort + 10 + i),
  };
}

/** Debian puts nginx in /usr/sbin, which is not on a normal user's PATH. */
export const nginxBinary = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

const say = (line) => process.stdout.write(`[cluster] ${line}\n`);
const hidePassword = (url) => url.replace(/:[^:@/]*@/, ':***@');

function withDatabase(url, database) {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.href;
}

/** Creates the database a URL names when it is missing (the sandbox creates its tables, not its database). */
async function ensureDatabase(url, quiet) {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      if (!quiet) say(`creating ${hidePassword(url)}`);
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await client.end();
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const readState = (dir) => {
  const file = path.join(dir, 'state.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};

/** The first PostgreSQL cluster (pg_lsclusters): started when down; true when this script started it. */
function ensurePostgres() {
  const listed = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (listed.error || !listed.stdout.trim()) throw new Error('No PostgreSQL cluster found: apt-get install -y postgresql (README)');
  const [version, name, , status] = listed.stdout.trim().split('\n')[0].split(/\s+/);
  if (status === 'online') return null;
  say(`starting PostgreSQL ${version}/${name}`);
  execFileSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'inherit' });
  return { version, name };
}

/** deploy/nginx/pasarlatih.conf with this machine's ports, logs and temp paths, as a whole nginx.conf. */
function nginxConfig(dir, ports) {
  const prefix = path.join(dir, 'nginx');
  const logs = path.join(dir, 'logs');
  let site = fs.readFileSync(path.join(root, 'deploy/nginx/pasarlatih.conf'), 'utf8');
  site = site
    .replace(/upstream pasarlatih_app \{[^}]*?keepalive/s, () => {
      const servers = ports.instances.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
      return `upstream pasarlatih_app {\n${servers}\n    keepalive`;
    })
    .replace('server 127.0.0.1:3001;', `server 127.0.0.1:${ports.sandbox};`)
    .replace(/^\s*listen \[::\]:\d+;\n/gm, '')
    .replace('listen 80;', `listen ${ports.app};`)
    .replace('listen 8081;', `listen ${ports.cards};`)
    .replace(/\/var\/log\/nginx\//g, `${logs}/`)
    // Which instance answered, for trying it by hand (curl -I) and for the room test: not in the deployed config.
    .replace(
      'proxy_pass http://pasarlatih_app;',
      'proxy_pass http://pasarlatih_app;\n        add_header X-PasarLatih-Upstream $upstream_addr always;',
    );
  const temp = (name) => path.join(prefix, name);
  return `# Written by scripts/cluster.mjs from deploy/nginx/pasarlatih.conf.
worker_processes 1;
daemon off;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(logs, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
    client_body_temp_path ${temp('body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
    server_tokens off;
${site}
}
`;
}

/** A process in the background with its output in logs/<name>.log; its pid. */
function background(dir, name, command, args, env, quiet) {
  const out = fs.openSync(path.join(dir, 'logs', `${name}.log`), 'a');
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (!quiet) say(`${name} started (pid ${child.pid}), log ${path.relative(root, path.join(dir, 'logs', `${name}.log`))}`);
  return child.pid;
}

async function waitFor(dir, url, pid, name, deadlineMs = 180_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (!alive(pid)) throw new Error(`${name} exited: see ${path.join(dir, 'logs', `${name}.log`)}`);
    if (await fetch(url).catch(() => null)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${url} within ${deadlineMs / 1000} s`);
}

/**
 * Starts the sandbox, `instances` app instances and nginx (and PostgreSQL when it is down), each in
 * the background with its log in `dir`/logs; returns when all answer. The room test and bench use it
 * with a directory, ports and database of their own. Options:
 *   dir, basePort, instances, databaseUrl, paymentsDatabaseUrl (the sandbox on PostgreSQL, its
 *   database created if missing; without it the sandbox keeps a SQLite file in `dir`), host (the
 *   address phones use), env (added to the processes' environment), quiet. The build goes to dist/, as `npm start`'s (the bundles find
 * views/ and src/i18n relative to it).
 * Returns { dir, ports, env, pids: [{ name, pid, port? }] }.
 */
export async function startCluster(options) {
  const { dir, databaseUrl, paymentsDatabaseUrl, host = 'localhost', quiet = false } = options;
  const ports = clusterPorts(options.basePort, options.instances);
  const logs = path.join(dir, 'logs');
  const running = readState(dir);
  if (running?.pids.some((p) => alive(p.pid))) throw new Error('The cluster is already running: npm run cluster:stop');
  fs.mkdirSync(logs, { recursive: true });
  for (const name of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'nginx', name), { recursive: true });
  const state = { postgres: ensurePostgres(), pids: [] };
  const save = () => fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state, null, 2));
  save();

  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    TRUST_PROXY: '1',
    PUBLIC_URL: `http://${host}:${ports.app}`,
    PAYMENT_SANDBOX: 'on',
    PAYMENT_SANDBOX_PORT: String(ports.sandbox),
    PAYMENT_SANDBOX_PUBLIC_URL: `http://${host}:${ports.cards}`,
    PAYMENT_WEBHOOK_URL: `http://127.0.0.1:${ports.app}/payments/webhook`,
    // The sandbox on PostgreSQL, as deploy/ runs it: any number of sandbox processes could share it.
    ...(paymentsDatabaseUrl
      ? { PAYMENT_SANDBOX_DATABASE_URL: paymentsDatabaseUrl }
      : { PAYMENT_SANDBOX_DB: path.join(dir, 'payment-sandbox.db') }),
    SECRETS_FILE: path.join(dir, 'secrets.json'),
    UPLOAD_DIR: path.join(dir, 'uploads'),
    SNAPSHOT_DIR: path.join(dir, 'snapshots'),
    DEMO_DATA: process.env.DEMO_DATA ?? 'true',
    ...options.env,
  };
  if (!quiet) say(`migrating ${hidePassword(databaseUrl)}`);
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (paymentsDatabaseUrl) await ensureDatabase(paymentsDatabaseUrl, quiet);
  if (!quiet) say('building dist/');
  await build();

  const sandbox = background(dir, 'payments', process.execPath, sandboxArgs, env, quiet);
  state.pids.push({ name: 'payments', pid: sandbox });
  // All at once: the first start's demo data is loaded by one of them (an advisory lock).
  const instances = ports.instances.map((port, i) => {
    const pid = background(dir, `app-${i + 1}`, process.execPath, serverArgs, { ...env, ...serverEnv, PORT: String(port) }, quiet);
    state.pids.push({ name: `app-${i + 1}`, pid, port });
    return { pid, port, name: `app-${i + 1}` };
  });
  save();
  const conf = path.join(dir, 'nginx', 'nginx.conf');
  fs.writeFileSync(conf, nginxConfig(dir, ports));
  execFileSync(nginxBinary, ['-t', '-q', '-p', path.join(dir, 'nginx'), '-c', conf], { stdio: 'inherit' });
  const nginx = background(dir, 'nginx', nginxBinary, ['-p', path.join(dir, 'nginx'), '-c', conf], env, quiet);
  state.pids.push({ name: 'nginx', pid: nginx });
  save();

  await waitFor(dir, `http://127.0.0.1:${ports.sandbox}/`, sandbox, 'payments');
  await Promise.all(instances.map((i) => waitFor(dir, `http://127.0.0.1:${i.port}/login`, i.pid, i.name)));
  await waitFor(dir, `http://127.0.0.1:${ports.app}/login`, nginx, 'nginx');
  return { dir, ports, env, pids: state.pids };
}

/** Stops what startCluster started in `dir` (PostgreSQL only if it started it). */
export async function stopCluster(dir, { quiet = false } = {}) {
  const state = readState(dir);
  if (!state) return quiet || say(`nothing to stop (no ${path.join(dir, 'state.json')})`);
  const live = state.pids.filter((p) => alive(p.pid));
  for (const p of live) process.kill(p.pid, p.name === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
  const until = Date.now() + 10_000;
  while (live.some((p) => alive(p.pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const p of live.filter((q) => alive(q.pid))) process.kill(p.pid, 'SIGKILL');
  if (!quiet) for (const p of live) say(`${p.name} stopped (pid ${p.pid})`);
  if (state.postgres) {
    say(`stopping PostgreSQL ${state.postgres.version}/${state.postgres.name} (this script started it)`);
    execFileSync('pg_ctlcluster', [state.postgres.version, state.postgres.name, 'stop'], { stdio: 'inherit' });
  }
  fs.rmSync(path.join(dir, 'state.json'));
}

async function start() {
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  const host = process.env.CLUSTER_HOST ?? lan ?? 'localhost';
  const databaseUrl = process.env.CLUSTER_DATABASE_URL ?? 'postgresql://pasarlatih:pasarlatih@localhost:5432/pasarlatih_cluster';
  const { ports } = await startCluster({
    dir,
    basePort: Number(process.env.CLUSTER_PORT ?? 3700),
    instances: Number(process.env.CLUSTER_INSTANCES ?? 3),
    databaseUrl,
    paymentsDatabaseUrl:
      process.env.CLUSTER_PAYMENTS_DATABASE_URL ?? withDatabase(databaseUrl, `${new URL(databaseUrl).pathname.slice(1)}_payments`),
    host,
  });
  console.log(`
  PasarLatih cluster is running: nginx in front of ${ports.instances.length} app instances on PostgreSQL
  Open:               http://${host}:${ports.app}   (on this machine: http://localhost:${ports.app})
  Card pages:         http://${host}:${ports.cards}  (payment sandbox behind nginx; its API stays on loopback)
  Instances:          ${ports.instances.map((p) => `127.0.0.1:${p}`).join(', ')} (X-PasarLatih-Upstream says which one answered)
  Logs:               .tmp/cluster/logs/
  Stop:               npm run cluster:stop
`);
}

const dir = path.join(root, '.tmp/cluster');
const isMain = process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
const command = process.argv[2];
if (isMain) {
  try {
    if (command === 'start') await start();
    else if (command === 'stop') await stopCluster(dir);
    else throw new Error('usage: node scripts/cluster.mjs start|stop (npm run cluster, npm run cluster:stop)');
  } catch (error) {
    console.error(`[cluster] ${error.message}`);
    if (command === 'start') console.error('[cluster] what did start is still running: npm run cluster:stop');
    process.exit(1);
  }
}
