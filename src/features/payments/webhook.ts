// The provider's signed events (checkout completed or expired, payment failed, charge refunded),
// each applied once.
import type Stripe from 'stripe';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { afterPaymentCommitted } from './after-payment.js';
import { applyCardSuccess, metadataPaymentId } from './card.js';
import { txOptions } from './checkouts.js';
import { markRefundSucceeded } from './refunds.js';

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
    case 'charge.succeeded': {
      // Only what the missions read: the card went through a 3-D Secure challenge. The payment
      // itself is applied by checkout.session.completed / payment_intent.succeeded.
      const charge = event.data.object;
      const paymentId = metadataPaymentId(charge.metadata);
      if (!paymentId || charge.payment_method_details?.card?.three_d_secure?.result !== 'authenticated') return null;
      const payment = await tx.payment.findUnique({ where: { id: paymentId }, select: { method: true, checkoutId: true } });
      if (!payment || payment.method !== 'card') return null;
      await tx.payment.update({ where: { id: paymentId }, data: { threeDSecure: true } });
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
