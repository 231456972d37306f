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
import { build, sandboxArgs, serverArgs } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.tmp/cluster');
const stateFile = path.join(dir, 'state.json');
const logs = path.join(dir, 'logs');

const basePort = Number(process.env.CLUSTER_PORT ?? 3700);
const ports = {
  app: basePort,
  cards: basePort + 1,
  sandbox: basePort + 2,
  instances: Array.from({ length: Number(process.env.CLUSTER_INSTANCES ?? 3) }, (_, i) => basePort + 10 + i),
};
const databaseUrl = process.env.CLUSTER_DATABASE_URL ?? 'postgresql://pasarlatih:pasarlatih@localhost:5432/pasarlatih_cluster';
const paymentsUrl =
  process.env.CLUSTER_PAYMENTS_DATABASE_URL ?? withDatabase(databaseUrl, `${new URL(databaseUrl).pathname.slice(1)}_payments`);
const lan = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
const host = process.env.CLUSTER_HOST ?? lan ?? 'localhost';

const say = (line) => process.stdout.write(`[cluster] ${line}\n`);
const hidePassword = (url) => url.replace(/:[^:@/]*@/, ':***@');

function withDatabase(url, database) {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.href;
}

/** Creates the database a URL names when it is missing (the sandbox creates its tables, not its database). */
async function ensureDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      say(`creating ${hidePassword(url)}`);
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

const readState = () => (fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : null);

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
function nginxConfig() {
  const prefix = path.join(dir, 'nginx');
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
    // Which instance answered, for trying it by hand (curl -I): not in the deployed config.
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
function background(name, command, args, env) {
  const out = fs.openSync(path.join(logs, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  say(`${name} started (pid ${child.pid}), log .tmp/cluster/logs/${name}.log`);
  return child.pid;
}

async function waitFor(url, pid, name, deadlineMs = 180_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (!alive(pid)) throw new Error(`${name} exited: see .tmp/cluster/logs/${name}.log`);
    if (await fetch(url).catch(() => null)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${url} within ${deadlineMs / 1000} s`);
}

async function start() {
  const running = readState();
  if (running?.pids.some((p) => alive(p.pid))) throw new Error('The cluster is already running: npm run cluster:stop');
  fs.mkdirSync(logs, { recursive: true });
  for (const name of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'nginx', name), { recursive: true });
  const state = { postgres: ensurePostgres(), pids: [] };
  const save = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
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
    PAYMENT_SANDBOX_DATABASE_URL: paymentsUrl,
    SECRETS_FILE: path.join(dir, 'secrets.json'),
    UPLOAD_DIR: path.join(dir, 'uploads'),
    SNAPSHOT_DIR: path.join(dir, 'snapshots'),
    DEMO_DATA: process.env.DEMO_DATA ?? 'true',
  };
  say(`migrating ${hidePassword(databaseUrl)}`);
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await ensureDatabase(paymentsUrl);
  say('building dist/');
  await build();

  const sandbox = background('payments', process.execPath, sandboxArgs, env);
  state.pids.push({ name: 'payments', pid: sandbox });
  // All at once: the first start's demo data is loaded by one of them (an advisory lock).
  const instances = ports.instances.map((port, i) => {
    const pid = background(`app-${i + 1}`, process.execPath, serverArgs, { ...env, PORT: String(port) });
    state.pids.push({ name: `app-${i + 1}`, pid, port });
    return { pid, port, name: `app-${i + 1}` };
  });
  save();
  const conf = path.join(dir, 'nginx', 'nginx.conf');
  fs.writeFileSync(conf, nginxConfig());
  execFileSync('nginx', ['-t', '-q', '-p', path.join(dir, 'nginx'), '-c', conf], { stdio: 'inherit' });
  const nginx = background('nginx', 'nginx', ['-p', path.join(dir, 'nginx'), '-c', conf], env);
  state.pids.push({ name: 'nginx', pid: nginx });
  save();

  await waitFor(`http://127.0.0.1:${ports.sandbox}/`, sandbox, 'payments');
  await Promise.all(instances.map((i) => waitFor(`http://127.0.0.1:${i.port}/login`, i.pid, i.name)));
  await waitFor(`http://127.0.0.1:${ports.app}/login`, nginx, 'nginx');

  console.log(`
  PasarLatih cluster is running: nginx in front of ${instances.length} app instances on PostgreSQL
  Open:               http://${host}:${ports.app}   (on this machine: http://localhost:${ports.app})
  Card pages:         http://${host}:${ports.cards}  (payment sandbox behind nginx; its API stays on loopback)
  Instances:          ${instances.map((i) => `127.0.0.1:${i.port}`).join(', ')} (X-PasarLatih-Upstream says which one answered)
  Logs:               .tmp/cluster/logs/
  Stop:               npm run cluster:stop
`);
}

async function stop() {
  const state = readState();
  if (!state) return say('nothing to stop (no .tmp/cluster/state.json)');
  const live = state.pids.filter((p) => alive(p.pid));
  for (const p of live) process.kill(p.pid, p.name === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
  const until = Date.now() + 10_000;
  while (live.some((p) => alive(p.pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const p of live.filter((q) => alive(q.pid))) process.kill(p.pid, 'SIGKILL');
  for (const p of live) say(`${p.name} stopped (pid ${p.pid})`);
  if (state.postgres) {
    say(`stopping PostgreSQL ${state.postgres.version}/${state.postgres.name} (this script started it)`);
    execFileSync('pg_ctlcluster', [state.postgres.version, state.postgres.name, 'stop'], { stdio: 'inherit' });
  }
  fs.rmSync(stateFile);
}

const command = process.argv[2];
try {
  if (command === 'start') await start();
  else if (command === 'stop') await stop();
  else throw new Error('usage: node scripts/cluster.mjs start|stop (npm run cluster, npm run cluster:stop)');
} catch (error) {
  console.error(`[cluster] ${error.message}`);
  if (command === 'start') console.error('[cluster] what did start is still running: npm run cluster:stop');
  process.exit(1);
}
