// One app instance's job runner, alone in its process so that a test can kill it (kill -9) half way
// through a job (src/lib/job-queue.test.ts). Its one job records each start in job_log and then,
// unless HANG=1 keeps it waiting forever, applies its effect once: it reads whether the effect is
// there and writes it if not, as the app's jobs do.
import pg from 'pg';
import { startQueuedJobs } from '../lib/job-queue.js';

const url = process.env.JOB_DB_URL!;
const runner = process.env.RUNNER!;
const db = new pg.Pool({ connectionString: url, max: 2 });

await startQueuedJobs(
  [
    {
      name: 'test job',
      everyMs: 60 * 60_000,
      atStart: true,
      run: async () => {
        await db.query('INSERT INTO job_log (runner) VALUES ($1)', [runner]);
        if (process.env.HANG === '1') await new Promise(() => undefined);
        const done = await db.query('SELECT 1 FROM applied WHERE effect = $1', ['the effect']);
        if (!done.rowCount) await db.query('INSERT INTO applied (effect, runner) VALUES ($1, $2)', ['the effect', runner]);
      },
    },
  ],
  { connectionString: url, superviseSeconds: 1 },
  (err, job) => console.error(`job ${job ?? '(queue)'} failed`, err),
);
console.log('ready');
