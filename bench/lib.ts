// What the load benchmarks share: a throwaway app's settings and folder, a bound on how long a run
// may take, waiting for a server, signing in as a browser does, and a process's CPU time and memory
// read from /proc. Each bench keeps only what it measures.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type RawResult } from 'autocannon';
// @ts-expect-error plain JavaScript module without types
import { build, serverArgs, serverEnv } from '../scripts/build.mjs';
import { DEMO_PASSWORD } from '../src/features/sandbox/demo-accounts.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The settings of a benchmark's own app, as `npm start` runs it in production, everything under
 * `runDir`: no demo data, no payment sandbox (`overrides` turns it on), sign-in limits high enough
 * for one machine signing in many trainees.
 */
export function appSettings(runDir: string, port: number, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(24).toString('hex'),
    SECRETS_FILE: path.join(runDir, 'secrets.json'),
    DATABASE_URL: `file:${path.join(runDir, 'app.db')}`,
    UPLOAD_DIR: path.join(runDir, 'uploads'),
    SNAPSHOT_DIR: path.join(runDir, 'snapshots'),
    PAYMENT_SANDBOX: 'false',
    // production without the sandbox wants real Stripe keys; these benchmarks never pay through them
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench',
    PAYMENT_SANDBOX_PORT: String(port + 1),
    PAYMENT_SANDBOX_DB: path.join(runDir, 'payments.db'),
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOGIN_RATE_LIMIT: '1000',
    ...overrides,
  };
}

/** An empty `runDir` with a migrated database, then the settings in this process too (the app's modules read them when first imported). */
export function prepareRun(runDir: string, env: NodeJS.ProcessEnv): void {
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { cwd: root, env, stdio: 'pipe' });
  Object.assign(process.env, env);
}

/**
 * The children are stopped whenever this process ends, and the run never outlives `seconds`,
 * whatever happens. Returns what stops them earlier.
 */
export function boundRun(children: ChildProcess[], seconds: number): () => void {
  const stopAll = () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
  process.on('exit', stopAll);
  process.on('SIGINT', () => process.exit(130));
  setTimeout(() => {
    console.error('bench: took too long, stopping');
    process.exit(1);
  }, seconds * 1000).unref();
  return stopAll;
}

/**
 * Builds the app and starts it exactly as `npm start` runs it (its V8 flags and environment,
 * MALLOC_ARENA_MAX among them), with `env`; it answers at `base` when this resolves. PROFILE=1
 * writes its CPU profile under `runDir`/profiles. `other` starts another checkout's own build
 * instead (bench:catalogue-ab), with extra V8 `flags` before the script.
 */
export async function startApp(
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
  base: string,
  runDir: string,
  other?: { root: string; flags: string[] },
): Promise<ChildProcess> {
  if (!other) await build();
  const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(runDir, 'profiles')}`] : [];
  const args = serverArgs as string[];
  const app = spawn(process.execPath, [...profile, ...args.slice(0, -1), ...(other?.flags ?? []), args.at(-1)!], {
    cwd: other?.root ?? root,
    env: { ...env, ...(serverEnv as Record<string, string>) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(app);
  await waitFor(`${base}/healthz`);
  return app;
}

/** Resolves once `url` answers 2xx; fails after a minute. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** A Cookie header: the cookies of `before` updated by the response's Set-Cookie. */
export function cookiesOf(res: Response, before = ''): string {
  const jar = new Map(before ? before.split('; ').map((c) => c.split('=', 2) as [string, string]) : []);
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The CSRF token of a page's first form. */
export const csrfIn = (html: string): string | undefined => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** Signs in as a browser does (sign-in page, then its form); returns the Cookie header of the session. */
export async function signIn(base: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookies = cookiesOf(page);
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ _csrf: csrfIn(await page.text())!, username, password }),
  });
  if (res.status !== 303) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  return cookiesOf(res, cookies);
}

/** utime + stime of a process in seconds (fields 14 and 15 of /proc/<pid>/stat, in 1/100 s); 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in bytes; 0 when it is gone. */
export function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The p-th percentile (nearest rank) of the values; NaN when there are none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

/**
 * One measured autocannon run whose response times stay in autocannon's own histogram (HDR, in the
 * raw result), so that `latencyOver` gives the percentiles over every response of several turns.
 * The benches used to push each response's time into an array from a 'response' listener: in the
 * harness's process, which shares the two cores with the app, that cost made the load generator the
 * bottleneck in some turns, and bench:catalogue's ratio fell from about 55% to 35% in one run of
 * three (five runs with the listener removed: 55-66%, each turn's CPU per request steady).
 */
export function measuredRun(o: { url: string; connections: number; headers: Record<string, string>; seconds: number }): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: o.url, connections: o.connections, duration: o.seconds, headers: o.headers, skipAggregateResult: true },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/** p50 and p99 (ms) over every response of the runs; NaN when there are none. */
export function latencyOver(runs: RawResult[], url: string): { p50: number; p99: number } {
  if (!runs.length) return { p50: NaN, p99: NaN };
  const { latency } = autocannon.aggregateResult(runs, { url });
  return { p50: latency.p50, p99: latency.p99 };
}

/** Megabytes, for the tables. */
export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

/** The machine's load averages (1, 5, 15 minutes) as /proc gives them. */
export const loadAverage = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The catalogue's load in one kind of turn, summed over all its turns. */
export type Phase = {
  name: 'quiet' | 'busy';
  requests: number;
  seconds: number;
  cpu: number;
  errors: number;
  /** The page loaded, and its measured runs, for `latencyOver`. */
  url: string;
  runs: RawResult[];
  peakRss: number;
};

/** What a turn gets: an unmeasured second of load (new connections, caches the other turn cooled), then the measured load. */
export type TurnLoad = { warm: () => Promise<void>; measure: () => Promise<void> };

/**
 * A page loaded by autocannon in quiet and busy turns, `rounds` of each, `duration` seconds of each
 * kind in all; which goes first alternates, so a machine getting slower or faster favours neither.
 * What makes a turn busy (bots, chatters) is the bench's: `turn` starts it, runs the load, stops it.
 * Counts the app's requests, errors (and non-2xx), latencies, CPU time and peak RSS per kind.
 */
export async function quietAndBusyTurns(o: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  pid: number;
  duration: number;
  rounds: number;
  turn: (phase: Phase, load: TurnLoad) => Promise<void>;
}): Promise<{ quiet: Phase; busy: Phase }> {
  const phase = (name: Phase['name']): Phase => ({ name, requests: 0, seconds: 0, cpu: 0, errors: 0, url: o.url, runs: [], peakRss: 0 });
  const quiet = phase('quiet');
  const busy = phase('busy');
  const load = { url: o.url, connections: o.connections, headers: o.headers };
  const seconds = o.duration / o.rounds;
  const loadFor = (p: Phase): TurnLoad => ({
    warm: async () => void (await measuredRun({ ...load, seconds: 1 })),
    measure: async () => {
      const watcher = setInterval(() => (p.peakRss = Math.max(p.peakRss, rssOf(o.pid))), 100);
      const cpuBefore = cpuSecondsOf(o.pid);
      const result = await measuredRun({ ...load, seconds });
      p.cpu += cpuSecondsOf(o.pid) - cpuBefore;
      clearInterval(watcher);
      p.runs.push(result);
      p.requests += result.totalCompletedRequests;
      p.seconds += seconds;
      p.errors += result.errors + result.timeouts + result.non2xx;
    },
  });
  await measuredRun({ ...load, seconds: 2 }); // warm-up
  for (let r = 0; r < o.rounds; r++) for (const p of r % 2 === 0 ? [quiet, busy] : [busy, quiet]) await o.turn(p, loadFor(p));
  return { quiet, busy };
}

/** A row of the quiet/busy table: req/s, p50, p99, CPU per request, errors, peak RSS. */
export function phaseRow(label: string, p: Phase): string[] {
  const { p50, p99 } = latencyOver(p.runs, p.url);
  return [
    label,
    (p.requests / p.seconds).toFixed(0),
    `${Math.round(p50)} ms`,
    `${Math.round(p99)} ms`,
    `${((p.cpu * 1000) / Math.max(1, p.requests)).toFixed(2)} ms`,
    String(p.errors),
    mb(p.peakRss),
  ];
}
