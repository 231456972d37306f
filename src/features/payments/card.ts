// Paying by card through Stripe Checkout (the payment sandbox by default). Orders become
// `diproses` only from verified payment data: a signed webhook (webhook.ts) or a session the
// server retrieved itself (the return page).
import Stripe from 'stripe';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { getT, type Lang } from '../../i18n/index.js';
import { logger } from '../../logger.js';
import { markOrdersPaid } from '../orders/orders.service.js';
import { afterPaymentCommitted } from './after-payment.js';
import { bill, closeOtherPayments, loadBuyerCheckout, txOptions, type Ctx, type LoadedCheckout } from './checkouts.js';
import { rebaseHostedUrl } from './hosted-url.js';
import { expireSessionQuietly, getStripe, isProviderDown, PaymentProviderDownError, sandboxRebases, toSen } from './stripe-client.js';

/** Where the buyer's browser reached the app (its origin, PUBLIC_URL first; its hostname) and their language. */
export type ReturnInfo = { origin: string; hostname: string; lang: Lang };

function hostedUrlFor(session: Stripe.Checkout.Session, info: ReturnInfo): string {
  if (!session.url) throw new Error(`Session ${session.id} has no URL`);
  return sandboxRebases() ? rebaseHostedUrl(session.url, info.hostname) : session.url;
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

export type CardSuccess = {
  paymentId: number;
  sessionId: string | null;
  paymentIntentId: string | null;
  amountSen: number;
  currency: string;
  orderIds: string | undefined;
};

export function metadataPaymentId(metadata: Stripe.Metadata | null | undefined): number | null {
  const id = Number(metadata?.paymentId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * A card payment verified by the provider (webhook or retrieve): the Payment succeeds once, its
 * checkout's orders are marked paid; orders it covered that can no longer be paid (cancelled,
 * expired, or already paid another way) get a pending refund. Returns the checkout touched.
 */
export async function applyCardSuccess(tx: Tx, input: CardSuccess, now: Date): Promise<number | null> {
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
