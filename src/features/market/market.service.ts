// The tutor's "Pasar" page: the workshop's training clock, its bots (paused or not, their pace,
// "run one now") and what the bots did lately. The bots themselves are in runner.ts.
import { prisma } from '../../db.js';
import { demoBuyerList } from '../sandbox/demo-accounts.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { runNextTask, type RunOneResult } from './runner.js';

/** The bots' paces the tutor picks from: the least and the longest delay of a step, in seconds. */
export const pacePresets = {
  kilat: { min: 5, max: 15 },
  cepat: { min: 20, max: 60 },
  normal: { min: 60, max: 180 },
  santai: { min: 300, max: 600 },
} as const;
export type Pace = keyof typeof pacePresets;
export const paces = Object.keys(pacePresets) as Pace[];

const staffOnly = (ctx: WorkshopCtx) => assertRole(ctx, 'tutor', 'organizer');

const buyerName = (username: string | null) => demoBuyerList.find((b) => b.username === username)?.displayName ?? '';

export async function getMarketPage(ctx: WorkshopCtx) {
  staffOnly(ctx);
  const workshop = await prisma.workshop.findUniqueOrThrow({
    where: { id: ctx.workshopId },
    select: { botsPaused: true, botDelayMinSeconds: true, botDelayMaxSeconds: true, clockOffsetSeconds: true },
  });
  const taskView = {
    id: true,
    kind: true,
    status: true,
    note: true,
    dueAt: true,
    doneAt: true,
    orderId: true,
    buyer: true,
    method: true,
    shop: { select: { name: true } },
  } as const;
  const [pending, upcoming, log] = await Promise.all([
    prisma.botTask.count({ where: { workshopId: ctx.workshopId, status: 'pending' } }),
    prisma.botTask.findMany({
      where: { workshopId: ctx.workshopId, status: 'pending' },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: 5,
      select: taskView,
    }),
    prisma.botTask.findMany({
      where: { workshopId: ctx.workshopId, status: { in: ['done', 'skipped', 'failed'] } },
      orderBy: [{ doneAt: 'desc' }, { id: 'desc' }],
      take: 15,
      select: taskView,
    }),
  ]);
  const pace = paces.find((p) => pacePresets[p].min === workshop.botDelayMinSeconds && pacePresets[p].max === workshop.botDelayMaxSeconds);
  const describe = <T extends { buyer: string | null; shop: { name: string } | null }>(task: T) => ({
    ...task,
    buyerName: buyerName(task.buyer),
    shopName: task.shop?.name ?? '',
  });
  return {
    clock: { now: new Date(Date.now() + workshop.clockOffsetSeconds * 1000), offsetSeconds: workshop.clockOffsetSeconds },
    bots: {
      paused: workshop.botsPaused,
      pace: pace ?? null,
      minDelaySeconds: workshop.botDelayMinSeconds,
      maxDelaySeconds: workshop.botDelayMaxSeconds,
    },
    pending,
    upcoming: upcoming.map(describe),
    log: log.map(describe),
  };
}

export async function setBotsPaused(ctx: WorkshopCtx, paused: boolean): Promise<void> {
  staffOnly(ctx);
  await prisma.workshop.update({ where: { id: ctx.workshopId }, data: { botsPaused: paused } });
}

export async function setBotPace(ctx: WorkshopCtx, pace: Pace): Promise<void> {
  staffOnly(ctx);
  const { min, max } = pacePresets[pace];
  await prisma.workshop.update({ where: { id: ctx.workshopId }, data: { botDelayMinSeconds: min, botDelayMaxSeconds: max } });
}

/** "Jalankan satu sekarang": the next pending task at once, paused or not, due or not. */
export async function runOneNow(ctx: WorkshopCtx): Promise<RunOneResult> {
  staffOnly(ctx);
  return runNextTask(ctx.workshopId);
}
