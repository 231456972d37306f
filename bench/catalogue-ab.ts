// A/B of the catalogue page: two app processes on one database, autocannon taking turns between
// them (the order alternating), CPU per request and peak RSS of each, and B's CPU per request as a
// share of A's. Two processes in the same minutes see the same machine, so this tells a change of a
// few percent where bench:catalogue's ratio moves by ten points from run to run. Even so, two
// processes of the same build differ by up to 15% (each its own JIT): run it several times, and
// with the roles swapped, before believing a difference under that.
//   npm run bench:catalogue                       first, once: it leaves the database in .tmp/bench-catalogue-3311
//   npm run bench:catalogue-ab -- <rootA> <rootB> [turns=8] [seconds=5]
// A root is a checkout with node_modules and a build (`node scripts/build.mjs`); the same root twice
// with FLAGS_A / FLAGS_B (V8 options, space-separated) compares the options instead of the code.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { appSettings, cpuSecondsOf, mb, root, rssOf, signIn, startApp } from './lib.js';

const [rootA, rootB] = process.argv.slice(2, 4).map((dir) => path.resolve(dir));
if (!rootA || !rootB) throw new Error('usage: npm run bench:catalogue-ab -- <rootA> <rootB> [turns] [seconds]');
const turns = Number(process.argv[4] ?? 8);
const seconds = Number(process.argv[5] ?? 5);
const runDir = path.join(root, '.tmp', 'bench-catalogue-3311');
const settings = appSettings(runDir, 3401);
const db = new Database(path.join(runDir, 'app.db'), { readonly: true, fileMustExist: true });
const { id: workshopId } = db.prepare('SELECT "id" FROM "Workshop" ORDER BY "id" LIMIT 1').get() as { id: number };
db.close();

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM')));
type App = { name: string; root: string; port: number; flags?: string; pid: number; cpu: number; requests: number; peakRss: number };
const apps: App[] = [];
for (const app of [
  { name: 'A', root: rootA, port: 3401, flags: process.env.FLAGS_A },
  { name: 'B', root: rootB, port: 3403, flags: process.env.FLAGS_B },
]) {
  const env = { ...settings, PORT: String(app.port), PAYMENT_SANDBOX_PORT: String(app.port + 1) };
  const other = { root: app.root, flags: app.flags ? app.flags.split(' ') : [] };
  const child = await startApp(env, children, `http://127.0.0.1:${app.port}`, runDir, other);
  apps.push({ ...app, pid: child.pid!, cpu: 0, requests: 0, peakRss: 0 });
}
// One session for both: they share the database and the session secret.
const cookie = await signIn('http://127.0.0.1:3401', demoAccounts.siti.username);
const urlOf = (port: number) => `http://127.0.0.1:${port}/workshops/${workshopId}/catalog?sort=price-asc`;
for (const app of apps) {
  const res = await fetch(urlOf(app.port), { headers: { cookie } });
  const cards = ((await res.text()).match(/data-testid="product-card"/g) ?? []).length;
  if (res.status !== 200 || cards !== 24) throw new Error(`${app.name} (${app.root}): status ${res.status}, ${cards} cards`);
}

setInterval(() => apps.forEach((app) => (app.peakRss = Math.max(app.peakRss, rssOf(app.pid)))), 100).unref();
for (const app of apps) await autocannon({ url: urlOf(app.port), connections: 50, duration: 3, headers: { cookie } });
for (let turn = 0; turn < turns; turn++) {
  for (const app of turn % 2 ? [...apps].reverse() : apps) {
    const before = cpuSecondsOf(app.pid);
    const result = await autocannon({ url: urlOf(app.port), connections: 50, duration: seconds, headers: { cookie } });
    app.cpu += cpuSecondsOf(app.pid) - before;
    app.requests += result.requests.total ?? 0;
    if (result.errors || result.non2xx) throw new Error(`${app.name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  }
}
const perRequest = (app: App) => app.cpu / app.requests;
for (const app of apps) {
  console.log(
    `${app.name} ${app.root}${app.flags ? ` ${app.flags}` : ''}: ${(perRequest(app) * 1e6).toFixed(0)} µs CPU per request over ${app.requests} requests, peak RSS ${mb(app.peakRss)}`,
  );
}
console.log(`B/A CPU per request: ${((perRequest(apps[1]!) / perRequest(apps[0]!)) * 100).toFixed(1)}%`);
process.exit(0);
