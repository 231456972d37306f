// The background jobs, each with its name and interval. src/server.ts starts and stops them: on
// SQLite on timers in the server process, on PostgreSQL through a job queue in the database so that
// with several app instances each run happens on one of them and a run killed half way is retried
// (src/lib/job-queue.ts). So every job is idempotent: it reads what is due and moves it with a
// conditional update. A job's failure is logged with its name and the next run tries again.
import { deliverDueDrillsEverywhere } from './features/drills/drills.service.js';
import { runDueBotTasks } from './features/market/runner.js';
import { applyOrderDeadlinesEverywhere } from './features/orders/jobs.js';
import { reconcileCardPayments, retryPendingRefunds } from './features/payments/payments.service.js';
import { completeWithdrawalsEverywhere } from './features/withdrawals/withdrawals.service.js';
import { pruneExpiredLimits } from './http/attempt-limits.js';
import { config } from './config.js';
import { startQueuedJobs, startTimedJobs, type JobRunner, type RepeatingJob } from './lib/job-queue.js';
import { logger } from './logger.js';
import { wireSubscribers } from './subscribers.js';

export type Job = RepeatingJob;

export const jobs: readonly Job[] = [
  // Each workshop on its training clock (src/features/workshops/clock.ts).
  { name: 'order deadlines', everyMs: 60_000, atStart: true, run: applyOrderDeadlinesEverywhere },
  { name: 'retry pending refunds', everyMs: 60_000, run: retryPendingRefunds },
  { name: 'reconcile card payments', everyMs: 60_000, atStart: true, run: () => reconcileCardPayments() },
  { name: 'complete withdrawals', everyMs: 30_000, atStart: true, run: completeWithdrawalsEverywhere },
  { name: 'forget expired limits', everyMs: 10 * 60_000, run: pruneExpiredLimits },
  { name: 'market bots', everyMs: 5_000, atStart: true, run: async () => void (await runDueBotTasks()) },
  { name: 'scheduled drills', everyMs: 30_000, atStart: true, run: deliverDueDrillsEverywhere },
];

/** Starts every job of the table (a job's work emits events, so the subscribers are wired first). */
export function startJobs(table: readonly Job[] = jobs): Promise<JobRunner> {
  wireSubscribers();
  const onError = (err: unknown, job?: string) => logger.error({ err, job }, 'background job failed');
  if (config.isSqlite) return Promise.resolve(startTimedJobs(table, onError));
  return startQueuedJobs(table, { connectionString: config.databaseUrl }, onError);
}
