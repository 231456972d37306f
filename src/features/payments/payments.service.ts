// Paying for a checkout: card through Stripe Checkout (the sandbox by default), and the
// Indonesian methods simulated inside the app (virtual account, QRIS, cash on delivery).
// Orders become `diproses` only from verified payment data: a signed webhook or a session the
// server retrieved itself. Provider calls never run inside a database transaction: refunds are
// recorded `pending` in the transaction and sent to Stripe right after it commits.
import Stripe from 'stripe';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { AppError, NotFoundError, RefusedError, ValidationError } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { getT, type Lang } from '../../i18n/index.js';
import { randomString } from '../../lib/random.js';
import { logger } from '../../logger.js';
import { markOrdersPaid } from '../orders/orders.service.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';
import { rebaseHostedUrl } from './hosted-url.js';
import { getStripe, isProviderDown, sandboxRebases, toSen } from './stripe-client.js';

// Only the checkout's buyer (a trainee: only trainees place orders) finds it; anyone else gets a 404.
type Ctx = Pick<WorkshopCtx, 'workshopId' | 'userId' | 'role'>;

export type PaymentMethod = 'card' | 'va' | 'qris' | 'cod';

/** The payment server could not be reached: nothing was changed (the pay route shows a 503 page). */
export class PaymentProviderDownError extends AppError {
  constructor() {
    super('Payment provider unreachable', 'payments:errors.providerDown');
  }
}

const txOptions = { maxWait: 30_000, timeout: 30_000 };

// ---------------------------------------------------------------- reading

const checkoutSelect = {
  id: true,
  workshopId: true,
  buyerId: true,
  total: true,
  paymentMethod: true,
  orders: {
    orderBy: { id: 'asc' },
    select: { id: true, status: true, total: true, paymentDueAt: true, shop: { select: { id: true, name: true } } },
  },
} as const;

async function loadBuyerCheckout(ctx: Ctx, checkoutId: number, db: Tx = prisma) {
  const checkout = await db.checkout.findFirst({
    where: { id: checkoutId, workshopId: ctx.workshopId, buyerId: ctx.userId },
    select: checkoutSelect,
  });
  if (!checkout) throw new NotFoundError(`Checkout ${checkoutId} is not this buyer's`);
  return checkout;
}

type LoadedCheckout = Awaited<ReturnType<typeof loadBuyerCheckout>>;

/** The orders still awaiting payment and what they cost together. */
function bill(checkout: LoadedCheckout) {
  const due = checkout.orders.filter((o) => o.status === 'menunggu_pembayaran');
  const amount = due.reduce((sum, o) => sum + o.total, 0);
  const dueAt = due.reduce<Date | null>((min, o) => (!min || o.paymentDueAt < min ? o.paymentDueAt : min), null);
  return { due, amount, orderIds: due.map((o) => o.id).join(','), dueAt };
}

/** The pay page: what is due, the methods, and the payments made so far. */
export async function getPayPage(ctx: Ctx, checkoutId: number) {
  const checkout = await loadBuyerCheckout(ctx, checkoutId);
  const payments = await prisma.payment.findMany({
    where: { checkoutId },
    orderBy: { id: 'desc' },
    select: {
      id: true,
      method: true,
      status: true,
      amount: true,
      failureCode: true,
      vaNumber: true,
      providerRef: true,
      expiresAt: true,
      paidAt: true,
      createdAt: true,
      attempts: { orderBy: { id: 'desc' }, take: 1, select: { outcome: true, declineCode: true } },
      refunds: { select: { id: true, orderId: true, amount: true, status: true } },
    },
  });
  const lastCard = payments.find((p) => p.method === 'card');
  const lastDecline =
    lastCard && lastCard.status === 'pending' && lastCard.attempts[0]?.outcome === 'declined' ? lastCard.attempts[0].declineCode : null;
  return { checkout, ...bill(checkout), payments, lastDecline };
}

// ---------------------------------------------------------------- card

/** Where the buyer's browser reached the app (its origin, PUBLIC_URL first; its hostname) and their language. */
export type ReturnInfo = { origin: string; hostname: string; lang: Lang };

function hostedUrlFor(session: Stripe.Checkout.Session, info: ReturnInfo): string {
  if (!session.url) throw new Error(`Session ${session.id} has no URL`);
  return sandboxRebases() ? rebaseHostedUrl(session.url, info.hostname) : session.url;
}

async function expireSessionQuietly(sessionId: string): Promise<void> {
  try {
    await getStripe().checkout.sessions.expire(sessionId);
  } catch (error) {
    logger.warn({ err: error, sessionId }, 'could not expire a checkout session');
  }
}

/**
 * "Pay by card": reuses the checkout's open Checkout Session when it still bills the same
 * orders, otherwise creates one (the form's key makes a double click create one session).
 * Returns where to send the buyer: the hosted page, or the return page when already paid.
 */
export async function startCardPayment(ctx: Ctx, checkoutId: number, input: { idempotencyKey: string; info: ReturnInfo }): Promise<string> {
  const checkout = await loadBuyerCheckout(ctx, checkoutId);
  const { due, amount, orderIds } = bill(checkout);
  if (!due.length) throw new RefusedError('payments:errors.nothingToPay');
  const base = `${input.info.origin}/workshops/${ctx.workshopId}/checkouts/${checkoutId}`;
  const stripe = getStripe();

  const pendingCards = await prisma.payment.findMany({
    where: { checkoutId, method: 'card', status: 'pending' },
    orderBy: { id: 'desc' },
    select: { id: true, amount: true, providerRef: true },
  });
  for (const open of pendingCards) {
    if (!open.providerRef || open.providerRef.startsWith('pending:')) continue;
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.retrieve(open.providerRef);
    } catch (error) {
      if (isProviderDown(error)) throw new PaymentProviderDownError();
      throw error;
    }
    if (session.status === 'complete') {
      await applyVerifiedSession(session);
      return `${base}/return?session_id=${encodeURIComponent(session.id)}`;
    }
    if (session.status === 'open' && open.amount === amount && session.metadata?.orderIds === orderIds)
      return hostedUrlFor(session, input.info);
    if (session.status === 'open') await expireSessionQuietly(session.id);
    await prisma.payment.updateMany({ where: { id: open.id, status: 'pending' }, data: { status: 'expired' } });
  }

  const marker = `pending:${checkoutId}:${input.idempotencyKey}`;
  let payment: { id: number };
  try {
    payment = await prisma.payment.create({
      data: { workshopId: ctx.workshopId, checkoutId, method: 'card', status: 'pending', amount, providerRef: marker },
      select: { id: true },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The other click of a double click is creating this very session: wait for it.
    return waitForSiblingSession(checkoutId, marker, input.info);
  }

  const t = getT(input.info.lang);
  const metadata = { checkoutId: String(checkoutId), workshopId: String(ctx.workshopId), paymentId: String(payment.id), orderIds };
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: due.map((order) => ({
          price_data: {
            currency: 'idr',
            unit_amount: toSen(order.total),
            product_data: { name: t('payments:card.lineItem', { id: order.id, shop: order.shop.name }) },
          },
          quantity: 1,
        })),
        success_url: `${base}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${base}/pay`,
        client_reference_id: `checkout-${checkoutId}`,
        locale: input.info.lang,
        metadata,
        payment_intent_data: { metadata },
      },
      { idempotencyKey: `pasarlatih-${ctx.workshopId}-${checkoutId}-${input.idempotencyKey}` },
    );
  } catch (error) {
    await prisma.payment.delete({ where: { id: payment.id } });
    if (isProviderDown(error)) throw new PaymentProviderDownError();
    throw error;
  }
  try {
    await prisma.payment.update({
      where: { id: payment.id },
      data: { providerRef: session.id, expiresAt: new Date(session.expires_at * 1000) },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await prisma.payment.delete({ where: { id: payment.id } });
  }
  return hostedUrlFor(session, input.info);
}

/** The other click of a double click holds the marker while it creates the session: wait, then use that session. */
async function waitForSiblingSession(checkoutId: number, marker: string, info: ReturnInfo): Promise<string> {
  for (let i = 0; i < 100; i++) {
    if (!(await prisma.payment.findUnique({ where: { providerRef: marker }, select: { id: true } }))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const latest = await prisma.payment.findFirst({
    where: { checkoutId, method: 'card', status: 'pending', NOT: { providerRef: { startsWith: 'pending:' } } },
    orderBy: { id: 'desc' },
    select: { providerRef: true },
  });
  if (!latest?.providerRef) throw new RefusedError('payments:errors.tryAgain');
  try {
    return hostedUrlFor(await getStripe().checkout.sessions.retrieve(latest.providerRef), info);
  } catch (error) {
    if (isProviderDown(error)) throw new PaymentProviderDownError();
    throw error;
  }
}

type CardSuccess = {
  paymentId: number;
  sessionId: string | null;
  paymentIntentId: string | null;
  amountSen: number;
  currency: string;
  orderIds: string | undefined;
};

function metadataPaymentId(metadata: Stripe.Metadata | null | undefined): number | null {
  const id = Number(metadata?.paymentId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * A card payment verified by the provider (webhook or retrieve): the Payment succeeds once, its
 * checkout's orders are marked paid; orders it covered that can no longer be paid (cancelled,
 * expired, or already paid another way) get a pending refund. Returns the checkout touched.
 */
async function applyCardSuccess(tx: Tx, input: CardSuccess, now: Date): Promise<number | null> {
  const payment = await tx.payment.findUnique({
    where: { id: input.paymentId },
    select: { id: true, checkoutId: true, method: true, amount: true, status: true, providerRef: true },
  });
  if (!payment || payment.method !== 'card') return null;
  if (input.sessionId && payment.providerRef !== input.sessionId) return null;
  if (input.currency !== 'idr' || input.amountSen !== toSen(payment.amount)) {
    logger.error(
      { paymentId: payment.id, amountSen: input.amountSen, currency: input.currency },
      'card payment amount does not match the bill; not applied',
    );
    return null;
  }
  const moved = await tx.payment.updateMany({
    where: { id: payment.id, status: { notIn: ['succeeded', 'refunded'] } },
    data: {
      status: 'succeeded',
      paidAt: now,
      failureCode: null,
      ...(input.paymentIntentId ? { paymentIntentId: input.paymentIntentId } : {}),
    },
  });
  if (moved.count !== 1) {
    if (input.paymentIntentId)
      await tx.payment.updateMany({ where: { id: payment.id, paymentIntentId: null }, data: { paymentIntentId: input.paymentIntentId } });
    return null;
  }
  await tx.paymentAttempt.create({ data: { paymentId: payment.id, outcome: 'succeeded', createdAt: now } });
  await tx.checkout.update({ where: { id: payment.checkoutId }, data: { paymentMethod: 'card' } });
  const { skippedOrderIds } = await markOrdersPaid(tx, payment.checkoutId, now);
  const covered = new Set((input.orderIds ?? '').split(',').filter(Boolean).map(Number));
  const refundIds = skippedOrderIds.filter((id) => covered.has(id));
  if (refundIds.length) {
    const orders = await tx.order.findMany({ where: { id: { in: refundIds } }, select: { id: true, total: true } });
    for (const order of orders)
      await tx.refund.create({ data: { paymentId: payment.id, orderId: order.id, amount: order.total, status: 'pending' } });
    if (refundIds.length === covered.size) await tx.payment.update({ where: { id: payment.id }, data: { status: 'refunded' } });
  }
  await closeOtherPayments(tx, payment.checkoutId, payment.id);
  return payment.checkoutId;
}

/** Once a checkout is paid, its other simulated bills can no longer be paid. */
async function closeOtherPayments(tx: Tx, checkoutId: number, paidId: number): Promise<void> {
  const awaiting = await tx.order.count({ where: { checkoutId, status: 'menunggu_pembayaran' } });
  if (awaiting) return;
  await tx.payment.updateMany({
    where: { checkoutId, id: { not: paidId }, status: 'pending', method: { in: ['va', 'qris'] } },
    data: { status: 'cancelled' },
  });
}

/** A session retrieved from the provider by the server itself, applied like its webhook. */
async function applyVerifiedSession(session: Stripe.Checkout.Session): Promise<void> {
  if (session.status !== 'complete' || session.payment_status !== 'paid') return;
  const paymentId = metadataPaymentId(session.metadata);
  if (!paymentId) return;
  const piId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  const checkoutId = await prisma.$transaction(
    (tx) =>
      applyCardSuccess(
        tx,
        {
          paymentId,
          sessionId: session.id,
          paymentIntentId: piId,
          amountSen: session.amount_total ?? -1,
          currency: session.currency ?? '',
          orderIds: session.metadata?.orderIds,
        },
        new Date(),
      ),
    txOptions,
  );
  if (checkoutId) await afterPaymentCommitted(checkoutId);
}

/** After a payment committed: send pending refunds and close the checkout's other open sessions. */
export async function afterPaymentCommitted(checkoutId: number): Promise<void> {
  try {
    await settlePendingRefunds({ checkoutId });
    const awaiting = await prisma.order.count({ where: { checkoutId, status: 'menunggu_pembayaran' } });
    if (awaiting) return;
    const open = await prisma.payment.findMany({
      where: { checkoutId, method: 'card', status: 'pending' },
      select: { id: true, providerRef: true },
    });
    for (const p of open) {
      if (!p.providerRef || p.providerRef.startsWith('pending:')) continue;
      await expireSessionQuietly(p.providerRef);
    }
  } catch (error) {
    logger.warn({ err: error, checkoutId }, 'after-payment work failed; the job retries');
  }
}

export type ReturnOutcome = { outcome: 'paid' | 'declined' | 'open' | 'expired' | 'unknown'; declineCode: string | null };

/**
 * The return page: retrieves the session from the provider (never trusting the query alone)
 * and applies a completed payment the same idempotent way the webhook does.
 */
export async function reconcileReturn(
  ctx: Ctx,
  checkoutId: number,
  sessionId: string,
): Promise<ReturnOutcome & { checkout: LoadedCheckout }> {
  const checkout = await loadBuyerCheckout(ctx, checkoutId);
  const payment = await prisma.payment.findFirst({
    where: { checkoutId, providerRef: sessionId, method: 'card' },
    select: { id: true, status: true },
  });
  if (!payment) throw new NotFoundError(`Session ${sessionId} is not of checkout ${checkoutId}`);
  let session: Stripe.Checkout.Session;
  try {
    session = await getStripe().checkout.sessions.retrieve(sessionId, { expand: ['payment_intent'] });
  } catch (error) {
    if (!isProviderDown(error)) throw error;
    const paid = payment.status === 'succeeded' || payment.status === 'refunded';
    return { outcome: paid ? 'paid' : 'unknown', declineCode: null, checkout };
  }
  if (session.status === 'complete' && session.payment_status === 'paid') {
    await applyVerifiedSession(session);
    return { outcome: 'paid', declineCode: null, checkout: await loadBuyerCheckout(ctx, checkoutId) };
  }
  if (session.status === 'expired') return { outcome: 'expired', declineCode: null, checkout };
  const pi = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  const error = pi?.last_payment_error;
  if (error) return { outcome: 'declined', declineCode: error.decline_code ?? error.code ?? 'generic_decline', checkout };
  return { outcome: 'open', declineCode: null, checkout };
}

// ---------------------------------------------------------------- webhook

/** Applies one verified event once: its id is stored in the same transaction as its effect. */
export async function applyStripeEvent(event: Stripe.Event, now = new Date()): Promise<'applied' | 'duplicate' | 'ignored'> {
  let checkoutId: number | null = null;
  let outcome: 'applied' | 'duplicate' | 'ignored';
  try {
    outcome = await prisma.$transaction(async (tx) => {
      if (await tx.webhookEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return 'duplicate' as const;
      await tx.webhookEvent.create({ data: { id: event.id, type: event.type, receivedAt: now } });
      checkoutId = await applyEventEffect(tx, event, now);
      return checkoutId === null ? ('ignored' as const) : ('applied' as const);
    }, txOptions);
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
  if (checkoutId !== null) await afterPaymentCommitted(checkoutId);
  return outcome;
}

async function applyEventEffect(tx: Tx, event: Stripe.Event, now: Date): Promise<number | null> {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const paymentId = metadataPaymentId(session.metadata);
      if (!paymentId || session.payment_status !== 'paid') return null;
      const piId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
      return applyCardSuccess(
        tx,
        {
          paymentId,
          sessionId: session.id,
          paymentIntentId: piId,
          amountSen: session.amount_total ?? -1,
          currency: session.currency ?? '',
          orderIds: session.metadata?.orderIds,
        },
        now,
      );
    }
    case 'payment_intent.succeeded': {
      const pi = event.data.object;
      const paymentId = metadataPaymentId(pi.metadata);
      if (!paymentId) return null;
      return applyCardSuccess(
        tx,
        {
          paymentId,
          sessionId: null,
          paymentIntentId: pi.id,
          amountSen: pi.amount_received || pi.amount,
          currency: pi.currency,
          orderIds: pi.metadata.orderIds,
        },
        now,
      );
    }
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      const paymentId = metadataPaymentId(pi.metadata);
      if (!paymentId) return null;
      const payment = await tx.payment.findUnique({ where: { id: paymentId }, select: { id: true, method: true, checkoutId: true } });
      if (!payment || payment.method !== 'card') return null;
      const code = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? 'generic_decline';
      await tx.paymentAttempt.create({ data: { paymentId: payment.id, outcome: 'declined', declineCode: code, createdAt: now } });
      await tx.payment.update({ where: { id: payment.id }, data: { failureCode: code, paymentIntentId: pi.id } });
      return payment.checkoutId;
    }
    case 'checkout.session.expired': {
      const session = event.data.object;
      const expired = await tx.payment.findFirst({
        where: { providerRef: session.id, method: 'card' },
        select: { id: true, checkoutId: true },
      });
      if (!expired) return null;
      await tx.payment.updateMany({ where: { id: expired.id, status: 'pending' }, data: { status: 'expired' } });
      return expired.checkoutId;
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const piId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
      if (!piId) return null;
      const payment = await tx.payment.findFirst({
        where: { paymentIntentId: piId, method: 'card' },
        select: { id: true, checkoutId: true },
      });
      if (!payment) return null;
      const known = new Set((charge.refunds?.data ?? []).map((r) => r.id));
      const pending = await tx.refund.findMany({
        where: { paymentId: payment.id, status: 'pending', providerRef: { not: null } },
        select: { id: true, providerRef: true },
      });
      for (const refund of pending) if (!known.size || known.has(refund.providerRef!)) await markRefundSucceeded(tx, refund.id, now);
      return payment.checkoutId;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------- refunds

async function markRefundSucceeded(tx: Tx, refundId: number, now: Date, providerRef?: string): Promise<void> {
  const moved = await tx.refund.updateMany({
    where: { id: refundId, status: 'pending' },
    data: { status: 'succeeded', ...(providerRef ? { providerRef } : {}) },
  });
  if (moved.count !== 1) return;
  const refund = await tx.refund.findUniqueOrThrow({
    where: { id: refundId },
    select: { orderId: true, amount: true, order: { select: { status: true } } },
  });
  // "Dana dikembalikan" on the order's timeline (a duplicate payment of a live order is shown on the pay page).
  if (refund.order.status === 'dibatalkan') {
    await tx.orderEvent.create({
      data: { orderId: refund.orderId, fromStatus: 'dibatalkan', toStatus: 'dibatalkan', action: 'refund', note: null, createdAt: now },
    });
  }
}

/**
 * On orderCancelled, inside that transaction, for an order that was paid. Card: a pending
 * Refund, sent to Stripe after the commit. VA/QRIS: refunded at once (simulated). COD: nothing
 * was paid; the COD payment is settled.
 */
export async function refundCancelledOrder({ tx, orderId, wasPaid }: DomainEvents['orderCancelled']): Promise<void> {
  if (!wasPaid) return;
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { id: true, total: true, checkoutId: true } });
  const payment = await tx.payment.findFirst({
    where: { checkoutId: order.checkoutId, status: 'succeeded', method: { in: ['card', 'va', 'qris'] } },
    orderBy: [{ paidAt: 'asc' }, { id: 'asc' }],
    select: { id: true, method: true },
  });
  if (!payment) {
    await settleCod(tx, order.checkoutId);
    return;
  }
  if (await tx.refund.findFirst({ where: { orderId, paymentId: payment.id }, select: { id: true } })) return;
  const now = new Date();
  const refund = await tx.refund.create({
    data: { paymentId: payment.id, orderId, amount: order.total, status: 'pending', createdAt: now },
  });
  if (payment.method !== 'card') await markRefundSucceeded(tx, refund.id, now, `SIM-RF-${refund.id}-${randomDigits(6)}`);
}

/** On orderCancelledCommitted: send the cancelled order's card refund now (the job retries if the provider is down). */
export async function sendRefundOfCancelledOrder({ orderId }: DomainEvents['orderCancelledCommitted']): Promise<void> {
  try {
    await settlePendingRefunds({ orderId });
  } catch (error) {
    logger.warn({ err: error, orderId }, 'refund not sent yet; the job retries');
  }
}

/** Sends pending card refunds to the provider (idempotent per payment and order). */
export async function settlePendingRefunds(scope: { orderId?: number; checkoutId?: number } = {}): Promise<number> {
  const pending = await prisma.refund.findMany({
    where: {
      status: 'pending',
      providerRef: null,
      payment: { method: 'card', ...(scope.checkoutId ? { checkoutId: scope.checkoutId } : {}) },
      ...(scope.orderId ? { orderId: scope.orderId } : {}),
    },
    select: { id: true, orderId: true, amount: true, payment: { select: { id: true, paymentIntentId: true, providerRef: true } } },
    take: 50,
  });
  let sent = 0;
  for (const r of pending) {
    let pi = r.payment.paymentIntentId;
    if (!pi && r.payment.providerRef?.startsWith('cs_')) {
      const session = await getStripe().checkout.sessions.retrieve(r.payment.providerRef);
      pi = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
      if (pi) await prisma.payment.update({ where: { id: r.payment.id }, data: { paymentIntentId: pi } });
    }
    if (!pi) continue;
    const refund = await getStripe().refunds.create(
      { payment_intent: pi, amount: toSen(r.amount), metadata: { refundId: String(r.id), orderId: String(r.orderId) } },
      { idempotencyKey: `pasarlatih-refund-${pi}-order-${r.orderId}` },
    );
    await prisma.$transaction(async (tx) => {
      await tx.refund.updateMany({ where: { id: r.id, providerRef: null }, data: { providerRef: refund.id } });
      if (refund.status === 'succeeded') await markRefundSucceeded(tx, r.id, new Date());
    }, txOptions);
    sent += 1;
  }
  return sent;
}

// ---------------------------------------------------------------- virtual account and QRIS (simulated)

const randomDigits = (n: number) => randomString('0123456789', n);

/** Bank code prefix 8808 (the sandbox "Bank Latihan") and 12 digits. */
export function newVaNumber(): string {
  return `8808${randomDigits(12)}`;
}

export function formatVaNumber(va: string): string {
  return va.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const SIM_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newQrisRef(): string {
  return `QRIS-${randomString(SIM_CHARS, 10)}`;
}

/** The PIN of the simulated e-wallet, shown on its page (a real PIN is never typed anywhere but the wallet app). */
export const SIMULATED_PIN = '123456';

async function startSimulatedBill(ctx: Ctx, checkoutId: number, method: 'va' | 'qris', now: Date): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const checkout = await loadBuyerCheckout(ctx, checkoutId, tx);
    const { due, amount, dueAt } = bill(checkout);
    if (!due.length) throw new RefusedError('payments:errors.nothingToPay');
    const existing = await tx.payment.findFirst({
      where: { checkoutId, method, status: 'pending' },
      orderBy: { id: 'desc' },
      select: { id: true, amount: true, expiresAt: true },
    });
    if (existing && existing.amount === amount && (!existing.expiresAt || existing.expiresAt > now)) return existing.id;
    if (existing) await tx.payment.update({ where: { id: existing.id }, data: { status: 'cancelled' } });
    const ref = method === 'va' ? newVaNumber() : newQrisRef();
    const payment = await tx.payment.create({
      data: {
        workshopId: ctx.workshopId,
        checkoutId,
        method,
        status: 'pending',
        amount,
        providerRef: ref,
        vaNumber: method === 'va' ? ref : null,
        expiresAt: dueAt,
        createdAt: now,
      },
      select: { id: true },
    });
    return payment.id;
  }, txOptions);
}

export const startVirtualAccount = (ctx: Ctx, checkoutId: number, now = new Date()) => startSimulatedBill(ctx, checkoutId, 'va', now);
export const startQris = (ctx: Ctx, checkoutId: number, now = new Date()) => startSimulatedBill(ctx, checkoutId, 'qris', now);

/** The latest open bill of this method for the buyer's checkout (VA or QRIS page). */
export async function getSimulatedBill(ctx: Ctx, checkoutId: number, method: 'va' | 'qris') {
  const checkout = await loadBuyerCheckout(ctx, checkoutId);
  const payment = await prisma.payment.findFirst({
    where: { checkoutId, method },
    orderBy: { id: 'desc' },
    select: { id: true, status: true, amount: true, providerRef: true, vaNumber: true, expiresAt: true, paidAt: true },
  });
  if (!payment) throw new NotFoundError(`No ${method} bill for checkout ${checkoutId}`);
  return { checkout, payment };
}

/** A bill the signed-in buyer may pay in the simulated bank / wallet (someone else's is "unknown"). */
async function findOwnBill(tx: Tx, ctx: Ctx, method: 'va' | 'qris', ref: string) {
  return tx.payment.findFirst({
    where: { providerRef: ref, method, workshopId: ctx.workshopId, checkout: { buyerId: ctx.userId } },
    select: {
      id: true,
      checkoutId: true,
      amount: true,
      status: true,
      expiresAt: true,
      checkout: { select: { orders: { select: { id: true, status: true, total: true } } } },
    },
  });
}

async function paySimulated(
  tx: Tx,
  bill: NonNullable<Awaited<ReturnType<typeof findOwnBill>>>,
  method: 'va' | 'qris',
  now: Date,
  field: string,
): Promise<{ id: number; checkoutId: number }> {
  if (bill.status === 'succeeded') throw new ValidationError({ [field]: 'payments:sim.alreadyPaid' });
  if (bill.status !== 'pending' || (bill.expiresAt && bill.expiresAt <= now))
    throw new ValidationError({ [field]: 'payments:sim.expired' });
  const due = bill.checkout.orders.filter((o) => o.status === 'menunggu_pembayaran');
  const dueAmount = due.reduce((s, o) => s + o.total, 0);
  if (!due.length) throw new ValidationError({ [field]: 'payments:sim.nothingDue' });
  if (dueAmount !== bill.amount) throw new ValidationError({ [field]: 'payments:sim.billChanged' });
  const moved = await tx.payment.updateMany({ where: { id: bill.id, status: 'pending' }, data: { status: 'succeeded', paidAt: now } });
  if (moved.count !== 1) throw new ValidationError({ [field]: 'payments:sim.alreadyPaid' });
  await tx.checkout.update({ where: { id: bill.checkoutId }, data: { paymentMethod: method } });
  await markOrdersPaid(tx, bill.checkoutId, now);
  await closeOtherPayments(tx, bill.checkoutId, bill.id);
  return { id: bill.id, checkoutId: bill.checkoutId };
}

/** The simulated mobile banking: the VA number and the exact amount, or a refusal. */
export async function payVirtualAccount(ctx: Ctx, input: { vaNumber: string; amount: number }, now = new Date()): Promise<number> {
  const paid = await prisma.$transaction(async (tx) => {
    const bill = await findOwnBill(tx, ctx, 'va', input.vaNumber);
    if (!bill) throw new ValidationError({ vaNumber: 'payments:mbanking.unknownVa' });
    if (bill.status === 'pending' && input.amount !== bill.amount) throw new ValidationError({ amount: 'payments:mbanking.wrongAmount' });
    return paySimulated(tx, bill, 'va', now, 'vaNumber');
  }, txOptions);
  await afterPaymentCommitted(paid.checkoutId);
  return paid.id;
}

/** The shops a simulated bill or receipt pays, each once. */
const shopNames = (orders: { shop: { name: string } }[]) => [...new Set(orders.map((o) => o.shop.name))];

/** The simulated e-wallet: what the QR code asks for. */
export async function getQrisBill(ctx: Ctx, ref: string) {
  const bill = await prisma.payment.findFirst({
    where: { providerRef: ref, method: 'qris', workshopId: ctx.workshopId, checkout: { buyerId: ctx.userId } },
    select: {
      id: true,
      amount: true,
      status: true,
      expiresAt: true,
      providerRef: true,
      checkoutId: true,
      checkout: { select: { orders: { select: { shop: { select: { name: true } } } } } },
    },
  });
  if (!bill) throw new NotFoundError(`QRIS ${ref} is not this buyer's`);
  return { ...bill, merchants: shopNames(bill.checkout.orders) };
}

export async function payQris(ctx: Ctx, input: { ref: string; pin: string }, now = new Date()): Promise<number> {
  const paid = await prisma.$transaction(async (tx) => {
    const bill = await findOwnBill(tx, ctx, 'qris', input.ref);
    if (!bill) throw new NotFoundError(`QRIS ${input.ref} is not this buyer's`);
    if (input.pin !== SIMULATED_PIN) throw new ValidationError({ pin: 'payments:ewallet.wrongPin' });
    return paySimulated(tx, bill, 'qris', now, 'pin');
  }, txOptions);
  await afterPaymentCommitted(paid.checkoutId);
  return paid.id;
}

/** A receipt of a simulated payment (stamped SIMULASI), for the checkout's buyer. */
export async function getReceipt(ctx: Ctx, paymentId: number) {
  const payment = await prisma.payment.findFirst({
    where: {
      id: paymentId,
      workshopId: ctx.workshopId,
      checkout: { buyerId: ctx.userId },
      status: 'succeeded',
      method: { in: ['va', 'qris', 'cod'] },
    },
    select: {
      id: true,
      method: true,
      amount: true,
      providerRef: true,
      vaNumber: true,
      paidAt: true,
      checkoutId: true,
      checkout: { select: { buyer: { select: { displayName: true } }, orders: { select: { shop: { select: { name: true } } } } } },
    },
  });
  if (!payment) throw new NotFoundError(`Receipt ${paymentId} is not this buyer's`);
  return { ...payment, merchants: shopNames(payment.checkout.orders) };
}

// ---------------------------------------------------------------- cash on delivery

/** COD: the orders go to the seller at once; the payment is recorded when the buyer receives them. */
export async function chooseCod(ctx: Ctx, checkoutId: number, now = new Date()): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const checkout = await loadBuyerCheckout(ctx, checkoutId, tx);
    const { due, amount } = bill(checkout);
    if (!due.length) throw new RefusedError('payments:errors.nothingToPay');
    await tx.payment.create({ data: { workshopId: ctx.workshopId, checkoutId, method: 'cod', status: 'pending', amount, createdAt: now } });
    await tx.checkout.update({ where: { id: checkoutId }, data: { paymentMethod: 'cod' } });
    await markOrdersPaid(tx, checkoutId, now);
    await tx.payment.updateMany({
      where: { checkoutId, status: 'pending', method: { in: ['va', 'qris'] } },
      data: { status: 'cancelled' },
    });
  }, txOptions);
  await afterPaymentCommitted(checkoutId);
}

/** A COD payment is paid once every order still alive was received; cancelled when none is left. */
async function settleCod(tx: Tx, checkoutId: number): Promise<void> {
  const cod = await tx.payment.findFirst({ where: { checkoutId, method: 'cod', status: 'pending' }, select: { id: true } });
  if (!cod) return;
  const orders = await tx.order.findMany({ where: { checkoutId }, select: { status: true, total: true } });
  const alive = orders.filter((o) => o.status !== 'dibatalkan');
  if (!alive.length) {
    await tx.payment.update({ where: { id: cod.id }, data: { status: 'cancelled' } });
    return;
  }
  if (alive.every((o) => o.status === 'selesai')) {
    await tx.payment.update({
      where: { id: cod.id },
      data: { status: 'succeeded', paidAt: new Date(), amount: alive.reduce((s, o) => s + o.total, 0) },
    });
  }
}

/** On orderCompleted: the buyer received an order, which may settle a cash-on-delivery payment. */
export async function settleCodOnReceipt({ tx, orderId }: DomainEvents['orderCompleted']): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { checkoutId: true } });
  await settleCod(tx, order.checkoutId);
}

// ---------------------------------------------------------------- background work

/** Sends the refunds the provider did not get; a provider still down is no failure, the next run tries again. */
export async function retryPendingRefunds(): Promise<void> {
  try {
    await settlePendingRefunds();
  } catch (error) {
    if (!isProviderDown(error)) throw error;
  }
}
