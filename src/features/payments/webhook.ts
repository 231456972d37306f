// The provider's signed events (checkout completed or expired, payment succeeded or failed, charge
// refunded), each applied once, and only when its object ids match what the payment row stored:
// a valid signature proves who sent an event, not which payment it is about. The metadata's
// payment id is only a hint; the session id, the PaymentIntent id (checked against the session
// the server retrieves itself when the row has none yet), the amount and the currency must agree.
import type Stripe from 'stripe';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { logger } from '../../logger.js';
import { afterPaymentCommitted } from './after-payment.js';
import { applyCardSuccess, isMarker, matchesPaymentRow, releaseClaim, type CardSuccess } from './card.js';
import { txOptions } from './checkouts.js';
import { refundChargeOfGonePayment } from './gone-payments.js';
import { markRefundSucceeded } from './refunds.js';
import { getStripe, isUnknownToProvider, metadataPaymentId, paymentIntentIdOf, toSen } from './stripe-client.js';

/** What a verified event does, decided before the transaction (the provider calls happen there). */
type Effect =
  | { kind: 'cardSuccess'; success: CardSuccess }
  | { kind: 'declined'; paymentId: number; paymentIntentId: string; code: string }
  | { kind: 'sessionExpired'; paymentId: number; sessionId: string }
  | { kind: 'refundsSucceeded'; refundIds: number[] }
  | { kind: 'threeDSecure'; paymentId: number }
  | { kind: 'none' };

const none: Effect = { kind: 'none' };

/** Applies one verified event once: its id is stored in the same transaction as its effect. */
export async function applyStripeEvent(event: Stripe.Event, now = new Date()): Promise<'applied' | 'duplicate' | 'ignored'> {
  if (await prisma.webhookEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return 'duplicate';
  // A provider that cannot be reached here throws: the webhook answers 5xx and the provider retries.
  const effect = await effectOf(event);
  let checkoutId: number | null = null;
  let outcome: 'applied' | 'duplicate' | 'ignored';
  try {
    outcome = await prisma.$transaction(async (tx) => {
      if (await tx.webhookEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return 'duplicate' as const;
      await tx.webhookEvent.create({ data: { id: event.id, type: event.type, receivedAt: now } });
      checkoutId = await applyEffect(tx, effect, now);
      return checkoutId === null ? ('ignored' as const) : ('applied' as const);
    }, txOptions);
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
  if (checkoutId !== null) await afterPaymentCommitted(checkoutId);
  return outcome;
}

async function effectOf(event: Stripe.Event): Promise<Effect> {
  switch (event.type) {
    case 'checkout.session.completed':
      return sessionCompleted(event.data.object);
    case 'payment_intent.succeeded':
      return paymentIntentSucceeded(event.data.object);
    case 'payment_intent.payment_failed':
      return paymentIntentFailed(event.data.object);
    case 'charge.succeeded':
      return chargeSucceeded(event.data.object);
    case 'checkout.session.expired':
      return sessionExpired(event.data.object);
    case 'charge.refunded':
      return chargeRefunded(event.data.object);
    default:
      return none;
  }
}

const paymentRowSelect = {
  id: true,
  method: true,
  status: true,
  amount: true,
  providerRef: true,
  paymentIntentId: true,
  checkoutId: true,
} as const;

type PaymentRow = { id: number; method: string; amount: number; providerRef: string | null; paymentIntentId: string | null };

function mismatch(event: string, details: Record<string, unknown>): Effect {
  logger.warn({ event, ...details }, 'payment event does not match the payment it names; ignored');
  return none;
}

async function sessionCompleted(session: Stripe.Checkout.Session): Promise<Effect> {
  if (session.payment_status !== 'paid') return none;
  const paymentIntentId = paymentIntentIdOf(session.payment_intent);
  const row = await prisma.payment.findUnique({ where: { providerRef: session.id }, select: paymentRowSelect });
  if (!row) {
    // Paid on a page whose payment a reset removed: the money goes back.
    if (paymentIntentId && (await paymentIsGone(session.metadata))) await refundChargeOfGonePayment(paymentIntentId);
    return none;
  }
  const named = metadataPaymentId(session.metadata);
  const paid = { sessionId: session.id, paymentIntentId, amountSen: session.amount_total ?? -1, currency: session.currency ?? '' };
  if ((named !== null && named !== row.id) || !matchesPaymentRow(row, paid))
    return mismatch('checkout.session.completed', { ...paid, named });
  return { kind: 'cardSuccess', success: { paymentId: row.id, ...paid, orderIds: session.metadata?.orderIds } };
}

/** The metadata names a payment this app no longer has (ids are never reused). */
async function paymentIsGone(metadata: Stripe.Metadata | null | undefined): Promise<boolean> {
  const named = metadataPaymentId(metadata);
  return named !== null && !(await prisma.payment.findUnique({ where: { id: named }, select: { id: true } }));
}

/**
 * The card payment a PaymentIntent belongs to: the row that stored its id, or the row its metadata
 * names when that row's own session (retrieved from the provider) carries this PaymentIntent.
 */
async function paymentOfIntent(pi: Pick<Stripe.PaymentIntent, 'id' | 'metadata'>): Promise<(PaymentRow & { checkoutId: number }) | null> {
  const bound = await prisma.payment.findFirst({ where: { paymentIntentId: pi.id, method: 'card' }, select: paymentRowSelect });
  if (bound) return bound;
  const named = metadataPaymentId(pi.metadata);
  if (!named) return null;
  const row = await prisma.payment.findUnique({ where: { id: named }, select: paymentRowSelect });
  if (!row || row.method !== 'card' || row.paymentIntentId !== null || isMarker(row.providerRef)) return null;
  const session = await (await getStripe()).checkout.sessions.retrieve(row.providerRef!).catch((error: unknown) => {
    if (isUnknownToProvider(error)) return null;
    throw error;
  });
  return session && paymentIntentIdOf(session.payment_intent) === pi.id ? row : null;
}

async function paymentIntentSucceeded(pi: Stripe.PaymentIntent): Promise<Effect> {
  const row = await paymentOfIntent(pi);
  if (!row) {
    if (await paymentIsGone(pi.metadata)) await refundChargeOfGonePayment(pi.id);
    else if (metadataPaymentId(pi.metadata)) return mismatch('payment_intent.succeeded', { paymentIntentId: pi.id });
    return none;
  }
  const paid = { sessionId: row.providerRef ?? '', paymentIntentId: pi.id, amountSen: pi.amount_received, currency: pi.currency };
  if (!matchesPaymentRow(row, paid)) return mismatch('payment_intent.succeeded', paid);
  return { kind: 'cardSuccess', success: { paymentId: row.id, ...paid, orderIds: pi.metadata.orderIds } };
}

async function paymentIntentFailed(pi: Stripe.PaymentIntent): Promise<Effect> {
  const row = await paymentOfIntent(pi);
  if (!row) return metadataPaymentId(pi.metadata) ? mismatch('payment_intent.payment_failed', { paymentIntentId: pi.id }) : none;
  if (pi.currency !== 'idr' || pi.amount !== toSen(row.amount))
    return mismatch('payment_intent.payment_failed', { paymentIntentId: pi.id, amount: pi.amount });
  const code = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? 'generic_decline';
  return { kind: 'declined', paymentId: row.id, paymentIntentId: pi.id, code };
}

/**
 * Only what the missions read: the card went through a 3-D Secure challenge. The payment itself is
 * applied by checkout.session.completed / payment_intent.succeeded; the charge's PaymentIntent must
 * be the payment's own, as for those.
 */
async function chargeSucceeded(charge: Stripe.Charge): Promise<Effect> {
  const paymentIntentId = paymentIntentIdOf(charge.payment_intent);
  if (!paymentIntentId || charge.payment_method_details?.card?.three_d_secure?.result !== 'authenticated') return none;
  const row = await paymentOfIntent({ id: paymentIntentId, metadata: charge.metadata });
  return row ? { kind: 'threeDSecure', paymentId: row.id } : none;
}

async function sessionExpired(session: Stripe.Checkout.Session): Promise<Effect> {
  const row = await prisma.payment.findUnique({ where: { providerRef: session.id }, select: paymentRowSelect });
  if (!row || row.method !== 'card') return none;
  const named = metadataPaymentId(session.metadata);
  if (named !== null && named !== row.id) return mismatch('checkout.session.expired', { sessionId: session.id, named });
  return { kind: 'sessionExpired', paymentId: row.id, sessionId: session.id };
}

/** The refunds this app sent for the charge's payment that the provider (asked directly) says went through. */
async function chargeRefunded(charge: Stripe.Charge): Promise<Effect> {
  const paymentIntentId = paymentIntentIdOf(charge.payment_intent);
  if (!paymentIntentId) return none;
  const row = await prisma.payment.findFirst({ where: { paymentIntentId, method: 'card' }, select: paymentRowSelect });
  if (!row) return none;
  if (charge.currency !== 'idr' || charge.amount !== toSen(row.amount))
    return mismatch('charge.refunded', { paymentIntentId, amount: charge.amount });
  const pending = await prisma.refund.findMany({
    where: { paymentId: row.id, status: 'pending', providerRef: { not: null } },
    select: { id: true, providerRef: true },
  });
  const refundIds: number[] = [];
  for (const refund of pending) {
    const sent = await (await getStripe()).refunds.retrieve(refund.providerRef!).catch((error: unknown) => {
      // The provider has no such refund: it did not go through.
      if (isUnknownToProvider(error)) return null;
      throw error;
    });
    if (sent?.status === 'succeeded' && sent.payment_intent === paymentIntentId) refundIds.push(refund.id);
  }
  return { kind: 'refundsSucceeded', refundIds };
}

/** The effect, inside the event's transaction; the rows are read again, so a change since the check is seen. */
async function applyEffect(tx: Tx, effect: Effect, now: Date): Promise<number | null> {
  switch (effect.kind) {
    case 'cardSuccess':
      return applyCardSuccess(tx, effect.success, now);
    case 'declined': {
      const row = await tx.payment.findUnique({ where: { id: effect.paymentId }, select: { checkoutId: true, paymentIntentId: true } });
      if (!row || (row.paymentIntentId !== null && row.paymentIntentId !== effect.paymentIntentId)) return null;
      await tx.payment.update({
        where: { id: effect.paymentId },
        data: { failureCode: effect.code, paymentIntentId: effect.paymentIntentId },
      });
      await tx.paymentAttempt.create({
        data: { paymentId: effect.paymentId, outcome: 'declined', declineCode: effect.code, createdAt: now },
      });
      return row.checkoutId;
    }
    case 'sessionExpired': {
      const row = await tx.payment.findUnique({ where: { id: effect.paymentId }, select: { checkoutId: true } });
      if (!row) return null;
      await tx.payment.updateMany({
        where: { id: effect.paymentId, providerRef: effect.sessionId, status: 'pending' },
        data: { status: 'expired', ...releaseClaim },
      });
      return row.checkoutId;
    }
    case 'refundsSucceeded': {
      for (const id of effect.refundIds) await markRefundSucceeded(tx, id, now);
      if (!effect.refundIds.length) return null;
      const refund = await tx.refund.findUniqueOrThrow({
        where: { id: effect.refundIds[0]! },
        select: { payment: { select: { checkoutId: true } } },
      });
      return refund.payment.checkoutId;
    }
    case 'threeDSecure': {
      const row = await tx.payment.update({ where: { id: effect.paymentId }, data: { threeDSecure: true }, select: { checkoutId: true } });
      return row.checkoutId;
    }
    case 'none':
      return null;
  }
}
