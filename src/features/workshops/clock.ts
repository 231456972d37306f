// The training clock (issue 12), modelled on Stripe's test clocks: a workshop's time runs ahead
// of real time by an offset that the tutor moves forward ("+1 jam", "+1 hari"), so payment
// deadlines pass, shipped orders complete, held money is released, withdrawals arrive and the
// bots act within one session. Like a test clock it never goes back; the market reset returns
// it to real time. Every rule that reads the time inside a workshop reads it here:
// workshopNow(ctx) in a request, workshopNowOf(id) or workshopClocks() in background work.
import { prisma, type Tx } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { emit } from '../../events.js';
import { assertRole, type WorkshopCtx } from './workshops.service.js';

/** The steps the tutor can move the clock by, in seconds. */
export const clockSteps = { hour: 3600, day: 86_400 } as const;
export type ClockStep = keyof typeof clockSteps;

/** Far enough for any workshop; keeps the offset well inside a 32-bit column. */
export const MAX_CLOCK_OFFSET_SECONDS = 366 * 86_400;

/** The workshop's time now, from the offset read with the membership at the start of the request. */
export function workshopNow(ctx: Pick<WorkshopCtx, 'clockOffsetMs'>, realNow = Date.now()): Date {
  return new Date(realNow + ctx.clockOffsetMs);
}

const nowFromOffset = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000);

/** The workshop's time now, read from the database (background work, or inside a transaction). */
export async function workshopNowOf(workshopId: number, db: Tx = prisma): Promise<Date> {
  const workshop = await db.workshop.findUnique({ where: { id: workshopId }, select: { clockOffsetSeconds: true } });
  if (!workshop) throw new NotFoundError(`Workshop ${workshopId}`);
  return nowFromOffset(workshop.clockOffsetSeconds);
}

/** Every workshop with its time now: background jobs work one workshop at a time, each on its own clock. */
export async function workshopClocks(): Promise<{ workshopId: number; now: Date }[]> {
  const workshops = await prisma.workshop.findMany({ select: { id: true, clockOffsetSeconds: true }, orderBy: { id: 'asc' } });
  return workshops.map((w) => ({ workshopId: w.id, now: nowFromOffset(w.clockOffsetSeconds) }));
}

/**
 * The tutor moves the workshop's time forward by one step; what falls due in between happens
 * now (workshopClockMoved). Returns the workshop's new time.
 */
export async function advanceClock(ctx: WorkshopCtx, step: ClockStep): Promise<Date> {
  assertRole(ctx, 'tutor', 'organizer');
  const seconds = clockSteps[step];
  const moved = await prisma.workshop.updateMany({
    where: { id: ctx.workshopId, clockOffsetSeconds: { lte: MAX_CLOCK_OFFSET_SECONDS - seconds } },
    data: { clockOffsetSeconds: { increment: seconds } },
  });
  if (moved.count !== 1) throw new RefusedError('market:clock.tooFar');
  const now = await workshopNowOf(ctx.workshopId);
  await emit('workshopClockMoved', { workshopId: ctx.workshopId, now });
  return now;
}
