// The bots' task list in the database (BotTask): what a demo shop or a demo buyer will do, when
// (on the workshop's clock), and what came of it. A task is scheduled once per purpose (its
// unique key), claimed by one worker before it acts (a conditional update pending → running),
// and finished with a status and a note; a worker that stopped mid-task leaves it running, and
// it is handed out again after a while, so a restart or a second instance loses none and the
// handlers make a repeat harmless.
import { randomInt } from 'node:crypto';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';

export const botTaskKinds = [
  'seller.accept',
  'seller.ship',
  'buyer.order',
  'buyer.cancel',
  'buyer.confirm',
  'buyer.review',
  'seller.reply',
  'buyer.reply',
] as const;
export type BotTaskKind = (typeof botTaskKinds)[number];

export type BotTaskRow = {
  id: number;
  workshopId: number;
  kind: string;
  shopId: number | null;
  orderId: number | null;
  buyer: string | null;
  method: string | null;
  follow: string | null;
  attempts: number;
};

export const botTaskSelect = {
  id: true,
  workshopId: true,
  kind: true,
  shopId: true,
  orderId: true,
  buyer: true,
  method: true,
  follow: true,
  attempts: true,
} as const;

/** A running task not finished after this long was left by a worker that stopped. */
const STALE_AFTER_MS = 2 * 60 * 1000;
/** Tries before a task that keeps failing is given up. */
export const MAX_ATTEMPTS = 3;

export type BotSettings = { paused: boolean; minDelaySeconds: number; maxDelaySeconds: number; now: Date };

/** The workshop's bot settings and its time now (its training clock). */
export async function botSettings(db: Tx, workshopId: number): Promise<BotSettings> {
  const w = await db.workshop.findUniqueOrThrow({
    where: { id: workshopId },
    select: { botsPaused: true, botDelayMinSeconds: true, botDelayMaxSeconds: true, clockOffsetSeconds: true },
  });
  return {
    paused: w.botsPaused,
    minDelaySeconds: w.botDelayMinSeconds,
    maxDelaySeconds: w.botDelayMaxSeconds,
    now: new Date(Date.now() + w.clockOffsetSeconds * 1000),
  };
}

/** A moment a bot's delay after `from`: random between the workshop's least and longest delay. */
export function afterBotDelay(settings: BotSettings, from = settings.now): Date {
  const seconds = randomInt(settings.minDelaySeconds, settings.maxDelaySeconds + 1);
  return new Date(from.getTime() + seconds * 1000);
}

export type NewBotTask = {
  kind: BotTaskKind;
  key: string;
  dueAt: Date;
  shopId?: number;
  orderId?: number;
  buyer?: string;
  method?: string;
  follow?: string;
};

/**
 * Schedules a task unless one with its key exists (in the caller's transaction when given). Two
 * callers at once (a step run again after its task was handed out a second time) both find none;
 * outside a transaction the second one's unique-key error means it is scheduled. Inside one it is
 * not caught, since PostgreSQL has then already aborted that transaction: the callers that pass
 * one schedule from an event that happens once (an order paid, a checkout).
 */
export async function scheduleTask(db: Tx, workshopId: number, task: NewBotTask): Promise<void> {
  if (await db.botTask.findUnique({ where: { key: task.key }, select: { id: true } })) return;
  try {
    await db.botTask.create({ data: { workshopId, ...task } });
  } catch (error) {
    if (db === prisma && isUniqueViolation(error)) return;
    throw error;
  }
}

/** Takes the task for this worker: true for exactly one of the workers that try at once. */
export async function claimTask(id: number): Promise<boolean> {
  const claimed = await prisma.botTask.updateMany({
    where: { id, status: 'pending' },
    data: { status: 'running', claimedAt: new Date(), attempts: { increment: 1 } },
  });
  return claimed.count === 1;
}

export type TaskEnd = 'done' | 'skipped' | 'failed';

export async function finishTask(id: number, status: TaskEnd, doneAt: Date, note: string | null = null): Promise<void> {
  await prisma.botTask.update({ where: { id }, data: { status, doneAt, note } });
}

/** Puts the task back in the list, due again at `dueAt`. */
export async function retryTask(id: number, dueAt: Date, note: string): Promise<void> {
  await prisma.botTask.update({ where: { id }, data: { status: 'pending', dueAt, note, claimedAt: null } });
}

/** Tasks left running by a worker that stopped go back to the list (or fail after MAX_ATTEMPTS). */
export async function releaseStaleTasks(realNow = Date.now()): Promise<void> {
  const staleBefore = new Date(realNow - STALE_AFTER_MS);
  await prisma.botTask.updateMany({
    where: { status: 'running', claimedAt: { lt: staleBefore }, attempts: { gte: MAX_ATTEMPTS } },
    data: { status: 'failed', note: 'market:log.stopped', doneAt: new Date(realNow) },
  });
  await prisma.botTask.updateMany({
    where: { status: 'running', claimedAt: { lt: staleBefore } },
    data: { status: 'pending', claimedAt: null },
  });
}
