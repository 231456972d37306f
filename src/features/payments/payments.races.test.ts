// Two things a buyer (or a buyer and a seller) do at the same moment to one checkout. On SQLite
// Prisma's transactions take turns; on PostgreSQL they overlap, and each statement sees what was
// committed before it began. Each case is repeated: a race is a matter of timing. Every one of
// them failed on PostgreSQL with the services as they were before this file.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { RefusedError, ValidationError } from '../../errors.js';
import { ctxOf, makeListing, makeMarketplace, makeOrder, makeShop, shippingAddress } from '../../test/builders/index.js';
import { addToCart } from '../cart/cart.service.js';
import { placeOrders, saveShipping } from '../checkout/checkout.service.js';
import { buyerCancelOrder, buyerConfirmReceipt, sellerAcceptOrder, sellerShipOrder } from '../orders/orders.service.js';
import { chooseCod, payVirtualAccount, startVirtualAccount } from './payments.service.js';

createApp(); // wires the events: a cancelled paid order is refunded, a received COD order settles its payment

const repeats = 10;

/** Rupiah the buyer paid (succeeded payments) and rupiah on orders that count as paid. */
async function moneyOf(checkoutId: number) {
  const paid = await prisma.payment.aggregate({ where: { checkoutId, status: 'succeeded' }, _sum: { amount: true } });
  const onOrders = await prisma.order.aggregate({ where: { checkoutId, paidAt: { not: null } }, _sum: { total: true } });
  return { paid: paid._sum.amount ?? 0, onOrders: onOrders._sum.total ?? 0 };
}

describe('one checkout, two things at once', () => {
  it(
    'when the buyer pays the VA while cancelling the order, then money paid is always on a paid order (or refunded with it)',
    { repeats },
    async () => {
      const m = await makeMarketplace();
      const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing });
      const vaId = await startVirtualAccount(m.buyer, checkoutId);
      const va = await prisma.payment.findUniqueOrThrow({ where: { id: vaId } });

      await Promise.allSettled([
        payVirtualAccount(m.buyer, { vaNumber: va.vaNumber!, amount: va.amount }),
        buyerCancelOrder(m.buyer, orderId, 'Salah pilih'),
      ]);

      const { paid, onOrders } = await moneyOf(checkoutId);
      expect(paid).toBe(onOrders);
      const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
      const refunded = await prisma.refund.aggregate({ where: { orderId }, _sum: { amount: true } });
      if (order.status === 'dibatalkan' && order.paidAt) expect(refunded._sum.amount).toBe(order.total);
      else expect(refunded._sum.amount ?? 0).toBe(0);
    },
  );

  it(
    'when the buyer chooses COD while paying the VA, then exactly one of them is taken and the orders say which',
    { repeats },
    async () => {
      const m = await makeMarketplace();
      const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing });
      const vaId = await startVirtualAccount(m.buyer, checkoutId);
      const va = await prisma.payment.findUniqueOrThrow({ where: { id: vaId } });

      const [cod, bank] = await Promise.allSettled([
        chooseCod(m.buyer, checkoutId),
        payVirtualAccount(m.buyer, { vaNumber: va.vaNumber!, amount: va.amount }),
      ]);

      expect([cod.status, bank.status].filter((s) => s === 'fulfilled')).toHaveLength(1);
      // The other one is told why, in her language (not a database deadlock's error page).
      const refused = [cod, bank].find((r) => r.status === 'rejected')!.reason;
      expect(refused instanceof RefusedError || refused instanceof ValidationError).toBe(true);
      const checkout = await prisma.checkout.findUniqueOrThrow({ where: { id: checkoutId } });
      const payments = await prisma.payment.findMany({ where: { checkoutId }, select: { method: true, status: true } });
      const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
      expect(order.status).toBe('diproses');
      if (cod.status === 'fulfilled') {
        expect(checkout.paymentMethod).toBe('cod');
        expect(payments).toEqual(expect.arrayContaining([{ method: 'cod', status: 'pending' }]));
        expect(payments.filter((p) => p.status === 'succeeded')).toEqual([]);
        expect(order.paidAt).toBeNull();
      } else {
        expect(checkout.paymentMethod).toBe('va');
        expect(payments.filter((p) => p.method === 'cod')).toEqual([]);
        expect(await moneyOf(checkoutId)).toEqual({ paid: va.amount, onOrders: va.amount });
      }
    },
  );

  it(
    'when the same cart is ordered from two tabs at once (two forms), then it is ordered once and the other tab is refused',
    { repeats },
    async () => {
      const m = await makeMarketplace({ stock: 10 });
      await addToCart(m.buyer, { listingId: m.listing.id, quantity: 2 });
      await saveShipping(m.buyer, shippingAddress, { [m.shop.id]: 'jne-reg' });
      const submit = () => placeOrders(m.buyer, { idempotencyKey: randomUUID(), choices: { [m.shop.id]: 'jne-reg' } });

      const results = await Promise.allSettled([submit(), submit()]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await prisma.order.count({ where: { buyerId: m.buyerUser.id } })).toBe(1);
      expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(8);
    },
  );

  it('when both orders of a COD checkout are received at the same moment, then its COD payment is paid', { repeats }, async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const secondSeller = m.trainees[2]!;
    const secondShop = await makeShop({ workshop: m.workshopId, owner: secondSeller });
    const secondListing = await makeListing({ shop: secondShop });
    await addToCart(m.buyer, { listingId: m.listing.id, quantity: 1 });
    await addToCart(m.buyer, { listingId: secondListing.id, quantity: 1 });
    const choices = { [m.shop.id]: 'jne-reg', [secondShop.id]: 'jne-reg' };
    await saveShipping(m.buyer, shippingAddress, choices);
    const { checkoutId } = await placeOrders(m.buyer, { idempotencyKey: randomUUID(), choices });
    await chooseCod(m.buyer, checkoutId);
    const orders = await prisma.order.findMany({ where: { checkoutId }, orderBy: { id: 'asc' } });
    const sellers = [m.seller, await ctxOf({ workshop: m.workshopId, user: secondSeller })];
    for (const order of orders) {
      const seller = sellers.find((s) => order.shopId === (s === m.seller ? m.shop.id : secondShop.id))!;
      await sellerAcceptOrder(seller, order.id);
      await sellerShipOrder(seller, order.id, 'JNE0123456789');
    }

    await Promise.all(orders.map((order) => buyerConfirmReceipt(m.buyer, order.id)));

    const cod = await prisma.payment.findFirstOrThrow({ where: { checkoutId, method: 'cod' } });
    expect(cod).toMatchObject({ status: 'succeeded', amount: orders.reduce((sum, o) => sum + o.total, 0) });
  });
});
