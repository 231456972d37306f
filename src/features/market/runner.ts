// Runs the bots' due tasks: the job calls runDueBotTasks() every few seconds, the tutor's "run
// one now" calls runNextTask(). Each task is claimed before it runs (bot-tasks.ts) and handled
// by the function its kind names in `handlers`. A demo shop answering chat messages, once chat
// exists, is one more kind here, scheduled by a subscriber to that feature's event
// (chatMessageSent → 'seller.reply') in src/subscribers.ts.
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
import { acceptAsDemoShop, shipAsDemoShop } from './seller-bots.js';

const handlers: Record<BotTaskKind, (task: BotTaskRow) => Promise<TaskOutcome>> = {
  'seller.accept': acceptAsDemoShop,
  'seller.ship': shipAsDemoShop,
  'buyer.order': orderAsDemoBuyer,
  'buyer.cancel': cancelAsDemoBuyer,
  'buyer.confirm': confirmAsDemoBuyer,
  'buyer.review': reviewAsDemoBuyer,
};

/** A step that cannot happen yet (a payment on its way) or failed for a passing reason is tried again this much later. */
const RETRY_AFTER_MS = 20_000;

/**
 * At most this many tasks per run of the job, shared between the workshops: the bots live in the
 * server's process and must never crowd out the people using it (bench/bots.ts measures it).
 */
export const TASKS_PER_RUN = 8;

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

/** The job: the due tasks of every workshop whose bots are not paused, each on its own clock, oldest first. */
export async function runDueBotTasks(): Promise<number> {
  await releaseStaleTasks();
  const workshops = await prisma.workshop.findMany({
    where: { botsPaused: false, botTasks: { some: { status: 'pending' } } },
    select: { id: true, clockOffsetSeconds: true },
    orderBy: { id: 'asc' },
  });
  if (!workshops.length) return 0;
  const share = Math.max(1, Math.ceil(TASKS_PER_RUN / workshops.length));
  let ran = 0;
  for (const workshop of workshops) {
    const due = await prisma.botTask.findMany({
      where: { workshopId: workshop.id, status: 'pending', dueAt: { lte: clockOf(workshop.clockOffsetSeconds) } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: Math.min(share, TASKS_PER_RUN - ran),
      select: botTaskSelect,
    });
    for (const task of due) if (await claimAndRun(task, workshop.clockOffsetSeconds)) ran += 1;
    if (ran >= TASKS_PER_RUN) break;
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
