// The events' wiring as the app and the jobs get it. This file builds no app until the second
// test: a service imported on its own must not run without the reactions of other features.
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { prisma } from './db.js';
import { buyerCancelOrder, sellerCancelOrder } from './features/orders/orders.service.js';
import { makeMarketplace, makeOrder } from './test/builders/index.js';
import { payVirtualAccount, startVirtualAccount } from './features/payments/payments.service.js';

describe('the event subscribers', () => {
  it('when nothing has wired them, then cancelling a paid order fails loudly and changes nothing (no refund silently skipped)', async () => {
    const m = await makeMarketplace();
    const { orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, quantity: 2 });
    await prisma.order.update({ where: { id: orderId }, data: { status: 'diproses', paidAt: new Date() } });
    await expect(buyerCancelOrder(m.buyer, orderId)).rejects.toThrow(/before the subscribers were wired/);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('diproses');
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(8);
  });

  it('when createApp() has wired them, then a paid order the seller cancels is refunded, with "refund" on its timeline', async () => {
    createApp();
    const m = await makeMarketplace();
    const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, quantity: 2 });
    const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    const paymentId = await startVirtualAccount(m.buyer, checkoutId);
    const { vaNumber } = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } });
    await payVirtualAccount(m.buyer, { vaNumber: vaNumber!, amount: order.total });

    await sellerCancelOrder(m.seller, orderId, 'Stok habis di gudang');
    expect(await prisma.refund.findMany({ where: { orderId }, select: { status: true, amount: true, paymentId: true } })).toEqual([
      { status: 'succeeded', amount: order.total, paymentId },
    ]);
    expect(await prisma.orderEvent.count({ where: { orderId, action: 'refund' } })).toBe(1);
  });
});
