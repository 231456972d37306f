// Demo shops act like real sellers: a paid order is accepted, packed and shipped with a tracking
// number, each step after the workshop's bot delay. orderPaid schedules the first step; each
// step schedules the next. Every step reads the order first, so running it twice is harmless.
import type { DomainEvents } from '../../events.js';
import { prisma } from '../../db.js';
import { randomString } from '../../lib/random.js';
import { sellerAcceptOrder, sellerShipOrder } from '../orders/orders.service.js';
import { enterWorkshop } from '../workshops/workshops.service.js';
import { afterBotDelay, botSettings, scheduleTask, type BotTaskRow } from './bot-tasks.js';
import type { TaskOutcome } from './outcomes.js';

/** On orderPaid, inside the paying transaction: an order to a demo shop gets its "accept" step. */
export async function scheduleDemoShopAccept({ tx, orderId }: DomainEvents['orderPaid']): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { workshopId: true, shopId: true, shop: { select: { isDemo: true } } },
  });
  if (!order.shop.isDemo) return;
  const settings = await botSettings(tx, order.workshopId);
  await scheduleTask(tx, order.workshopId, {
    kind: 'seller.accept',
    key: `seller.accept:${orderId}`,
    shopId: order.shopId,
    orderId,
    dueAt: afterBotDelay(settings),
  });
}

async function demoSeller(task: BotTaskRow) {
  const order = await prisma.order.findUniqueOrThrow({
    where: { id: task.orderId! },
    select: { id: true, status: true, accepted: true, courier: true, shop: { select: { ownerId: true } } },
  });
  return { order, ctx: await enterWorkshop(order.shop.ownerId, task.workshopId) };
}

/** Accepts the paid order (unless done already), then schedules shipping. */
export async function acceptAsDemoShop(task: BotTaskRow): Promise<TaskOutcome> {
  const { order, ctx } = await demoSeller(task);
  if (order.status !== 'diproses') return { status: 'skipped', note: 'market:log.notPaidAnyMore' };
  if (!order.accepted) await sellerAcceptOrder(ctx, order.id);
  const settings = await botSettings(prisma, task.workshopId);
  await scheduleTask(prisma, task.workshopId, {
    kind: 'seller.ship',
    key: `seller.ship:${order.id}`,
    shopId: task.shopId ?? undefined,
    orderId: order.id,
    dueAt: afterBotDelay(settings),
  });
  return { status: 'done' };
}

/** A tracking number of the order's courier: the letters of its first word and ten digits ("JNE0123456789", "POS0123456789"). */
export function trackingNumberFor(courier: string): string {
  const prefix = (courier.split(/\s+/)[0] ?? '').replace(/[^A-Za-z]/g, '').toUpperCase() || 'RESI';
  return `${prefix}${randomString('0123456789', 10)}`;
}

/** Ships the accepted order with a tracking number. */
export async function shipAsDemoShop(task: BotTaskRow): Promise<TaskOutcome> {
  const { order, ctx } = await demoSeller(task);
  if (order.status !== 'diproses' || !order.accepted) return { status: 'skipped', note: 'market:log.notPaidAnyMore' };
  const trackingNumber = trackingNumberFor(order.courier);
  await sellerShipOrder(ctx, order.id, trackingNumber);
  return { status: 'done', note: trackingNumber };
}
