// Scam drills: the tutor sends a scenario (drills.registry.ts) to one participant or all of
// them; each gets a delivery that arrives in her chat or as a notification, looking like the real
// thing. Whatever she does is recorded with its time; her first reaction decides the outcome
// (spotted, or complied). Complying asks for nothing and sends nothing anywhere: it only opens
// the debrief, as every reaction does, since the drill is shown as a drill once she has reacted.
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { parseDateTime } from '../../lib/dates.js';
import { logger } from '../../logger.js';
import { workshopClocks, workshopNow } from '../workshops/clock.js';
import { listParticipants } from '../workshops/participants.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { drillScenarios, scenarioOf, type DrillReaction } from './drills.registry.js';
import type { SendDrillInput } from './drills.schemas.js';

export type DrillOutcome = 'spotted' | 'complied';

/** Whom the send reaches: every participant, the ticked group, or one; anyone else is refused. */
async function recipientsOf(ctx: WorkshopCtx, input: SendDrillInput): Promise<number[]> {
  if (input.to === 'all') return (await listParticipants(ctx.workshopId)).map((p) => p.id);
  const wanted = input.to === 'group' ? [...new Set(input.group)] : [input.to];
  const participants = new Set((await listParticipants(ctx.workshopId)).map((p) => p.id));
  if (wanted.some((id) => !participants.has(id))) throw new RefusedError('drills:refused.notParticipant');
  return wanted;
}

/**
 * Sends the drill now, or at a set time on the workshop's training clock (the trainees wait on the
 * send until the clock reaches it: deliverDueDrills). Returns how many participants it reaches and when.
 */
export async function sendDrill(ctx: WorkshopCtx, input: SendDrillInput): Promise<{ count: number; dueAt: Date | null }> {
  assertRole(ctx, 'organizer', 'tutor');
  if (!scenarioOf(input.scenario)) throw new NotFoundError(`No drill ${input.scenario}`);
  const traineeIds = await recipientsOf(ctx, input);
  if (!traineeIds.length) throw new RefusedError('drills:refused.nobody');
  const dueAt = input.at ? parseDateTime(input.at, config.timezone) : null;
  if (input.at && !dueAt) throw new RefusedError('drills:validation.at');
  if (dueAt && dueAt > workshopNow(ctx)) {
    await prisma.drillSend.create({
      data: { workshopId: ctx.workshopId, scenario: input.scenario, sentById: ctx.userId, dueAt, pendingTraineeIds: traineeIds.join(',') },
    });
    return { count: traineeIds.length, dueAt };
  }
  await prisma.drillSend.create({
    data: {
      workshopId: ctx.workshopId,
      scenario: input.scenario,
      sentById: ctx.userId,
      deliveries: { create: traineeIds.map((traineeId) => ({ traineeId })) },
    },
  });
  return { count: traineeIds.length, dueAt: null };
}

/**
 * Delivers the workshop's scheduled drills whose time has come on its clock, each once (the send's
 * waiting list is emptied in the same transaction). A trainee who left the workshop meanwhile gets none.
 */
export async function deliverDueDrills(workshopId: number, now: Date): Promise<number> {
  const due = await prisma.drillSend.findMany({
    where: { workshopId, dueAt: { lte: now }, pendingTraineeIds: { not: '' } },
    select: { id: true, pendingTraineeIds: true },
  });
  let delivered = 0;
  for (const send of due) {
    const ids = send.pendingTraineeIds.split(',').map(Number);
    delivered += await prisma.$transaction(async (tx) => {
      const claimed = await tx.drillSend.updateMany({
        where: { id: send.id, pendingTraineeIds: send.pendingTraineeIds },
        data: { pendingTraineeIds: '' },
      });
      if (claimed.count !== 1) return 0;
      const members = await listParticipants(workshopId, tx);
      const still = ids.filter((id) => members.some((m) => m.id === id));
      for (const traineeId of still) await tx.drillDelivery.create({ data: { sendId: send.id, traineeId } });
      return still.length;
    });
  }
  return delivered;
}

/** The job: every workshop's scheduled drills, each on its own clock. */
export async function deliverDueDrillsEverywhere(): Promise<void> {
  for (const { workshopId, now } of await workshopClocks()) {
    const delivered = await deliverDueDrills(workshopId, now);
    if (delivered) logger.info({ workshopId, delivered }, 'scheduled drills delivered');
  }
}

/** On workshopClockMoved: the drills the move made due arrive now. */
export async function deliverDueDrillsOnClockMove({ workshopId, now }: DomainEvents['workshopClockMoved']): Promise<void> {
  await deliverDueDrills(workshopId, now);
}

/** Her drills sent since `since` (null: all of them), for her missions of the current session. */
export async function drillsSince(ctx: WorkshopCtx, since: Date | null) {
  const rows = await prisma.drillDelivery.findMany({
    where: { traineeId: ctx.userId, send: { workshopId: ctx.workshopId }, ...(since ? { createdAt: { gte: since } } : {}) },
    orderBy: { id: 'asc' },
    take: 20,
    select: { id: true, outcome: true, send: { select: { scenario: true } } },
  });
  return rows;
}

const deliverySelect = {
  id: true,
  openedAt: true,
  outcome: true,
  createdAt: true,
  send: { select: { scenario: true, workshopId: true } },
  reactions: { orderBy: { id: 'asc' }, select: { reaction: true, createdAt: true } },
} as const;

async function ownDelivery(ctx: WorkshopCtx, deliveryId: number) {
  const delivery = await prisma.drillDelivery.findFirst({
    where: { id: deliveryId, traineeId: ctx.userId, send: { workshopId: ctx.workshopId } },
    select: deliverySelect,
  });
  if (!delivery) throw new NotFoundError(`Drill delivery ${deliveryId} is not hers`);
  return { ...delivery, scenario: scenarioOf(delivery.send.scenario)! };
}

/** The drill as she sees it; opening it marks it read. Only she may open it (staff see the board). */
export async function openDelivery(ctx: WorkshopCtx, deliveryId: number) {
  const delivery = await ownDelivery(ctx, deliveryId);
  if (!delivery.openedAt) await prisma.drillDelivery.update({ where: { id: delivery.id }, data: { openedAt: new Date() } });
  return delivery;
}

/** Records her reaction with its time; the first one decides the outcome. */
export async function react(ctx: WorkshopCtx, deliveryId: number, reaction: DrillReaction): Promise<void> {
  const delivery = await ownDelivery(ctx, deliveryId);
  if (reaction === 'comply' && delivery.outcome) throw new RefusedError('drills:refused.alreadyRevealed');
  await prisma.$transaction([
    prisma.drillReaction.create({ data: { deliveryId: delivery.id, reaction } }),
    prisma.drillDelivery.updateMany({
      where: { id: delivery.id, outcome: null },
      data: { outcome: reaction === 'comply' ? 'complied' : 'spotted', openedAt: delivery.openedAt ?? new Date() },
    }),
  ]);
}

/** Her drills in this workshop, newest first (they sit in her chat list). */
export async function listMyDrills(ctx: WorkshopCtx) {
  const rows = await prisma.drillDelivery.findMany({
    where: { traineeId: ctx.userId, send: { workshopId: ctx.workshopId } },
    orderBy: { id: 'desc' },
    take: 50,
    select: deliverySelect,
  });
  return rows.map((d) => ({ ...d, scenario: scenarioOf(d.send.scenario)! }));
}

/** The tutor's board: each drill sent, newest first, with who spotted it, who complied and who has not reacted. */
export async function drillBoard(ctx: WorkshopCtx) {
  assertRole(ctx, 'organizer', 'tutor');
  const [sends, participants] = await Promise.all([
    prisma.drillSend.findMany({
      where: { workshopId: ctx.workshopId },
      orderBy: { id: 'desc' },
      take: 100,
      select: {
        id: true,
        scenario: true,
        createdAt: true,
        dueAt: true,
        pendingTraineeIds: true,
        sentBy: { select: { displayName: true } },
        deliveries: {
          orderBy: { trainee: { displayName: 'asc' } },
          select: {
            id: true,
            outcome: true,
            trainee: { select: { displayName: true } },
            reactions: { orderBy: { id: 'asc' }, take: 1, select: { reaction: true, createdAt: true } },
          },
        },
      },
    }),
    listParticipants(ctx.workshopId),
  ]);
  return {
    participants,
    scenarios: drillScenarios,
    sends: sends.map((s) => ({
      ...s,
      spotted: s.deliveries.filter((d) => d.outcome === 'spotted').length,
      complied: s.deliveries.filter((d) => d.outcome === 'complied').length,
      waiting: s.deliveries.filter((d) => !d.outcome).length,
      scheduledFor: s.pendingTraineeIds ? s.pendingTraineeIds.split(',').length : 0,
    })),
    now: workshopNow(ctx),
  };
}

export type DrillShare = { scenario: string; delivered: number; spotted: number; complied: number; share: number };

/** For the evaluation: per scenario sent in the workshop, the share of its deliveries that were spotted. */
export async function drillShares(workshopId: number): Promise<DrillShare[]> {
  const rows = await prisma.drillDelivery.findMany({
    where: { send: { workshopId }, trainee: { demoKind: null } },
    select: { outcome: true, send: { select: { scenario: true } } },
  });
  const shares: DrillShare[] = [];
  for (const { key } of drillScenarios) {
    const mine = rows.filter((r) => r.send.scenario === key);
    if (!mine.length) continue;
    const spotted = mine.filter((r) => r.outcome === 'spotted').length;
    const complied = mine.filter((r) => r.outcome === 'complied').length;
    shares.push({ scenario: key, delivered: mine.length, spotted, complied, share: spotted / mine.length });
  }
  return shares;
}
