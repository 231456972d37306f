// Buyer–seller chat ("Chat penjual"): one thread per buyer and shop, and one per order. The buyer
// and the shop's owner write in it; staff of the workshop may read every thread of their
// workshop (the page tells the trainees so) but write in none. Anyone else gets a 404, as for
// anything of another workshop. Each side has an unread count, which the tab bar adds up.
import { readRows } from '../../db-read.js';
import { prisma } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { emit } from '../../events.js';
import { storeImage, removeStoredFiles } from '../../http/uploads.js';
import type { PreparedImage } from '../../lib/images.js';
import { listMyDrills } from '../drills/drills.service.js';
import { blockBetween } from '../safety/safety.service.js';
import { isStaff, type WorkshopCtx } from '../workshops/workshops.service.js';
import { blocksSql, unreadSql } from './unread.js';

export type ChatSide = 'buyer' | 'seller' | 'staff';

const threadSelect = {
  id: true,
  workshopId: true,
  shopId: true,
  buyerId: true,
  orderId: true,
  buyerUnread: true,
  sellerUnread: true,
  lastMessageAt: true,
  shop: { select: { name: true, ownerId: true, isDemo: true } },
  buyer: { select: { displayName: true } },
} as const;

async function findOrCreateThread(workshopId: number, shopId: number, buyerId: number, orderId: number | null): Promise<number> {
  const where = { shopId, buyerId, orderId };
  const existing = await prisma.chatThread.findFirst({ where, select: { id: true }, orderBy: { id: 'asc' } });
  if (existing) return existing.id;
  return prisma.$transaction(async (tx) => {
    // Two taps at once, or the buyer and the seller opening an order's chat together: both first
    // write the same row (her membership, the order), so the second waits, then finds the thread.
    if (orderId === null) await tx.membership.updateMany({ where: { workshopId, userId: buyerId }, data: { workshopId } });
    else await tx.order.updateMany({ where: { id: orderId }, data: { workshopId } });
    const made = await tx.chatThread.findFirst({ where, select: { id: true }, orderBy: { id: 'asc' } });
    return made?.id ?? (await tx.chatThread.create({ data: { workshopId, shopId, buyerId, orderId }, select: { id: true } })).id;
  });
}

/** "Chat penjual" on a shop or a listing: her thread with that shop of the workshop (never her own shop). */
export async function openShopThread(ctx: WorkshopCtx, shopId: number): Promise<number> {
  const shop = await prisma.shop.findFirst({ where: { id: shopId, workshopId: ctx.workshopId }, select: { id: true, ownerId: true } });
  if (!shop) throw new NotFoundError(`No shop ${shopId} in workshop ${ctx.workshopId}`);
  if (shop.ownerId === ctx.userId) throw new RefusedError('chat:refused.ownShop');
  if (isStaff(ctx)) throw new RefusedError('chat:refused.staffReadOnly');
  return findOrCreateThread(ctx.workshopId, shop.id, ctx.userId, null);
}

/** The chat of an order, opened by its buyer or its seller. */
export async function openOrderThread(ctx: WorkshopCtx, orderId: number): Promise<number> {
  const order = await prisma.order.findFirst({
    where: { id: orderId, workshopId: ctx.workshopId },
    select: { id: true, shopId: true, buyerId: true, shop: { select: { ownerId: true } } },
  });
  if (!order || (order.buyerId !== ctx.userId && order.shop.ownerId !== ctx.userId))
    throw new NotFoundError(`Order ${orderId} is not hers`);
  return findOrCreateThread(ctx.workshopId, order.shopId, order.buyerId, order.id);
}

type ThreadRow = { buyerId: number; shop: { ownerId: number } };

/** Who she is in the thread, or null when she may not read it. */
function sideOf(ctx: WorkshopCtx, thread: ThreadRow): ChatSide | null {
  if (thread.buyerId === ctx.userId) return 'buyer';
  if (thread.shop.ownerId === ctx.userId) return 'seller';
  return isStaff(ctx) ? 'staff' : null;
}

async function readableThread(ctx: WorkshopCtx, threadId: number) {
  const thread = await prisma.chatThread.findFirst({ where: { id: threadId, workshopId: ctx.workshopId }, select: threadSelect });
  const side = thread && sideOf(ctx, thread);
  if (!thread || !side) throw new NotFoundError(`Chat ${threadId} is not hers to read`);
  return { thread, side };
}

const messageSelect = {
  id: true,
  body: true,
  fromShop: true,
  createdAt: true,
  photoWidth: true,
  photoHeight: true,
  photoPath: true,
  sender: { select: { displayName: true } },
} as const;

/** The other party of the thread, seen from her side (staff: none). */
const otherPartyOf = (thread: ThreadRow, side: ChatSide): number | null =>
  side === 'buyer' ? thread.shop.ownerId : side === 'seller' ? thread.buyerId : null;

/** One thread with its messages, oldest first; opening it clears her side's unread count. */
export async function getThread(ctx: WorkshopCtx, threadId: number) {
  const { thread, side } = await readableThread(ctx, threadId);
  const otherId = otherPartyOf(thread, side);
  const block = otherId ? await blockBetween(ctx.workshopId, ctx.userId, otherId) : null;
  if (side === 'buyer' && thread.buyerUnread) await prisma.chatThread.update({ where: { id: thread.id }, data: { buyerUnread: 0 } });
  if (side === 'seller' && thread.sellerUnread) await prisma.chatThread.update({ where: { id: thread.id }, data: { sellerUnread: 0 } });
  const messages = await prisma.chatMessage.findMany({
    where: { threadId: thread.id },
    orderBy: { id: 'asc' },
    take: 500,
    select: messageSelect,
  });
  return { thread, side, messages: messages.map(withPhoto), otherId, block };
}

/** A message as pages show it: the photo's path stays on the server, the page links to the chat's photo route. */
function withPhoto<M extends { photoPath: string | null }>({ photoPath, ...message }: M) {
  return { ...message, hasPhoto: photoPath !== null };
}

/**
 * A message from the buyer or the seller of the thread (staff read only): text, a photo, or both.
 * A person she blocked, or who blocked her, cannot write to her (src/features/safety).
 */
export async function sendMessage(ctx: WorkshopCtx, threadId: number, body: string, photo?: PreparedImage): Promise<void> {
  const { thread, side } = await readableThread(ctx, threadId);
  if (side === 'staff') throw new RefusedError('chat:refused.staffReadOnly');
  if (!body && !photo) throw new RefusedError('chat:validation.empty');
  const block = await blockBetween(ctx.workshopId, ctx.userId, otherPartyOf(thread, side)!);
  if (block) throw new RefusedError(block === 'byMe' ? 'chat:refused.youBlocked' : 'chat:refused.blocked');
  const stored = photo ? await storeImage(photo, 'chat') : undefined;
  let messageId: number;
  try {
    messageId = await postMessage(thread.id, ctx.userId, side === 'seller', body, new Date(), stored);
  } catch (error) {
    await removeStoredFiles([stored?.path, stored?.thumbPath]);
    throw error;
  }
  await emit('chatMessageSent', { workshopId: ctx.workshopId, threadId: thread.id, messageId, fromShop: side === 'seller' });
}

type StoredPhoto = { path: string; thumbPath: string; width: number; height: number };

/** Writes a message and counts it unread for the other side (also used by the demo bots, which read what they answer). */
export async function postMessage(
  threadId: number,
  senderId: number,
  fromShop: boolean,
  body: string,
  at = new Date(),
  photo?: StoredPhoto,
): Promise<number> {
  const photoData = photo
    ? { photoPath: photo.path, photoThumbPath: photo.thumbPath, photoWidth: photo.width, photoHeight: photo.height }
    : {};
  const [message] = await prisma.$transaction([
    prisma.chatMessage.create({ data: { threadId, senderId, fromShop, body, createdAt: at, ...photoData }, select: { id: true } }),
    prisma.chatThread.update({
      where: { id: threadId },
      data: fromShop
        ? { buyerUnread: { increment: 1 }, sellerUnread: 0, lastMessageAt: at }
        : { sellerUnread: { increment: 1 }, buyerUnread: 0, lastMessageAt: at },
    }),
  ]);
  return message.id;
}

/** Her threads (as buyer and as seller), newest first; for staff every thread of the workshop. */
export async function listThreads(ctx: WorkshopCtx) {
  const where = isStaff(ctx)
    ? { workshopId: ctx.workshopId }
    : { workshopId: ctx.workshopId, OR: [{ buyerId: ctx.userId }, { shop: { ownerId: ctx.userId } }] };
  const threads = await prisma.chatThread.findMany({
    where,
    orderBy: { lastMessageAt: 'desc' },
    take: 200,
    select: {
      ...threadSelect,
      messages: { orderBy: { id: 'desc' }, take: 1, select: { body: true, createdAt: true, photoPath: true } },
    },
  });
  return threads.map((t) => {
    const side = sideOf(ctx, t)!;
    return {
      ...t,
      side,
      unread: side === 'buyer' ? t.buyerUnread : side === 'seller' ? t.sellerUnread : 0,
      last: t.messages[0] ? withPhoto(t.messages[0]) : null,
    };
  });
}

/** Her chat list: her threads and the drills that reached her. */
export async function getInbox(ctx: WorkshopCtx) {
  const [threads, drills] = await Promise.all([listThreads(ctx), isStaff(ctx) ? [] : listMyDrills(ctx)]);
  return { threads, drills, staff: isStaff(ctx) };
}

/**
 * The badge on her tab bar (chat messages and drills she has not opened) and how many people she
 * blocked (the catalogue leaves their listings out). Every page a trainee opens shows them, so the
 * workshop gate reads them with her membership (enterWorkshop, one statement on the hot read path);
 * this asks on its own where the gate did not (staff acting as the demo trainee). As three Prisma
 * queries the badge took the catalogue from 32% to 13% of the bare route (bench/catalogue.ts).
 */
export async function unreadForTabBar(ctx: WorkshopCtx): Promise<{ unread: number; blocks: number }> {
  if (ctx.unread !== undefined && ctx.blocks !== undefined) return { unread: ctx.unread, blocks: ctx.blocks };
  const [row] = await readRows<{ n: number | bigint | string; blocks: number | bigint | string }>(
    Prisma.sql`SELECT ${unreadSql(ctx.userId, ctx.workshopId)} AS "n", ${blocksSql(ctx.userId, ctx.workshopId)} AS "blocks"`,
  );
  return { unread: Number(row?.n ?? 0), blocks: Number(row?.blocks ?? 0) };
}

/** The messages after `afterId`, for the page that is open (live updates); she reads them there, so her unread count clears. */
export async function messagesAfter(ctx: WorkshopCtx, threadId: number, afterId: number) {
  const { thread, side } = await readableThread(ctx, threadId);
  const messages = await prisma.chatMessage.findMany({
    where: { threadId: thread.id, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: 100,
    select: messageSelect,
  });
  if (messages.length && side !== 'staff')
    await prisma.chatThread.update({ where: { id: thread.id }, data: side === 'buyer' ? { buyerUnread: 0 } : { sellerUnread: 0 } });
  return { side, messages: messages.map(withPhoto) };
}

/** The stored file of a message's photo (or its thumbnail), for the two parties and the workshop's staff only. */
export async function chatPhotoPath(ctx: WorkshopCtx, threadId: number, messageId: number, thumb: boolean): Promise<string> {
  const { thread } = await readableThread(ctx, threadId);
  const message = await prisma.chatMessage.findFirst({
    where: { id: messageId, threadId: thread.id },
    select: { photoPath: true, photoThumbPath: true },
  });
  const file = thumb ? message?.photoThumbPath : message?.photoPath;
  if (!file) throw new NotFoundError(`No photo on message ${messageId} of chat ${threadId}`);
  return file;
}
