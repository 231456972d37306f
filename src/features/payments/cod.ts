// Cash on delivery: the orders go to the seller at once, unpaid: no "Pembayaran diterima" on the
// timeline and no money held for the seller until the buyer has received an order and paid the
// courier; then it is paid and counts as the seller's available money, like any received order.
import { prisma, type Tx } from '../../db.js';
import { RefusedError } from '../../errors.js';
import { markOrdersCashOnDelivery, recordCashOnDeliveryPaid } from '../orders/orders.service.js';
import { afterPaymentCommitted } from './after-payment.js';
import { bill, loadBuyerCheckout, txOptions, type Ctx } from './checkouts.js';

/** COD: the orders go to the seller at once, unpaid; the payment is recorded when the buyer receives them. */
export async function chooseCod(ctx: Ctx, checkoutId: number, now = new Date()): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const checkout = await loadBuyerCheckout(ctx, checkoutId, tx);
    const { due, amount } = bill(checkout);
    if (!due.length) throw new RefusedError('payments:errors.nothingToPay');
    // The open VA or QRIS bill is closed first, in the order a payment of it takes its rows (bill,
    // checkout, orders): one of the two then waits for the other instead of a deadlock.
    await tx.payment.updateMany({
      where: { checkoutId, status: 'pending', method: { in: ['va', 'qris'] } },
      data: { status: 'cancelled' },
    });
    await tx.payment.create({ data: { workshopId: ctx.workshopId, checkoutId, method: 'cod', status: 'pending', amount, createdAt: now } });
    await tx.checkout.update({ where: { id: checkoutId }, data: { paymentMethod: 'cod' } });
    // Orders another payment (or their seller, or the clock) moved after the bill was read: the
    // whole choice is refused rather than leaving a COD payment for orders paid otherwise.
    const { paidOrderIds } = await markOrdersCashOnDelivery(tx, checkoutId, now);
    if (!paidOrderIds.length) throw new RefusedError('payments:errors.nothingToPay');
    if (paidOrderIds.length !== due.length) throw new RefusedError('payments:sim.billChanged');
  }, txOptions);
  await afterPaymentCommitted(checkoutId);
}

/** A received cash-on-delivery order is paid (the courier collected the cash). */
export async function payCodOrderOnReceipt(tx: Tx, orderId: number, now: Date): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { checkout: { select: { paymentMethod: true } } } });
  if (order.checkout.paymentMethod === 'cod') await recordCashOnDeliveryPaid(tx, orderId, now);
}

/**
 * A COD payment is paid once every order still alive was received; cancelled when none is left.
 * The payment's row is written first: two orders of the checkout received at the same moment
 * then take turns here, and the second reads the first's order as received (on PostgreSQL each
 * would otherwise read the other as still on its way, and the payment would stay pending).
 */
export async function settleCod(tx: Tx, checkoutId: number): Promise<void> {
  const cod = await tx.payment.findFirst({ where: { checkoutId, method: 'cod', status: 'pending' }, select: { id: true } });
  if (!cod) return;
  const locked = await tx.payment.updateMany({ where: { id: cod.id, status: 'pending' }, data: { status: 'pending' } });
  if (locked.count !== 1) return;
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
