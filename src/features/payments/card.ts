// Paying by card through Stripe Checkout (the payment sandbox by default). Orders become
// `diproses` only from verified payment data: a signed webhook whose ids match the payment row
// (webhook.ts), or a session the server retrieved itself (the return page, reconcile.ts).
//
// One open Checkout Session per checkout: the pending card payment holds the checkout's claim
// (Payment.openCardCheckoutId, unique), taken with the row before the session is created and
// released when the payment leaves `pending`. Two tabs pressing "Lanjut bayar" at once: one
// creates the session, the other waits for it and sends its buyer to the same page.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { config } from '../../config.js';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { getT, type Lang } from '../../i18n/index.js';
import { logger } from '../../logger.js';
import { markOrdersPaid } from '../orders/orders.service.js';
import { afterPaymentCommitted } from './after-payment.js';
import { bill, checkoutExists, closeOtherPayments, loadBuyerCheckout, txOptions, type Ctx, type LoadedCheckout } from './checkouts.js';
import { refundChargeOfGonePayment } from './gone-payments.js';
import { rebaseHostedUrl } from './hosted-url.js';
import {
  expireSessionQuietly,
  getStripe,
  isProviderDown,
  isUnknownToProvider,
  PaymentProviderDownError,
  paymentIntentIdOf,
  sandboxRebases,
  toSen,
} from './stripe-client.js';

/** Where the buyer's browser reached the app (its origin, PUBLIC_URL first; its hostname) and their language. */
export type ReturnInfo = { origin: string; hostname: string; lang: Lang };

/** What a card payment leaving `pending` writes besides its status: the checkout's claim goes. */
export const releaseClaim = { openCardCheckoutId: null } as const;

/** A card payment row whose session is being created holds this marker instead of a session id. */
const MARKER_PREFIX = 'pending:';
export const isMarker = (providerRef: string | null): boolean => !providerRef || providerRef.startsWith(MARKER_PREFIX);

/** How long a tab waits for the other tab's session before saying "Pembayaran sedang disiapkan". */
const SIBLING_WAIT_MS = 10_000;
/** Longer than a session create can take (the SDK's 20 s timeout, once retried): a marker older than this was left by a crash. */
const CREATE_DEADLINE_MS = 60_000;
/** Marker rows this process is creating a session for right now. */
const creating = new Set<number>();

/**
 * A marker row no request is working on: left by a crash (kill -9) between writing the row and
 * storing its session id. Nobody ever got that session's URL, so nothing can be paid on it. On
 * SQLite one app process owns the database, so a marker that is not this process's is dead; with
 * several instances (PostgreSQL) only one older than any create can take.
 */
export function isStaleMarker(row: { id: number; providerRef: string | null; createdAt: Date }, now = Date.now()): boolean {
  if (!isMarker(row.providerRef) || creating.has(row.id)) return false;
  return config.isSqlite || row.createdAt.getTime() < now - CREATE_DEADLINE_MS;
}

/** Removes marker rows left by a crash (at start, by the reconcile job, and when a buyer tries again). */
export async function recoverStaleCardPayments(now = Date.now()): Promise<number> {
  const markers = await prisma.payment.findMany({
    where: { method: 'card', status: 'pending', providerRef: { startsWith: MARKER_PREFIX } },
    select: { id: true, providerRef: true, createdAt: true },
  });
  const stale = markers.filter((row) => isStaleMarker(row, now)).map((row) => row.id);
  if (!stale.length) return 0;
  const { count } = await prisma.payment.deleteMany({ where: { id: { in: stale }, providerRef: { startsWith: MARKER_PREFIX } } });
  logger.warn({ paymentIds: stale }, 'card payments left unfinished by a crash removed');
  return count;
}

/** The card page's way back to the pay page carries this, so the pay page knows the checkout was real when it is gone. */
export function cardReturnSignature(workshopId: number, checkoutId: number): string {
  return createHmac('sha256', config.sessionSecret).update(`card-return:${workshopId}:${checkoutId}`).digest('hex').slice(0, 32);
}

export function isCardReturnSignature(workshopId: number, checkoutId: number, signature: string): boolean {
  const expected = Buffer.from(cardReturnSignature(workshopId, checkoutId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hostedUrlFor(session: Stripe.Checkout.Session, info: ReturnInfo): string {
  if (!session.url) throw new Error(`Session ${session.id} has no URL`);
  return sandboxRebases() ? rebaseHostedUrl(session.url, info.hostname) : session.url;
}

/** The session as the provider has it; null when the provider does not know it (it can never be paid). */
async function retrieveSession(sessionId: string, expand?: string[]): Promise<Stripe.Checkout.Session | null> {
  try {
    return await (await getStripe()).checkout.sessions.retrieve(sessionId, expand ? { expand } : undefined);
  } catch (error) {
    if (isProviderDown(error)) throw new PaymentProviderDownError();
    if (isUnknownToProvider(error)) return null;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * "Pay by card": sends the buyer to the checkout's open Checkout Session when it still bills the
 * same orders, otherwise opens one. Returns where to send the buyer: the hosted page, or the
 * return page when the session was already paid.
 */
export async function startCardPayment(ctx: Ctx, checkoutId: number, input: { idempotencyKey: string; info: ReturnInfo }): Promise<string> {
  const checkout = await loadBuyerCheckout(ctx, checkoutId);
  const due = bill(checkout);
  if (!due.due.length) throw new RefusedError('payments:errors.nothingToPay');
  const base = `${input.info.origin}/workshops/${ctx.workshopId}/checkouts/${checkoutId}`;
  const giveUpAt = Date.now() + SIBLING_WAIT_MS;

  for (;;) {
    const open = await prisma.payment.findUnique({
      where: { openCardCheckoutId: checkoutId },
      select: { id: true, amount: true, providerRef: true, createdAt: true },
    });
    if (!open) {
      const url = await openCardSession(ctx, checkout, due, base, input);
      if (url) return url;
    } else if (isMarker(open.providerRef)) {
      // Another tab (or a crashed request) holds the claim while it creates the session.
      if (isStaleMarker(open)) {
        await recoverStaleCardPayments();
        continue;
      }
    } else {
      const session = await retrieveSession(open.providerRef!);
      if (session?.status === 'complete') {
        await applyVerifiedSession(session);
        return `${base}/return?session_id=${encodeURIComponent(session.id)}`;
      }
      if (session?.status === 'open' && open.amount === due.amount && session.metadata?.orderIds === due.orderIds)
        return hostedUrlFor(session, input.info);
      // The bill changed (an order was cancelled) or the session ran out: close it, open another.
      if (session?.status === 'open') await expireSessionQuietly(session.id);
      await prisma.payment.updateMany({ where: { id: open.id, status: 'pending' }, data: { status: 'expired', ...releaseClaim } });
      continue;
    }
    if (Date.now() > giveUpAt) throw new RefusedError('payments:errors.tryAgain');
    await sleep(100);
  }
}

/** Takes the checkout's claim with a marker row, creates the session, stores its id. Null when another tab took the claim first. */
async function openCardSession(
  ctx: Ctx,
  checkout: LoadedCheckout,
  { due, amount, orderIds }: ReturnType<typeof bill>,
  base: string,
  input: { idempotencyKey: string; info: ReturnInfo },
): Promise<string | null> {
  const marker = `${MARKER_PREFIX}${checkout.id}:${input.idempotencyKey}`;
  let payment: { id: number };
  try {
    payment = await prisma.payment.create({
      data: {
        workshopId: ctx.workshopId,
        checkoutId: checkout.id,
        method: 'card',
        status: 'pending',
        amount,
        providerRef: marker,
        openCardCheckoutId: checkout.id,
      },
      select: { id: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  creating.add(payment.id);
  try {
    const t = getT(input.info.lang);
    const metadata = { checkoutId: String(checkout.id), workshopId: String(ctx.workshopId), paymentId: String(payment.id), orderIds };
    let session: Stripe.Checkout.Session;
    try {
      session = await (
        await getStripe()
      ).checkout.sessions.create(
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
          cancel_url: `${base}/pay?from=card&sig=${cardReturnSignature(ctx.workshopId, checkout.id)}`,
          client_reference_id: `checkout-${checkout.id}`,
          locale: input.info.lang,
          metadata,
          payment_intent_data: { metadata },
        },
        // One key per payment row: the SDK's own retry of this call cannot open a second session.
        { idempotencyKey: `pasarlatih-${ctx.workshopId}-${checkout.id}-${input.idempotencyKey}-${payment.id}` },
      );
    } catch (error) {
      await prisma.payment.delete({ where: { id: payment.id } });
      if (isProviderDown(error)) throw new PaymentProviderDownError();
      throw error;
    }
    const stored = await prisma.payment.updateMany({
      where: { id: payment.id, providerRef: marker },
      data: { providerRef: session.id, expiresAt: new Date(session.expires_at * 1000) },
    });
    if (stored.count !== 1) {
      // The row went meanwhile (a reset): nobody may pay this session.
      await expireSessionQuietly(session.id);
      throw new RefusedError('payments:errors.tryAgain');
    }
    return hostedUrlFor(session, input.info);
  } finally {
    creating.delete(payment.id);
  }
}

export type CardSuccess = {
  paymentId: number;
  sessionId: string;
  paymentIntentId: string | null;
  amountSen: number;
  currency: string;
  orderIds: string | undefined;
};

/** Does what the provider says was paid match what this payment row stored? Session, PaymentIntent, amount and currency. */
export function matchesPaymentRow(
  row: { method: string; providerRef: string | null; paymentIntentId: string | null; amount: number },
  paid: { sessionId: string; paymentIntentId: string | null; amountSen: number; currency: string },
): boolean {
  return (
    row.method === 'card' &&
    row.providerRef === paid.sessionId &&
    (row.paymentIntentId === null || row.paymentIntentId === paid.paymentIntentId) &&
    paid.currency === 'idr' &&
    paid.amountSen === toSen(row.amount)
  );
}

/**
 * A card payment verified by the provider (webhook or retrieve): the Payment succeeds once, its
 * checkout's orders are marked paid; orders it covered that can no longer be paid (cancelled,
 * expired, or already paid another way) get a pending refund. Returns the checkout touched.
 */
export async function applyCardSuccess(tx: Tx, input: CardSuccess, now: Date): Promise<number | null> {
  const payment = await tx.payment.findUnique({
    where: { id: input.paymentId },
    select: { id: true, checkoutId: true, method: true, amount: true, status: true, providerRef: true, paymentIntentId: true },
  });
  if (!payment) return null;
  if (!matchesPaymentRow(payment, input)) {
    logger.error(
      { paymentId: payment.id, sessionId: input.sessionId, amountSen: input.amountSen, currency: input.currency },
      'card payment does not match its payment row; not applied',
    );
    return null;
  }
  const moved = await tx.payment.updateMany({
    where: { id: payment.id, status: { notIn: ['succeeded', 'refunded'] } },
    data: {
      status: 'succeeded',
      paidAt: now,
      failureCode: null,
      ...releaseClaim,
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

/** A session retrieved from the provider by the server itself, applied like its webhook: to the payment row holding its id. */
export async function applyVerifiedSession(session: Stripe.Checkout.Session): Promise<void> {
  if (session.status !== 'complete' || session.payment_status !== 'paid') return;
  const payment = await prisma.payment.findUnique({ where: { providerRef: session.id }, select: { id: true } });
  if (!payment) return;
  const checkoutId = await prisma.$transaction(
    (tx) =>
      applyCardSuccess(
        tx,
        {
          paymentId: payment.id,
          sessionId: session.id,
          paymentIntentId: paymentIntentIdOf(session.payment_intent),
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

/** The last decline of a session's PaymentIntent (expanded), as the hosted page told the trainee. */
export function declineOf(session: Stripe.Checkout.Session): string | null {
  const pi = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  const error = pi?.last_payment_error;
  return error ? (error.decline_code ?? error.code ?? 'generic_decline') : null;
}

/** The checkout of a card return is gone: the tutor reset the market while its buyer was on the card page. */
export type MarketReset = { outcome: 'reset'; refunded: boolean };

/**
 * The return page: retrieves the session from the provider (never trusting the query alone)
 * and applies a completed payment the same idempotent way the webhook does. A checkout that a
 * reset removed meanwhile answers `reset` (its charge, if any, goes back).
 */
export async function reconcileReturn(
  ctx: Ctx,
  checkoutId: number,
  sessionId: string,
): Promise<(ReturnOutcome & { checkout: LoadedCheckout }) | MarketReset> {
  const checkout = await loadBuyerCheckout(ctx, checkoutId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
  if (!checkout) {
    if (await checkoutExists(checkoutId)) throw new NotFoundError(`Checkout ${checkoutId} is not this buyer's`);
    return returnAfterReset(ctx, checkoutId, sessionId);
  }
  const payment = await prisma.payment.findFirst({
    where: { checkoutId, providerRef: sessionId, method: 'card' },
    select: { id: true, status: true },
  });
  if (!payment) throw new NotFoundError(`Session ${sessionId} is not of checkout ${checkoutId}`);
  let session: Stripe.Checkout.Session;
  try {
    session = await (await getStripe()).checkout.sessions.retrieve(sessionId, { expand: ['payment_intent'] });
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
  const declineCode = declineOf(session);
  if (declineCode) return { outcome: 'declined', declineCode, checkout };
  return { outcome: 'open', declineCode: null, checkout };
}

/** The session says it was opened for this workshop's checkout, which no longer exists: a reset removed it. */
async function returnAfterReset(ctx: Ctx, checkoutId: number, sessionId: string): Promise<MarketReset> {
  // Without the provider nothing says this checkout ever existed: an id that names nothing is a
  // 404 (she cannot have come back from the card page of a provider that is down either).
  const session = await retrieveSession(sessionId).catch((error: unknown) => {
    if (error instanceof PaymentProviderDownError) throw new NotFoundError(`Checkout ${checkoutId}: provider down, nothing to show`);
    throw error;
  });
  if (!session) throw new NotFoundError(`No session ${sessionId}`);
  if (session.metadata?.workshopId !== String(ctx.workshopId) || session.metadata?.checkoutId !== String(checkoutId))
    throw new NotFoundError(`Session ${sessionId} is not of checkout ${checkoutId}`);
  if (session.status === 'open') await expireSessionQuietly(session.id);
  const paymentIntentId = paymentIntentIdOf(session.payment_intent);
  const refunded = session.payment_status === 'paid' && paymentIntentId !== null && (await refundChargeOfGonePayment(paymentIntentId));
  return { outcome: 'reset', refunded };
}

/**
 * Coming back from the card page without paying (its "back" link): the decline the trainee just
 * saw, read from the checkout's open session itself rather than waiting for its webhook.
 */
export async function declineOfOpenSession(checkoutId: number): Promise<string | null> {
  const open = await prisma.payment.findUnique({ where: { openCardCheckoutId: checkoutId }, select: { providerRef: true } });
  if (!open || isMarker(open.providerRef)) return null;
  try {
    const session = await (await getStripe()).checkout.sessions.retrieve(open.providerRef!, { expand: ['payment_intent'] });
    return session.status === 'open' ? declineOf(session) : null;
  } catch (error) {
    if (isProviderDown(error) || isUnknownToProvider(error)) return null;
    throw error;
  }
}
