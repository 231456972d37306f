// How payments react to orders (subscribed in src/subscribers.ts): a cancelled paid order is
// refunded, a received cash-on-delivery order is paid.
import type { DomainEvents } from '../../events.js';
import { logger } from '../../logger.js';
import { payCodOrderOnReceipt, settleCod } from './cod.js';
import { markRefundSucceeded, settlePendingRefunds } from './refunds.js';
import { simulatedRefundRef } from './simulated.js';

/**
 * On orderCancelled, inside that transaction. A paid order: card, a pending Refund sent to Stripe
 * after the commit; VA/QRIS, refunded at once (simulated). Cash on delivery: nothing was paid; the
 * COD payment is settled.
 */
export async function refundCancelledOrder({ tx, orderId, wasPaid }: DomainEvents['orderCancelled']): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { id: true, total: true, checkoutId: true } });
  if (!wasPaid) {
    await settleCod(tx, order.checkoutId);
    return;
  }
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
  if (payment.method !== 'card') await markRefundSucceeded(tx, refund.id, now, simulatedRefundRef(refund.id));
}

/** On orderCancelledCommitted: send the cancelled order's card refund now (the job retries if the provider is down). */
export async function sendRefundOfCancelledOrder({ orderId }: DomainEvents['orderCancelledCommitted']): Promise<void> {
  try {
    await settlePendingRefunds({ orderId });
  } catch (error) {
    logger.warn({ err: error, orderId }, 'refund not sent yet; the job retries');
  }
}

/** On orderCompleted: the buyer received an order; cash on delivery, it is paid now, which may settle the COD payment. */
export async function settleCodOnReceipt({ tx, orderId }: DomainEvents['orderCompleted']): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { checkoutId: true } });
  await payCodOrderOnReceipt(tx, orderId, new Date());
  await settleCod(tx, order.checkoutId);
}
