// Runs the bots' due tasks: the job calls runDueBotTasks() every few seconds, the tutor's "run
// one now" calls runNextTask(). Each task is claimed before it runs (bot-tasks.ts) and handled
// by the function its kind names in `handlers`. A demo shop or a demo buyer answering a chat
// message ('seller.reply', 'buyer.reply') is scheduled by a subscriber to chatMessageSent.
import { performance } from 'node:perf_hooks';
import { prisma } from '../../db.js';
import { AppError } from '../../errors.js';
import { logger } from '../../logger.js';
import {
  botTaskSelect,
  claimTask,
  finishTask,
  MAX_ATTEMPTS,
  releaseStaleTasks,
  retryTask,
  type BotTaskKind,
  type BotTaskRow,
} from './bot-tasks.js';
import { cancelAsDemoBuyer, confirmAsDemoBuyer, orderAsDemoBuyer, reviewAsDemoBuyer } from './buyer-bots.js';
import type { TaskOutcome } from './outcomes.js';
import { replyAsDemoBuyer, replyAsDemoShop } from './chat-bots.js';
import { acceptAsDemoShop, shipAsDemoShop } from './seller-bots.js';

const handlers: Record<BotTaskKind, (task: BotTaskRow) => Promise<TaskOutcome>> = {
  'seller.accept': acceptAsDemoShop,
  'seller.ship': shipAsDemoShop,
  'buyer.order': orderAsDemoBuyer,
  'buyer.cancel': cancelAsDemoBuyer,
  'buyer.confirm': confirmAsDemoBuyer,
  'buyer.review': reviewAsDemoBuyer,
  'seller.reply': replyAsDemoShop,
  'buyer.reply': replyAsDemoBuyer,
};

/** A step that cannot happen yet (a payment on its way) or failed for a passing reason is tried again this much later. */
const RETRY_AFTER_MS = 20_000;

/**
 * The bots live in the server's process and must never crowd out the people using it (a task
 * goes through the same services as a person: 20-100 ms of CPU). A run of the job (every 5 s)
 * stops starting tasks after RUN_BUDGET_MS of wall time or TASKS_PER_RUN tasks; and when the
 * server spent more than BUSY_SHARE of the time since the last run serving requests, it runs
 * one task only. The market then answers a little later rather than the pages slowing down
 * (bench/bots.ts measures both).
 */
export const TASKS_PER_RUN = 10;
export const RUN_BUDGET_MS = 250;
const BUSY_SHARE = 0.5;
let loopSinceLastRun = performance.eventLoopUtilization();

/** How many tasks this run may start: all of its budget, or one when the server is busy with people. */
function tasksThisRun(): number {
  const busy = performance.eventLoopUtilization(loopSinceLastRun).utilization;
  loopSinceLastRun = performance.eventLoopUtilization();
  return busy > BUSY_SHARE ? 1 : TASKS_PER_RUN;
}

const clockOf = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000);

/** Runs one claimed task and records how it ended. */
async function runClaimed(task: BotTaskRow, offsetSeconds: number): Promise<TaskOutcome['status'] | 'failed'> {
  const handler = handlers[task.kind as BotTaskKind];
  try {
    if (!handler) throw new Error(`Unknown bot task kind ${task.kind}`);
    const outcome = await handler(task);
    if (outcome.status === 'later')
      await retryTask(task.id, new Date(clockOf(offsetSeconds).getTime() + RETRY_AFTER_MS), 'market:log.later');
    else await finishTask(task.id, outcome.status, clockOf(offsetSeconds), outcome.note ?? null);
    return outcome.status;
  } catch (error) {
    // A refusal or a missing object is the market telling the bot "not possible": nothing to retry.
    if (error instanceof AppError) {
      await finishTask(task.id, 'skipped', clockOf(offsetSeconds), error.messageKey);
      return 'skipped';
    }
    logger.warn({ err: error, taskId: task.id, kind: task.kind, attempt: task.attempts + 1 }, 'bot task failed');
    if (task.attempts + 1 >= MAX_ATTEMPTS) {
      await finishTask(task.id, 'failed', clockOf(offsetSeconds), 'market:log.failed');
      return 'failed';
    }
    await retryTask(task.id, new Date(clockOf(offsetSeconds).getTime() + RETRY_AFTER_MS), 'market:log.retrying');
    return 'later';
  }
}

/** Claims and runs one task; null when another worker had it first. */
async function claimAndRun(task: BotTaskRow, offsetSeconds: number) {
  if (!(await claimTask(task.id))) return null;
  return runClaimed(task, offsetSeconds);
}

/**
 * The job: the due tasks of the workshops whose bots are not paused, each workshop on its own
 * clock, oldest first, taking turns between workshops so a busy one does not hold up the others.
 */
export async function runDueBotTasks(): Promise<number> {
  const startedAt = Date.now();
  const limit = tasksThisRun();
  await releaseStaleTasks();
  const workshops = await prisma.workshop.findMany({
    where: { botsPaused: false, botTasks: { some: { status: 'pending' } } },
    select: { id: true, clockOffsetSeconds: true },
    orderBy: { id: 'asc' },
  });
  const queues = [];
  for (const workshop of workshops) {
    const due = await prisma.botTask.findMany({
      where: { workshopId: workshop.id, status: 'pending', dueAt: { lte: clockOf(workshop.clockOffsetSeconds) } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: botTaskSelect,
    });
    if (due.length) queues.push({ offsetSeconds: workshop.clockOffsetSeconds, due });
  }
  let ran = 0;
  // The first task runs whatever the time spent so far: on a slow database (PostgreSQL on a loaded
  // machine) finding the due tasks alone can take the whole budget, and a run must still move on.
  const withinBudget = () => ran === 0 || Date.now() - startedAt < RUN_BUDGET_MS;
  while (ran < limit && withinBudget() && queues.some((q) => q.due.length)) {
    for (const queue of queues) {
      const task = queue.due.shift();
      if (!task || ran >= limit || !withinBudget()) continue;
      if (await claimAndRun(task, queue.offsetSeconds)) ran += 1;
      // Requests waiting for the server go first between two tasks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return ran;
}

export type RunOneResult = { kind: string; status: TaskOutcome['status'] | 'failed' } | null;

/** The tutor's "run one now": the workshop's next pending task, due or not, paused or not. */
export async function runNextTask(workshopId: number): Promise<RunOneResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = await prisma.botTask.findFirst({
      where: { workshopId, status: 'pending' },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      select: { ...botTaskSelect, workshop: { select: { clockOffsetSeconds: true } } },
    });
    if (!next) return null;
    const { workshop, ...task } = next;
    const status = await claimAndRun(task, workshop.clockOffsetSeconds);
    if (status) return { kind: task.kind, status };
  }
  return null;
}
