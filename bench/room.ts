// The training room as load (issue 16): the room of scripts/room.test.ts (join, open a shop, list
// with a photo, buy from two shops, pay by card on the hosted page, answer the questionnaire),
// played by TRAINEES phones at once, room after room for DURATION seconds, first through nginx
// in front of ONE app instance, then in front of TWO, in the same run (scripts/cluster.mjs's
// startCluster, each on a fresh PostgreSQL database, one payment sandbox). Prints per step the
// throughput and the p50/p95 latency, the ratio two/one, and the CPU time each process used
// (from /proc: nginx, each instance, the sandbox, the PostgreSQL backends of the bench's database,
// and this load generator), per trainee: what the bottleneck analysis needs.
//
//   TEST_POSTGRES_URL=postgresql://user:password@localhost:5432/postgres npm run bench:room
//   TRAINEES=40 DURATION=60 BENCH_PORT=3960
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { scratchDatabase } from '../src/test/postgres.js';
// @ts-expect-error plain JavaScript module without types
import { startCluster, stopCluster } from '../scripts/cluster.mjs';
import { cpuSecondsOf, percentile } from './lib.js';
import { createOrganizer, ORGANIZER, runRoom, setUpWorkshop, STEPS, type Step } from './room-driver.js';

const TRAINEES = Number(process.env.TRAINEES ?? 40);
const DURATION = Number(process.env.DURATION ?? 60);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3960);
const serverUrl = process.env.TEST_POSTGRES_URL;
if (!serverUrl) {
  console.error(
    'bench:room needs PostgreSQL: TEST_POSTGRES_URL=postgresql://user:password@localhost:5432/postgres (README, "Running on PostgreSQL")',
  );
  process.exit(1);
}
const dir = path.resolve('.tmp/bench-room');
/** The children of a process (nginx's worker). */
const childrenOf = (pid: number): number[] =>
  fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));

type Sample = Map<string, number>;

async function sample(pids: { name: string; pid: number }[], client: pg.Client): Promise<Sample> {
  const out: Sample = new Map();
  for (const p of pids) {
    const all = p.name === 'nginx' ? [p.pid, ...childrenOf(p.pid)] : [p.pid];
    out.set(
      p.name,
      all.reduce((s, pid) => s + cpuSecondsOf(pid), 0),
    );
  }
  // The database's backends (pool connections live as long as their instance); the server's other
  // databases are not counted.
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  for (const r of rows) out.set(`postgres:${r.pid}`, cpuSecondsOf(r.pid));
  const self = process.cpuUsage();
  out.set('load generator', (self.user + self.system) / 1e6);
  return out;
}

function cpuDelta(before: Sample, after: Sample): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, value] of after) {
    const key = name.startsWith('postgres:') ? 'postgresql' : name;
    out.set(key, (out.get(key) ?? 0) + value - (before.get(name) ?? 0));
  }
  return out;
}

type Result = {
  instances: number;
  trainees: number;
  seconds: number;
  times: Record<Step, number[]>;
  /** Seconds during which each step was being done by someone. */
  windows: Record<Step, number>;
  cpu: Map<string, number>;
  failures: string[];
};

async function measure(instances: number): Promise<Result> {
  fs.rmSync(dir, { recursive: true, force: true });
  const db = await scratchDatabase(serverUrl!, `pasarlatih_bench_room${instances}`);
  const client = new pg.Client({ connectionString: db.url });
  try {
    console.log(`\n== ${instances} instance${instances > 1 ? 's' : ''} behind nginx: starting`);
    const cluster = (await startCluster({
      dir,
      basePort: BASE_PORT,
      instances,
      databaseUrl: db.url,
      host: '127.0.0.1',
      quiet: true,
      env: { DEMO_DATA: 'false', LOG_LEVEL: 'warn', JOIN_RATE_LIMIT: '100000', LOGIN_RATE_LIMIT: '100000' },
    })) as { ports: { app: number }; pids: { name: string; pid: number }[] };
    createOrganizer(db.url);
    await client.connect();
    const base = `http://127.0.0.1:${cluster.ports.app}`;
    const code = await setUpWorkshop(base, ORGANIZER, `Bench ${instances}`);
    // A first room warms up the instances (JIT, pools, template caches) and is not counted.
    await runRoom({ base, code, count: Math.min(TRAINEES, 6), prefix: 'warm' });
    const times = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
    const windows = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
    const failures: string[] = [];
    const before = await sample(cluster.pids, client);
    const started = performance.now();
    let round = 0;
    let trainees = 0;
    while ((performance.now() - started) / 1000 < DURATION || round === 0) {
      const room = await runRoom({ base, code, count: TRAINEES, prefix: `r${round}p` });
      for (const s of STEPS) {
        times[s].push(...room.times[s]);
        windows[s] += room.windows[s] / 1000;
      }
      failures.push(...room.failures.map((f) => `round ${round} trainee ${f.trainee}: ${f.error.message}`));
      trainees += room.times.questionnaire.length;
      round++;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuDelta(before, await sample(cluster.pids, client));
    return { instances, trainees, seconds, times, windows, cpu, failures };
  } finally {
    await client.end().catch(() => undefined);
    await stopCluster(dir, { quiet: true });
    await db.drop();
  }
}

/** A step's throughput: how many were done per second while someone was doing it. */
const rate = (r: Result, s: Step) => r.times[s].length / r.windows[s];
const ms = (v: number) => `${v.toFixed(0).padStart(6)} ms`;

function report(r: Result): void {
  console.log(
    `\n${r.instances} instance(s): ${r.trainees} trainees through the whole room in ${r.seconds.toFixed(1)} s → ${(r.trainees / r.seconds).toFixed(2)} trainees/s`,
  );
  console.log('  step            done   per s      p50        p95   (per s: while the step was being done)');
  for (const s of STEPS) {
    const v = r.times[s];
    console.log(
      `  ${s.padEnd(14)} ${String(v.length).padStart(5)} ${rate(r, s).toFixed(2).padStart(7)} ${ms(percentile(v, 50))} ${ms(percentile(v, 95))}`,
    );
  }
  console.log("  CPU time during the measurement (s; ms per trainee; share of the machine's cores):");
  const cores = os.availableParallelism();
  for (const [name, s] of [...r.cpu].sort((a, b) => b[1] - a[1]))
    console.log(
      `    ${name.padEnd(16)} ${s.toFixed(1).padStart(7)} s ${((s * 1000) / Math.max(1, r.trainees)).toFixed(0).padStart(6)} ms ${((100 * s) / (r.seconds * cores)).toFixed(0).padStart(4)} %`,
    );
  if (r.failures.length) console.log(`  FAILURES: ${r.failures.length}\n    ${r.failures.slice(0, 5).join('\n    ')}`);
}

console.log(
  `bench:room: ${TRAINEES} trainees at once, rooms back to back for ${DURATION} s, on ${os.availableParallelism()} cores (loadavg ${os.loadavg()[0]!.toFixed(2)})`,
);
const one = await measure(1);
report(one);
const two = await measure(2);
report(two);
console.log('\nratio two/one (throughput higher is better; p95 lower is better):');
console.log(`  whole room: ${(two.trainees / two.seconds / (one.trainees / one.seconds)).toFixed(2)}× trainees/s`);
for (const s of STEPS)
  console.log(
    `  ${s.padEnd(14)} throughput ${(rate(two, s) / rate(one, s)).toFixed(2)}×  p95 ${(percentile(two.times[s], 95) / percentile(one.times[s], 95)).toFixed(2)}×`,
  );
console.log(`loadavg at the end ${os.loadavg()[0]!.toFixed(2)}: on a shared machine these figures are not a measurement`);
process.exit(one.failures.length || two.failures.length ? 1 : 0);
