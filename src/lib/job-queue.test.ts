// The job queue on PostgreSQL with several app instances: each runner is its own process
// (src/test/job-runner-child.ts) on one database, as app instances are.
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../paths.js';
import { stopChild } from '../test/child-process.js';
import { scratchDatabase, testPostgresUrl } from '../test/postgres.js';
import { queueName, startTimedJobs } from './job-queue.js';

describe('background jobs on SQLite (timers in the one app process)', () => {
  it('when a job fails, then the failure is reported with its name and the next run still happens; stop() ends the runs', async () => {
    vi.useFakeTimers();
    try {
      const failures: (string | undefined)[] = [];
      let runs = 0;
      const running = startTimedJobs(
        [
          {
            name: 'flaky job',
            everyMs: 1000,
            atStart: true,
            run: async () => {
              runs += 1;
              throw new Error('boom');
            },
          },
        ],
        (_err, job) => failures.push(job),
      );
      await vi.advanceTimersByTimeAsync(2500);
      await running.stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(3);
      expect(failures).toEqual(['flaky job', 'flaky job', 'flaky job']);
    } finally {
      vi.useRealTimers();
    }
  });
});

const serverUrl = testPostgresUrl('the job queue across instances (src/lib/job-queue.test.ts)');

describe.skipIf(!serverUrl)('background jobs on PostgreSQL with several instances', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: pg.Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await scratchDatabase(serverUrl!, 'pasarlatih_jobs');
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });
  beforeEach(async () => {
    await db.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
    await db.query('DROP TABLE IF EXISTS job_log, applied');
    await db.query('CREATE TABLE job_log (id serial PRIMARY KEY, runner text NOT NULL)');
    await db.query('CREATE TABLE applied (effect text PRIMARY KEY, runner text NOT NULL)');
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => stopChild(child)));
  });

  function startRunner(runner: string, env: Record<string, string> = {}): Promise<ChildProcess> {
    // tsx as a loader in this process, not its CLI (which would run the script in a grandchild that kill -9 misses).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/test/job-runner-child.ts'], {
      cwd: projectRoot,
      env: { ...process.env, JOB_DB_URL: database.url, RUNNER: runner, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
      child.once('exit', (code) => reject(new Error(`runner ${runner} exited with ${code} before it was ready`)));
    });
  }

  const starts = async () => (await db.query<{ runner: string }>('SELECT runner FROM job_log ORDER BY id')).rows.map((r) => r.runner);
  const effects = async () => (await db.query<{ runner: string }>('SELECT runner FROM applied')).rows.map((r) => r.runner);
  const jobStates = async () =>
    (
      await db.query<{ state: string; retry_count: number }>('SELECT state, retry_count FROM pgboss.job WHERE name = $1', [
        queueName({ name: 'test job' }),
      ])
    ).rows;

  it('when two instances start the same job table on one database, then the job runs once, on one of them', async () => {
    await Promise.all([startRunner('a'), startRunner('b')]);
    await vi.waitFor(async () => expect(await jobStates()).toEqual([{ state: 'completed', retry_count: 0 }]), {
      timeout: 30_000,
      interval: 200,
    });
    // Both sent the job at start; the second send fell in the same slot and made no second job.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await jobStates()).toHaveLength(1);
    expect(await starts()).toHaveLength(1);
    expect(await effects()).toEqual(await starts());
  }, 60_000);

  it('when the instance running a job is killed half way (kill -9), then the other instance runs it again and its effect is applied once', async () => {
    const a = await startRunner('a', { HANG: '1' });
    await vi.waitFor(async () => expect(await starts()).toEqual(['a']), { timeout: 30_000, interval: 200 });
    await startRunner('b');
    a.kill('SIGKILL');
    // The job's heartbeat stops with a; b's supervisor fails it after 10 s and b retries it.
    await vi.waitFor(async () => expect(await effects()).toEqual(['b']), { timeout: 45_000, interval: 500 });
    expect(await starts()).toEqual(['a', 'b']);
    await vi.waitFor(async () => expect(await jobStates()).toEqual([{ state: 'completed', retry_count: 1 }]), {
      timeout: 10_000,
      interval: 200,
    });
  }, 90_000);
});
