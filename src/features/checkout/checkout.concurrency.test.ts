import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { RefusedError } from '../../errors.js';
import { addToCart } from '../cart/cart.service.js';
import { csrfFrom } from '../../test/helpers.js';
import { ctxOf, makeMarketplace, makeUser, shippingAddress, signedInAgent } from '../../test/builders/index.js';
import { placeOrders, saveShipping } from './checkout.service.js';

describe('checkout under concurrency', () => {
  it('when 50 buyers check out at once racing for 5 units, then exactly 5 orders exist and the stock is 0', async () => {
    const m = await makeMarketplace({ stock: 5 });
    const buyers = [];
    for (let i = 0; i < 50; i++) {
      const user = await makeUser({ memberOf: m.workshopId });
      const ctx = await ctxOf({ workshop: m.workshopId, user });
      await addToCart(ctx, { listingId: m.listing.id, quantity: 1 });
      await saveShipping(ctx, shippingAddress, { [m.shop.id]: 'jne-reg' });
      buyers.push(ctx);
    }

    const results = await Promise.allSettled(
      buyers.map((ctx) => placeOrders(ctx, { idempotencyKey: randomUUID(), choices: { [m.shop.id]: 'jne-reg' } })),
    );

    const placed = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(placed).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RefusedError);
    expect(await prisma.order.count({ where: { workshopId: m.workshopId } })).toBe(5);
    expect(await prisma.checkout.count({ where: { workshopId: m.workshopId } })).toBe(5);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(0);
    const sold = await prisma.orderItem.aggregate({ where: { listingId: m.listing.id }, _sum: { quantity: true } });
    expect(sold._sum.quantity).toBe(5);
  });

  it('when the same checkout form is submitted twice at once, then one set of orders is placed and both get the same checkout', async () => {
    const m = await makeMarketplace({ stock: 5 });
    await addToCart(m.buyer, { listingId: m.listing.id, quantity: 2 });
    await saveShipping(m.buyer, shippingAddress, { [m.shop.id]: 'jne-reg' });
    const key = randomUUID();
    const submit = () => placeOrders(m.buyer, { idempotencyKey: key, choices: { [m.shop.id]: 'jne-reg' } });

    const [a, b] = await Promise.all([submit(), submit()]);

    expect(a.checkoutId).toBe(b.checkoutId);
    expect([a.repeated, b.repeated].sort()).toEqual([false, true]);
    expect(await prisma.order.count({ where: { buyerId: m.buyerUser.id } })).toBe(1);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(3);
  });
});

describe('checkout under concurrency, over HTTP', () => {
  it('when 10 signed-in buyers press "Buat pesanan" at once for 3 units, then 3 orders are placed, 7 are sent back to the cart, and the stock is 0', async () => {
    const { createApp } = await import('../../app.js');
    const app = createApp();
    const m = await makeMarketplace({ stock: 3 });
    const forms = [];
    for (let i = 0; i < 10; i++) {
      const user = await makeUser({ memberOf: m.workshopId });
      const agent = await signedInAgent(app, user.username);
      const csrf = await agent.csrf();
      await agent.post(`/workshops/${m.workshopId}/cart/items`).type('form').send({ _csrf: csrf, listingId: m.listing.id, quantity: 1 });
      await agent
        .post(`/workshops/${m.workshopId}/checkout`)
        .type('form')
        .send({ _csrf: csrf, ...shippingAddress, [`courier_${m.shop.id}`]: 'jne-reg' });
      const review = await agent.get(`/workshops/${m.workshopId}/checkout/review?courier_${m.shop.id}=jne-reg`);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(review.text)![1]!;
      const total = /name="expectedTotal" value="([^"]+)"/.exec(review.text)![1]!;
      forms.push({
        agent,
        body: { _csrf: csrfFrom(review.text), idempotencyKey: key, expectedTotal: total, [`courier_${m.shop.id}`]: 'jne-reg' },
      });
    }

    const responses = await Promise.all(
      forms.map(({ agent, body }) => agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(body)),
    );

    const locations = responses.map((r) => r.headers.location ?? '');
    expect(locations.filter((l) => /\/checkouts\/\d+$/.test(l))).toHaveLength(3);
    expect(locations.filter((l) => l.endsWith('/cart'))).toHaveLength(7);
    expect(await prisma.order.count({ where: { workshopId: m.workshopId } })).toBe(3);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(0);
  });
});
