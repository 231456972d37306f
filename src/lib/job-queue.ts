// Background work that runs exactly once across app instances. On SQLite one app process owns the
// database, so the jobs run on timers in that process (src/lib/repeat.ts). On PostgreSQL every
// instance starts the same job table, and each job becomes a pg-boss queue in the database:
//
// - Each instance sends the job once per interval through pg-boss's throttle (`singletonSeconds`:
//   one job per time slot, whoever sends it), so the slot runs once however many instances there are.
// - The queue's `stately` policy allows one job waiting and one running, never two runs at once.
// - Every instance works every queue; one of them takes the job (SKIP LOCKED).
// - A running job beats a heartbeat. When its instance dies half way (kill -9) the heartbeat stops,
//   the supervisor of a live instance fails the job and another instance runs it again.
//
// A job killed half way therefore runs a second time: every job of the table must be idempotent
// (it reads what is due and moves it with a conditional update, so a second run finds nothing left).
import { startRepeating } from './repeat.js';

export type RepeatingJob = {
  name: string;
  everyMs: number;
  /** Also run once at start (work that may have piled up while the server was off). */
  atStart?: boolean;
  run: () => Promise<void>;
};

export type JobRunner = { stop: () => Promise<void> };

type OnError = (err: unknown, job?: string) => void;

/** SQLite: every job on a timer in this process. */
export function startTimedJobs(table: readonly RepeatingJob[], onError: OnError): JobRunner {
  const timers = table.map((job) => startRepeating(job.everyMs, job.run, (err) => onError(err, job.name), { runNow: job.atStart }));
  return {
    stop: async () => timers.forEach((timer) => timer.stop()),
  };
}

export type QueueSettings = {
  connectionString: string;
  /** pg-boss's own tables live in this schema of the app's database. */
  schema?: string;
  /** How often a live instance looks for jobs whose instance died (and for expired ones). */
  superviseSeconds?: number;
  /** A job whose heartbeat is this late is failed and retried; pg-boss's minimum is 10. */
  heartbeatSeconds?: number;
};

/** A queue name from a job's name ("order deadlines" → "pasarlatih.order-deadlines"). */
export const queueName = (job: Pick<RepeatingJob, 'name'>) => `pasarlatih.${job.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** PostgreSQL: every job through a pg-boss queue in the database, each run on one instance. */
export async function startQueuedJobs(table: readonly RepeatingJob[], settings: QueueSettings, onError: OnError): Promise<JobRunner> {
  const superviseSeconds = settings.superviseSeconds ?? 10;
  // Imported here, not at the top: about 11 MB that a server on SQLite never needs.
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({
    connectionString: settings.connectionString,
    schema: settings.schema ?? 'pgboss',
    application_name: 'pasarlatih-jobs',
    max: 4,
    superviseIntervalSeconds: superviseSeconds,
    monitorIntervalSeconds: superviseSeconds,
    maintenanceIntervalSeconds: 600,
    // No pg-boss cron: its resolution is a minute and the market's bots run every 5 s.
    schedule: false,
  });
  boss.on('error', (err) => onError(err));
  await boss.start();

  const senders: ReturnType<typeof setInterval>[] = [];
  for (const job of table) {
    const name = queueName(job);
    const slotSeconds = Math.max(1, Math.round(job.everyMs / 1000));
    await boss.createQueue(name, {
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 1,
      heartbeatSeconds: settings.heartbeatSeconds ?? 10,
      // A run that hangs (a provider that never answers) is ended and retried after this long.
      expireInSeconds: 15 * 60,
      deleteAfterSeconds: 60 * 60,
    });
    await boss.work(name, { pollingIntervalSeconds: Math.min(2, Math.max(0.5, slotSeconds / 2)) }, async () => {
      try {
        await job.run();
      } catch (err) {
        onError(err, job.name);
        throw err; // pg-boss records the failure and retries the job
      }
    });
    const send = () => boss.send(name, {}, { singletonSeconds: slotSeconds }).catch((err: unknown) => onError(err, job.name));
    if (job.atStart) void send();
    const timer = setInterval(() => void send(), job.everyMs);
    timer.unref();
    senders.push(timer);
  }

  return {
    stop: async () => {
      senders.forEach((timer) => clearInterval(timer));
      // A run in progress gets 3 s to finish; one still going is retried by another instance.
      await boss.stop({ graceful: true, timeout: 3_000 });
    },
  };
}
