// The background jobs: what runs on a timer in the server process, each with its name and
// interval. src/server.ts starts and stops them; a job queue in the database could run the same
// table. A job's failure is logged with its name and the next run tries again.
import { deliverDueDrillsEverywhere } from './features/drills/drills.service.js';
import { runDueBotTasks } from './features/market/runner.js';
import { applyOrderDeadlinesEverywhere } from './features/orders/jobs.js';
import { reconcileCardPayments, retryPendingRefunds } from './features/payments/payments.service.js';
import { completeWithdrawalsEverywhere } from './features/withdrawals/withdrawals.service.js';
import { pruneExpiredLimits } from './http/attempt-limits.js';
import { startRepeating } from './lib/repeat.js';
import { logger } from './logger.js';
import { wireSubscribers } from './subscribers.js';

export type Job = {
  name: string;
  everyMs: number;
  /** Also run once at start (work that may have piled up while the server was off). */
  atStart?: boolean;
  run: () => Promise<void>;
};

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
export function startJobs(table: readonly Job[] = jobs): { stop: () => void } {
  wireSubscribers();
  const timers = table.map((job) =>
    startRepeating(job.everyMs, job.run, (err) => logger.error({ err, job: job.name }, 'background job failed'), { runNow: job.atStart }),
  );
  return { stop: () => timers.forEach((timer) => timer.stop()) };
}
