// "Laporkan" and "Blokir" on a chat and on a listing, as on Tokopedia or Shopee. A report is
// recorded for the workshop's staff (their list of reports, which they mark handled). A block is
// between two people of one workshop: neither can write to the other in chat, and the blocked
// person's listings are hidden from her catalogue, until she unblocks. Trainees act only on chats
// they are part of and listings of their own workshop; anything else is a 404.
import { prisma } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { assertRole, isStaff, type WorkshopCtx } from '../workshops/workshops.service.js';

export const reportReasons = ['scam', 'personalData', 'misleading', 'rude', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/** What a report or a block is about: one of her chats, or a listing of the workshop. */
export type SafetyTarget = { threadId: number } | { listingId: number };

/** The person behind the target, seen by her; 404 for a chat that is not hers or anything of another workshop. */
async function personBehind(ctx: WorkshopCtx, target: SafetyTarget): Promise<number> {
  if (isStaff(ctx)) throw new RefusedError('safety:refused.staff');
  let personId: number | undefined;
  if ('threadId' in target) {
    const thread = await prisma.chatThread.findFirst({
      where: { id: target.threadId, workshopId: ctx.workshopId, OR: [{ buyerId: ctx.userId }, { shop: { ownerId: ctx.userId } }] },
      select: { buyerId: true, shop: { select: { ownerId: true } } },
    });
    personId = thread ? (thread.buyerId === ctx.userId ? thread.shop.ownerId : thread.buyerId) : undefined;
  } else {
    const listing = await prisma.listing.findFirst({
      where: { id: target.listingId, workshopId: ctx.workshopId, deletedAt: null },
      select: { shop: { select: { ownerId: true } } },
    });
    personId = listing?.shop.ownerId;
  }
  if (personId === undefined)
    throw new NotFoundError(`Nothing to report or block: ${JSON.stringify(target)} in workshop ${ctx.workshopId}`);
  if (personId === ctx.userId) throw new RefusedError('safety:refused.self');
  return personId;
}

/** Records her report for the workshop's staff. */
export async function report(ctx: WorkshopCtx, target: SafetyTarget, reason: ReportReason, note: string): Promise<void> {
  const reportedId = await personBehind(ctx, target);
  await prisma.safetyReport.create({
    data: {
      workshopId: ctx.workshopId,
      reporterId: ctx.userId,
      reportedId,
      reason,
      note,
      threadId: 'threadId' in target ? target.threadId : null,
      listingId: 'listingId' in target ? target.listingId : null,
    },
  });
}

/** Blocks the person behind the target (blocking twice is one block). */
export async function block(ctx: WorkshopCtx, target: SafetyTarget): Promise<void> {
  const blockedId = await personBehind(ctx, target);
  await prisma.userBlock.upsert({
    where: { workshopId_blockerId_blockedId: { workshopId: ctx.workshopId, blockerId: ctx.userId, blockedId } },
    create: { workshopId: ctx.workshopId, blockerId: ctx.userId, blockedId },
    update: {},
  });
}

/** Lifts one of her blocks. */
export async function unblock(ctx: WorkshopCtx, blockedId: number): Promise<void> {
  const removed = await prisma.userBlock.deleteMany({ where: { workshopId: ctx.workshopId, blockerId: ctx.userId, blockedId } });
  if (!removed.count) throw new NotFoundError(`User ${blockedId} is not blocked by ${ctx.userId}`);
}

/** Whether a block stands between two people of the workshop, and whose it is. */
export async function blockBetween(workshopId: number, me: number, other: number): Promise<'byMe' | 'byThem' | null> {
  const rows = await prisma.userBlock.findMany({
    where: {
      workshopId,
      OR: [
        { blockerId: me, blockedId: other },
        { blockerId: other, blockedId: me },
      ],
    },
    select: { blockerId: true },
  });
  if (rows.some((r) => r.blockerId === me)) return 'byMe';
  return rows.length ? 'byThem' : null;
}

/** The people she blocked (her safety page), newest first. */
export async function myBlocks(ctx: WorkshopCtx) {
  return prisma.userBlock.findMany({
    where: { workshopId: ctx.workshopId, blockerId: ctx.userId },
    orderBy: { id: 'desc' },
    select: {
      blockedId: true,
      createdAt: true,
      blocked: { select: { displayName: true, shops: { where: { workshopId: ctx.workshopId }, select: { name: true } } } },
    },
  });
}

/** The ids of the people she blocked in the workshop, for the catalogue to leave their listings out. */
export async function blockedUserIds(workshopId: number, userId: number): Promise<number[]> {
  const rows = await prisma.userBlock.findMany({ where: { workshopId, blockerId: userId }, select: { blockedId: true } });
  return rows.map((r) => r.blockedId);
}

/** The staff's list of the workshop's reports: open ones first, then the newest. */
export async function workshopReports(ctx: WorkshopCtx) {
  assertRole(ctx, 'organizer', 'tutor');
  const rows = await prisma.safetyReport.findMany({
    where: { workshopId: ctx.workshopId },
    orderBy: [{ resolvedAt: { sort: 'asc', nulls: 'first' } }, { id: 'desc' }],
    take: 200,
    select: {
      id: true,
      reason: true,
      note: true,
      threadId: true,
      listingId: true,
      createdAt: true,
      resolvedAt: true,
      reporter: { select: { displayName: true } },
      reported: { select: { displayName: true } },
    },
  });
  return { reports: rows, open: rows.filter((r) => !r.resolvedAt).length };
}

/** Staff mark a report handled. */
export async function resolveReport(ctx: WorkshopCtx, reportId: number): Promise<void> {
  assertRole(ctx, 'organizer', 'tutor');
  const done = await prisma.safetyReport.updateMany({
    where: { id: reportId, workshopId: ctx.workshopId, resolvedAt: null },
    data: { resolvedAt: new Date() },
  });
  if (!done.count) throw new NotFoundError(`No open report ${reportId} in workshop ${ctx.workshopId}`);
}
