// Orders after checkout. Every change goes through transition(): the pure table says whether
// this actor may do this action from this state; a conditional update on the state we read
// makes sure no one moved the order in between; an OrderEvent records who and when, all in one
// transaction. Cancelling gives the reserved stock back. Paying, shipping, cancelling and
// completing an order are events (src/events.ts): the payments feature refunds a cancelled paid
// order there, the market's bots answer there. Times are the workshop's (its training clock,
// ../workshops/clock.ts).
import { prisma, type Tx } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { emit } from '../../events.js';
import { workshopNow } from '../workshops/clock.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';
import {
  AUTO_COMPLETE_AFTER_MS,
  availableActions,
  decideTransition,
  heldStatuses,
  isOrderStatus,
  orderStatuses,
  type OrderAction,
  type OrderActor,
  type OrderStatus,
} from './order-transitions.js';

type TransitionExtras = { trackingNumber?: string; reason?: string };

type OrderForTransition = { id: number; status: string; accepted: boolean; paidAt: Date | null };

const txOptions = { maxWait: 30_000, timeout: 30_000 };

/** Applies one transition to an order already read in this transaction. */
async function applyTransition(
  tx: Tx,
  order: OrderForTransition,
  action: OrderAction,
  actor: OrderActor,
  actorId: number | null,
  now: Date,
  extras: TransitionExtras = {},
): Promise<OrderStatus> {
  const decision = decideTransition(order, action, actor);
  if (!decision.allowed) {
    // Not allowed now: wrong state, already done, or someone was faster.
    throw new RefusedError(
      decision.reason === 'notAccepted'
        ? 'orders:errors.acceptFirst'
        : decision.reason === 'alreadyAccepted'
          ? 'orders:errors.alreadyAccepted'
          : 'orders:errors.notNow',
    );
  }
  const to = decision.rule.to;
  const data: Record<string, unknown> = { status: to };
  if (decision.rule.setsAccepted) data.accepted = true;
  if (action === 'pay') data.paidAt = now;
  if (action === 'ship') Object.assign(data, { shippedAt: now, trackingNumber: extras.trackingNumber });
  if (to === 'selesai') data.completedAt = now;
  if (to === 'dibatalkan')
    Object.assign(data, { cancelledAt: now, cancelledBy: actor, cancelReason: action === 'expire' ? 'expiry' : (extras.reason ?? null) });

  const moved = await tx.order.updateMany({ where: { id: order.id, status: order.status, accepted: order.accepted }, data });
  if (moved.count !== 1) throw new RefusedError('orders:errors.changedMeanwhile');

  const note =
    action === 'ship'
      ? (extras.trackingNumber ?? null)
      : to === 'dibatalkan'
        ? action === 'expire'
          ? 'expiry'
          : (extras.reason ?? null)
        : null;
  await tx.orderEvent.create({
    data: { orderId: order.id, fromStatus: order.status, toStatus: to, action, actorId, note, createdAt: now },
  });

  if (action === 'pay' || action === 'cod') await emit('orderPaid', { tx, orderId: order.id, cashOnDelivery: action === 'cod' });
  if (action === 'ship') await emit('orderShipped', { tx, orderId: order.id });
  if (to === 'dibatalkan') {
    const items = await tx.orderItem.findMany({ where: { orderId: order.id }, select: { listingId: true, quantity: true } });
    for (const item of items) await tx.listing.update({ where: { id: item.listingId }, data: { stock: { increment: item.quantity } } });
    await emit('orderCancelled', { tx, orderId: order.id, wasPaid: order.paidAt !== null });
  }
  if (to === 'selesai') await emit('orderCompleted', { tx, orderId: order.id });
  return to;
}

const transitionSelect = { id: true, status: true, accepted: true, paidAt: true } as const;

async function afterCommit(orderId: number, to: OrderStatus): Promise<OrderStatus> {
  if (to === 'dibatalkan') await emit('orderCancelledCommitted', { orderId });
  return to;
}

async function buyerTransition(
  ctx: WorkshopCtx,
  orderId: number,
  action: OrderAction,
  extras?: TransitionExtras,
  now = workshopNow(ctx),
): Promise<OrderStatus> {
  const to = await prisma.$transaction(async (tx) => {
    const order = await tx.order.findFirst({
      where: { id: orderId, workshopId: ctx.workshopId, buyerId: ctx.userId },
      select: transitionSelect,
    });
    if (!order) throw new NotFoundError(`Order ${orderId} is not this buyer's`);
    return applyTransition(tx, order, action, 'buyer', ctx.userId, now, extras);
  }, txOptions);
  return afterCommit(orderId, to);
}

async function sellerTransition(
  ctx: WorkshopCtx,
  orderId: number,
  action: OrderAction,
  extras?: TransitionExtras,
  now = workshopNow(ctx),
): Promise<OrderStatus> {
  const to = await prisma.$transaction(async (tx) => {
    const order = await tx.order.findFirst({
      where: { id: orderId, workshopId: ctx.workshopId, shop: { ownerId: ctx.userId } },
      select: transitionSelect,
    });
    if (!order) throw new NotFoundError(`Order ${orderId} is not this seller's`);
    return applyTransition(tx, order, action, 'seller', ctx.userId, now, extras);
  }, txOptions);
  return afterCommit(orderId, to);
}

export const buyerCancelOrder = (ctx: WorkshopCtx, orderId: number, reason?: string) =>
  buyerTransition(ctx, orderId, 'cancel', reason ? { reason } : {});
export const buyerConfirmReceipt = (ctx: WorkshopCtx, orderId: number) => buyerTransition(ctx, orderId, 'confirm');
export const sellerAcceptOrder = (ctx: WorkshopCtx, orderId: number) => sellerTransition(ctx, orderId, 'accept');
export const sellerShipOrder = (ctx: WorkshopCtx, orderId: number, trackingNumber: string) =>
  sellerTransition(ctx, orderId, 'ship', { trackingNumber });
export const sellerCancelOrder = (ctx: WorkshopCtx, orderId: number, reason: string) =>
  sellerTransition(ctx, orderId, 'cancel', { reason });

/**
 * For the payments feature, inside its own transaction once a payment of this checkout is
 * verified: every order of the checkout still awaiting payment becomes `diproses`. Orders no
 * longer awaiting payment (expired, cancelled) are returned as skipped: money for them must
 * go back to the buyer. `paidAt` is real time, as the provider (or the simulated bank) knows it;
 * the orders record it on their workshop's clock.
 */
export async function markOrdersPaid(
  tx: Tx,
  checkoutId: number,
  paidAt: Date,
  action: 'pay' | 'cod' = 'pay',
): Promise<{ paidOrderIds: number[]; skippedOrderIds: number[] }> {
  const checkout = await tx.checkout.findUniqueOrThrow({
    where: { id: checkoutId },
    select: { workshop: { select: { clockOffsetSeconds: true } } },
  });
  const paidAtOnClock = new Date(paidAt.getTime() + checkout.workshop.clockOffsetSeconds * 1000);
  const orders = await tx.order.findMany({ where: { checkoutId }, select: transitionSelect, orderBy: { id: 'asc' } });
  const paidOrderIds: number[] = [];
  const skippedOrderIds: number[] = [];
  for (const order of orders) {
    if (!decideTransition(order, action, 'system').allowed) {
      skippedOrderIds.push(order.id);
      continue;
    }
    await applyTransition(tx, order, action, 'system', null, paidAtOnClock);
    paidOrderIds.push(order.id);
  }
  return { paidOrderIds, skippedOrderIds };
}

/** For the payments feature: cash on delivery chosen, so the checkout's orders go to their sellers unpaid. */
export const markOrdersCashOnDelivery = (tx: Tx, checkoutId: number, now: Date) => markOrdersPaid(tx, checkoutId, now, 'cod');

/** For the payments feature: the courier's cash for a received cash-on-delivery order is the payment (once). */
export async function recordCashOnDeliveryPaid(tx: Tx, orderId: number, now: Date): Promise<void> {
  const moved = await tx.order.updateMany({ where: { id: orderId, paidAt: null, status: 'selesai' }, data: { paidAt: now } });
  if (moved.count !== 1) return;
  await tx.orderEvent.create({
    data: { orderId, fromStatus: 'selesai', toStatus: 'selesai', action: 'codPaid', actorId: null, note: null, createdAt: now },
  });
}

/** Applies a system transition to each order, each in its own transaction; one that someone else moved meanwhile is left alone. */
async function systemTransitions(orders: OrderForTransition[], action: 'expire' | 'complete', now: Date): Promise<number> {
  let moved = 0;
  for (const order of orders) {
    try {
      await afterCommit(order.id, await prisma.$transaction((tx) => applyTransition(tx, order, action, 'system', null, now), txOptions));
      moved += 1;
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
    }
  }
  return moved;
}

/**
 * Cancels every order of the workshop still unpaid after its payment window (`now` is the
 * workshop's time) and gives its stock back; one just paid meanwhile is left alone.
 */
export async function expireUnpaidOrders(now: Date, scope: { workshopId: number }): Promise<number> {
  const due = await prisma.order.findMany({
    where: { status: 'menunggu_pembayaran', paymentDueAt: { lte: now }, workshopId: scope.workshopId },
    select: transitionSelect,
    take: 500,
  });
  return systemTransitions(due, 'expire', now);
}

/**
 * Completes the workshop's shipped orders that the buyer has not confirmed AUTO_COMPLETE_AFTER_MS
 * after shipping (`now` is the workshop's time): the held money goes to the seller's available balance.
 */
export async function completeDeliveredOrders(now: Date, scope: { workshopId: number }): Promise<number> {
  const due = await prisma.order.findMany({
    where: { status: 'dikirim', shippedAt: { lte: new Date(now.getTime() - AUTO_COMPLETE_AFTER_MS) }, workshopId: scope.workshopId },
    select: transitionSelect,
    take: 500,
  });
  return systemTransitions(due, 'complete', now);
}

/** What the workshop's clock makes due: unpaid orders expire, delivered orders complete. */
export async function applyOrderDeadlines(now: Date, scope: { workshopId: number }): Promise<{ expired: number; completed: number }> {
  return { expired: await expireUnpaidOrders(now, scope), completed: await completeDeliveredOrders(now, scope) };
}

// ---------------------------------------------------------------- reading

const orderDetailSelect = {
  id: true,
  checkoutId: true,
  status: true,
  accepted: true,
  subtotal: true,
  shippingFee: true,
  total: true,
  courier: true,
  courierService: true,
  shipName: true,
  shipPhone: true,
  shipLine: true,
  shipCity: true,
  shipPostalCode: true,
  trackingNumber: true,
  cancelReason: true,
  cancelledBy: true,
  paymentDueAt: true,
  paidAt: true,
  shippedAt: true,
  completedAt: true,
  cancelledAt: true,
  createdAt: true,
  shop: { select: { id: true, name: true, city: true, ownerId: true } },
  buyer: { select: { id: true, displayName: true, username: true } },
  items: {
    orderBy: { id: 'asc' },
    select: {
      id: true,
      listingId: true,
      title: true,
      price: true,
      quantity: true,
      weightGrams: true,
      review: { select: { id: true, rating: true, text: true, reply: true, repliedAt: true, createdAt: true } },
    },
  },
  events: {
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      fromStatus: true,
      toStatus: true,
      action: true,
      note: true,
      createdAt: true,
      actor: { select: { displayName: true } },
    },
  },
  // For the payments partial: how it was paid, and money returned.
  checkout: { select: { paymentMethod: true } },
  refunds: { orderBy: { id: 'asc' }, select: { id: true, amount: true, status: true } },
} satisfies Prisma.OrderSelect;

const orderSummarySelect = {
  id: true,
  checkoutId: true,
  status: true,
  accepted: true,
  total: true,
  paymentDueAt: true,
  createdAt: true,
  shop: { select: { id: true, name: true } },
  buyer: { select: { displayName: true } },
  items: { orderBy: { id: 'asc' }, select: { title: true, quantity: true } },
  checkout: { select: { paymentMethod: true } },
} as const;

export async function listBuyerOrders(ctx: WorkshopCtx, now = workshopNow(ctx)) {
  await applyOrderDeadlines(now, { workshopId: ctx.workshopId });
  return prisma.order.findMany({
    where: { workshopId: ctx.workshopId, buyerId: ctx.userId },
    orderBy: { id: 'desc' },
    select: orderSummarySelect,
    take: 200,
  });
}

export async function getBuyerOrder(ctx: WorkshopCtx, orderId: number) {
  const order = await prisma.order.findFirst({
    where: { id: orderId, workshopId: ctx.workshopId, buyerId: ctx.userId },
    select: orderDetailSelect,
  });
  if (!order) throw new NotFoundError(`Order ${orderId} is not this buyer's`);
  return { ...order, actions: availableActions(order, 'buyer') };
}

async function findOwnShop(ctx: WorkshopCtx) {
  return prisma.shop.findUnique({
    where: { workshopId_ownerId: { workshopId: ctx.workshopId, ownerId: ctx.userId } },
    select: { id: true, name: true },
  });
}

export type SellerBalance = { held: number; available: number };

/**
 * The seller's money, derived from paid orders: held while not yet received, available after, less
 * what was withdrawn ("Tarik saldo", the withdrawals feature; processing or done). A cash-on-delivery
 * order counts once the buyer received it and paid the courier.
 */
export async function sellerBalance(shopId: number, db: Tx = prisma): Promise<SellerBalance> {
  const [sums, withdrawals] = await Promise.all([
    db.order.groupBy({
      by: ['status'],
      where: { shopId, status: { in: [...heldStatuses, 'selesai'] }, paidAt: { not: null } },
      _sum: { total: true },
    }),
    db.withdrawal.aggregate({ where: { shopId }, _sum: { amount: true } }),
  ]);
  const sumOf = (statuses: readonly string[]) =>
    sums.filter((s) => statuses.includes(s.status)).reduce((sum, s) => sum + (s._sum.total ?? 0), 0);
  return { held: sumOf(heldStatuses), available: sumOf(['selesai']) - (withdrawals._sum.amount ?? 0) };
}

export async function listSellerOrders(ctx: WorkshopCtx, status: string | undefined, now = workshopNow(ctx)) {
  const shop = await findOwnShop(ctx);
  if (!shop) return { shop: null, orders: [], counts: {} as Record<OrderStatus, number>, balance: { held: 0, available: 0 }, status: null };
  await applyOrderDeadlines(now, { workshopId: ctx.workshopId });
  const grouped = await prisma.order.groupBy({ by: ['status'], where: { shopId: shop.id }, _count: { _all: true } });
  const counts = Object.fromEntries(orderStatuses.map((s) => [s, grouped.find((g) => g.status === s)?._count._all ?? 0])) as Record<
    OrderStatus,
    number
  >;
  // Without a chosen tab, the list opens where there is something: "Diproses" (what to do now)
  // when it has orders, otherwise the first tab that has any.
  const tab: OrderStatus = isOrderStatus(status)
    ? status
    : counts.diproses
      ? 'diproses'
      : (orderStatuses.find((s) => counts[s] > 0) ?? 'diproses');
  const orders = await prisma.order.findMany({
    where: { shopId: shop.id, status: tab },
    orderBy: { id: 'desc' },
    select: orderSummarySelect,
    take: 200,
  });
  return { shop, orders, counts, balance: await sellerBalance(shop.id), status: tab };
}

export async function getSellerOrder(ctx: WorkshopCtx, orderId: number) {
  const order = await prisma.order.findFirst({
    where: { id: orderId, workshopId: ctx.workshopId, shop: { ownerId: ctx.userId } },
    select: orderDetailSelect,
  });
  if (!order) throw new NotFoundError(`Order ${orderId} is not this seller's`);
  return { ...order, actions: availableActions(order, 'seller') };
}
