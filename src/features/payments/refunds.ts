// Money going back to the buyer. A card refund is recorded `pending` inside the transaction that
// decided it and sent to the provider after the commit (never a provider call inside a
// transaction); simulated ones succeed at once.
import { prisma, type Tx } from '../../db.js';
import { txOptions } from './checkouts.js';
import { getStripe, isProviderDown, toSen } from './stripe-client.js';

/** A pending refund has succeeded (once): a cancelled order shows it on its timeline. */
export async function markRefundSucceeded(tx: Tx, refundId: number, now: Date, providerRef?: string): Promise<void> {
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
      const session = await (await getStripe()).checkout.sessions.retrieve(r.payment.providerRef);
      pi = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
      if (pi) await prisma.payment.update({ where: { id: r.payment.id }, data: { paymentIntentId: pi } });
    }
    if (!pi) continue;
    const refund = await (
      await getStripe()
    ).refunds.create(
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

/** Sends the refunds the provider did not get; a provider still down is no failure, the next run tries again. */
export async function retryPendingRefunds(): Promise<void> {
  try {
    await settlePendingRefunds();
  } catch (error) {
    if (!isProviderDown(error)) throw error;
  }
}
