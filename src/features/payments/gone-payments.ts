// Card payments whose rows are gone: the tutor's reset deletes a workshop's payments, maybe while
// a trainee is on the hosted card page. The reset closes their open sessions; a card charged
// anyway (in the moment between) is refunded, since no order will ever use that money.
import { prisma } from '../../db.js';
import { logger } from '../../logger.js';
import { expireSessionQuietly, getStripe, metadataPaymentId } from './stripe-client.js';

/** After a reset committed: the open sessions of the card payments it deleted can no longer be paid. */
export async function closeSessionsOfRemovedPayments(sessionIds: readonly string[]): Promise<void> {
  for (const sessionId of sessionIds) await expireSessionQuietly(sessionId);
}

/**
 * Refunds a PaymentIntent of this app whose payment row no longer exists, in full, once (the
 * provider replays the same refund for the same key). Reads the PaymentIntent from the provider,
 * never from an event. Returns whether its money is (now) back with the buyer.
 */
export async function refundChargeOfGonePayment(paymentIntentId: string): Promise<boolean> {
  const stripe = await getStripe();
  const pi = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
  const paymentId = metadataPaymentId(pi.metadata);
  // Only this app's payments (real Stripe test accounts may hold others), only money taken.
  if (!paymentId || pi.status !== 'succeeded') return false;
  if (await prisma.payment.findUnique({ where: { id: paymentId }, select: { id: true } })) return false;
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  if (charge && charge.amount_refunded >= charge.amount_captured) return true;
  await stripe.refunds.create(
    { payment_intent: pi.id, metadata: { paymentId: String(paymentId), reason: 'payment-removed' } },
    { idempotencyKey: `pasarlatih-removed-payment-${pi.id}` },
  );
  logger.info({ paymentIntentId: pi.id, paymentId }, 'card charged for a removed payment refunded');
  return true;
}
