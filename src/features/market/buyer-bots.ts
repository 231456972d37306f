// Demo buyers buy from trainees: once a trainee's shop has its first listing on sale, four demo
// buyers order from it one after the other (card, virtual account, QRIS, cash on delivery), so
// every seller practises accept → ship → balance → review reply. One buyer cancels before the
// parcel leaves, the others confirm receipt once she ships, and the card buyer leaves a review.
// Card payments go through the real path: a Checkout Session paid on the sandbox's hosted page
// (hosted-card.ts), marked paid by its webhook; VA and QRIS through the simulated bank and
// e-wallet; COD as COD.
import { config } from '../../config.js';
import { isUniqueViolation, prisma } from '../../db.js';
import type { DomainEvents } from '../../events.js';
import { placeOrders } from '../checkout/checkout.service.js';
import { buyerCancelOrder, buyerConfirmReceipt } from '../orders/orders.service.js';
import {
  chooseCod,
  payQris,
  payVirtualAccount,
  SIMULATED_PIN,
  startCardPayment,
  startQris,
  startVirtualAccount,
} from '../payments/payments.service.js';
import { createReview } from '../reviews/reviews.service.js';
import { demoBuyerList, demoBuyers } from '../sandbox/demo-accounts.js';
import { ensureDemoBuyer } from '../sandbox/demo-buyers.js';
import { enterWorkshop, type WorkshopCtx } from '../workshops/workshops.service.js';
import { afterBotDelay, botSettings, scheduleTask, type BotTaskRow } from './bot-tasks.js';
import { payOnHostedPage } from './hosted-card.js';
import type { TaskOutcome } from './outcomes.js';

export type PaymentChoice = 'card' | 'va' | 'qris' | 'cod';
export type FollowUp = 'review' | 'cancel' | 'confirm';

/** The orders every trainee's shop receives, in this order. */
export const demoPurchasePlan: readonly { buyer: string; method: PaymentChoice; follow: FollowUp }[] = [
  { buyer: demoBuyers.ayu.username, method: 'card', follow: 'review' },
  { buyer: demoBuyers.made.username, method: 'va', follow: 'cancel' },
  { buyer: demoBuyers.rina.username, method: 'qris', follow: 'confirm' },
  { buyer: demoBuyers.yoga.username, method: 'cod', follow: 'confirm' },
];

/** What the cancelling buyer writes: the seller reads it on the order. */
export const CANCEL_REASON = 'Maaf, saya salah pilih barang. Mohon dibatalkan ya, Kak.';

const reviewTexts = [
  'Barang sudah sampai, sesuai foto dan deskripsi. Pengiriman cepat, penjual ramah. Terima kasih!',
  'Kualitas bagus, dikemas rapi. Akan belanja lagi di sini.',
  'Sesuai pesanan, packing aman. Mantap, Kak!',
];

/** On listingCreated: a trainee's shop that has no demo orders planned gets its four. */
export async function planDemoPurchases({ workshopId, shopId }: DomainEvents['listingCreated']): Promise<void> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { isDemo: true } });
  if (!shop || shop.isDemo) return;
  if (await prisma.botTask.findFirst({ where: { shopId, kind: 'buyer.order' }, select: { id: true } })) return;
  const settings = await botSettings(prisma, workshopId);
  try {
    await prisma.$transaction(async (tx) => {
      let dueAt = settings.now;
      for (const [index, step] of demoPurchasePlan.entries()) {
        dueAt = afterBotDelay(settings, dueAt);
        await scheduleTask(tx, workshopId, { kind: 'buyer.order', key: `buyer.order:${shopId}:${index + 1}`, shopId, dueAt, ...step });
      }
    });
  } catch (error) {
    // Two first listings at once: the other one planned the orders.
    if (!isUniqueViolation(error)) throw error;
  }
}

async function demoBuyerCtx(task: BotTaskRow): Promise<{ ctx: WorkshopCtx; displayName: string }> {
  const buyer = demoBuyerList.find((b) => b.username === task.buyer);
  if (!buyer) throw new Error(`Task ${task.id} names no demo buyer`);
  const userId = await ensureDemoBuyer(task.workshopId, buyer.username);
  return { ctx: await enterWorkshop(userId, task.workshopId), displayName: buyer.displayName };
}

/** The shop's first listing that can be bought now, and how many to buy (its minimum order). */
async function listingToBuy(shopId: number) {
  const listings = await prisma.listing.findMany({
    where: { shopId, hidden: false, deletedAt: null, stock: { gt: 0 } },
    orderBy: { id: 'asc' },
    select: { id: true, stock: true, minOrder: true },
  });
  const listing = listings.find((l) => l.stock >= Math.max(1, l.minOrder));
  return listing ? { listingId: listing.id, quantity: Math.max(1, listing.minOrder) } : null;
}

/** The address the app gives itself for the card page's return links; the bot never follows them. */
function selfReturnInfo() {
  return { origin: config.publicUrl ?? `http://127.0.0.1:${config.port}`, hostname: '127.0.0.1', lang: 'id' as const };
}

async function pay(ctx: WorkshopCtx, checkoutId: number, method: PaymentChoice, idempotencyKey: string, cardholder: string) {
  switch (method) {
    case 'card': {
      const url = await startCardPayment(ctx, checkoutId, { idempotencyKey, info: selfReturnInfo() });
      await payOnHostedPage(url, cardholder);
      return;
    }
    case 'va': {
      const paymentId = await startVirtualAccount(ctx, checkoutId);
      const bill = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { vaNumber: true, amount: true } });
      await payVirtualAccount(ctx, { vaNumber: bill.vaNumber!, amount: bill.amount });
      return;
    }
    case 'qris': {
      const paymentId = await startQris(ctx, checkoutId);
      const bill = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { providerRef: true } });
      await payQris(ctx, { ref: bill.providerRef!, pin: SIMULATED_PIN });
      return;
    }
    case 'cod':
      await chooseCod(ctx, checkoutId);
  }
}

/**
 * A demo buyer orders from the trainee's shop and pays. The task's id is the checkout's
 * idempotency key and the order is written on the task before paying, so a repeat finds both.
 */
export async function orderAsDemoBuyer(task: BotTaskRow): Promise<TaskOutcome> {
  const item = await listingToBuy(task.shopId!);
  if (!item && !task.orderId) return { status: 'skipped', note: 'market:log.nothingToBuy' };
  const { ctx, displayName } = await demoBuyerCtx(task);
  let orderId = task.orderId;
  if (!orderId) {
    const { checkoutId } = await placeOrders(ctx, {
      idempotencyKey: `bot-task-${task.id}`,
      choices: { [task.shopId!]: 'jne-reg' },
      buyNow: item!,
    });
    orderId = (await prisma.order.findFirstOrThrow({ where: { checkoutId }, select: { id: true } })).id;
    await prisma.botTask.update({ where: { id: task.id }, data: { orderId } });
  }
  const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, checkoutId: true } });
  // Without the payment sandbox (real Stripe test mode) there is no page a bot may fill in: the virtual account stands in.
  const method = task.method === 'card' && !config.paymentSandbox.enabled ? 'va' : ((task.method ?? 'va') as PaymentChoice);
  if (order.status === 'menunggu_pembayaran') await pay(ctx, order.checkoutId, method, `bot-task-${task.id}`, displayName);
  if (task.follow === 'cancel') {
    const settings = await botSettings(prisma, task.workshopId);
    await scheduleTask(prisma, task.workshopId, {
      kind: 'buyer.cancel',
      key: `buyer.cancel:${orderId}`,
      shopId: task.shopId ?? undefined,
      orderId,
      buyer: task.buyer ?? undefined,
      dueAt: afterBotDelay(settings),
    });
  }
  return { status: 'done', note: method === task.method ? undefined : 'market:log.cardWithoutSandbox' };
}

/** The buyer who changed her mind cancels before the parcel leaves (a card payment may still be on its way: later). */
export async function cancelAsDemoBuyer(task: BotTaskRow): Promise<TaskOutcome> {
  const order = await prisma.order.findUniqueOrThrow({ where: { id: task.orderId! }, select: { status: true } });
  if (order.status === 'menunggu_pembayaran') return { status: 'later' };
  if (order.status !== 'diproses') return { status: 'skipped', note: 'market:log.tooLateToCancel' };
  const { ctx } = await demoBuyerCtx(task);
  await buyerCancelOrder(ctx, task.orderId!, CANCEL_REASON);
  return { status: 'done' };
}

/** On orderShipped, inside that transaction: an order a demo buyer placed will be confirmed on arrival. */
export async function scheduleDemoBuyerReceipt({ tx, orderId }: DomainEvents['orderShipped']): Promise<void> {
  const plan = await tx.botTask.findFirst({
    where: { orderId, kind: 'buyer.order' },
    select: { workshopId: true, shopId: true, buyer: true },
  });
  if (!plan) return;
  const settings = await botSettings(tx, plan.workshopId);
  await scheduleTask(tx, plan.workshopId, {
    kind: 'buyer.confirm',
    key: `buyer.confirm:${orderId}`,
    shopId: plan.shopId ?? undefined,
    orderId,
    buyer: plan.buyer ?? undefined,
    dueAt: afterBotDelay(settings),
  });
}

/** The parcel arrived: the demo buyer confirms receipt (unless the order completed by itself meanwhile). */
export async function confirmAsDemoBuyer(task: BotTaskRow): Promise<TaskOutcome> {
  const order = await prisma.order.findUniqueOrThrow({ where: { id: task.orderId! }, select: { status: true } });
  if (order.status !== 'dikirim') return { status: 'skipped', note: 'market:log.notShippedAnyMore' };
  const { ctx } = await demoBuyerCtx(task);
  await buyerConfirmReceipt(ctx, task.orderId!);
  return { status: 'done' };
}

/** On orderCompleted, inside that transaction: the demo buyer who reviews will write one. */
export async function scheduleDemoBuyerReview({ tx, orderId }: DomainEvents['orderCompleted']): Promise<void> {
  const plan = await tx.botTask.findFirst({
    where: { orderId, kind: 'buyer.order', follow: 'review' },
    select: { workshopId: true, shopId: true, buyer: true },
  });
  if (!plan) return;
  const settings = await botSettings(tx, plan.workshopId);
  await scheduleTask(tx, plan.workshopId, {
    kind: 'buyer.review',
    key: `buyer.review:${orderId}`,
    shopId: plan.shopId ?? undefined,
    orderId,
    buyer: plan.buyer ?? undefined,
    dueAt: afterBotDelay(settings),
  });
}

/** Five stars and a few warm words for each item not reviewed yet. */
export async function reviewAsDemoBuyer(task: BotTaskRow): Promise<TaskOutcome> {
  const items = await prisma.orderItem.findMany({ where: { orderId: task.orderId!, review: null }, select: { id: true } });
  if (!items.length) return { status: 'skipped', note: 'market:log.alreadyReviewed' };
  const { ctx } = await demoBuyerCtx(task);
  for (const item of items) {
    await createReview(ctx, task.orderId!, item.id, { rating: 5, text: reviewTexts[task.orderId! % reviewTexts.length]! });
  }
  return { status: 'done' };
}
