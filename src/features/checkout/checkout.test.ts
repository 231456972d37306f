import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import {
  type Agent,
  ctxOf,
  makeListing,
  makeMarketplace,
  makeOrder,
  makeShop,
  makeWorkshop,
  type Marketplace,
  shippingAddress,
  signedInAgent,
} from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

async function withCart(m: Marketplace, quantity = 2): Promise<Agent> {
  const agent = await signedInAgent(app, m.buyerUser.username);
  const csrf = await agent.csrf();
  await agent.post(`/workshops/${m.workshopId}/cart/items`).type('form').send({ _csrf: csrf, listingId: m.listing.id, quantity });
  return agent;
}

async function submitShipping(agent: Agent, m: Marketplace, fields: Record<string, string> = {}) {
  const form = await agent.get(`/workshops/${m.workshopId}/checkout`);
  return agent
    .post(`/workshops/${m.workshopId}/checkout`)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...shippingAddress, [`courier_${m.shop.id}`]: 'jne-reg', ...fields });
}

function hiddenFields(html: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*\/checkout\/place"[\s\S]*?<\/form>/.exec(html)![0];
  return Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('checkout', () => {
  it('when the buyer goes through address, courier and review, then one order awaits payment, the stock is reserved and the cart is empty', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m, 3); // 3 × 400 g = 1.2 kg → 2 kg with JNE REG: 10 000 + 8 000
    const shipping = await submitShipping(agent, m);
    expect(shipping.status).toBe(303);
    expect(shipping.headers.location).toBe(`/workshops/${m.workshopId}/checkout/review?courier_${m.shop.id}=jne-reg`);

    const review = await agent.get(shipping.headers.location!);
    expect(review.status).toBe(200);
    const reviewText = text(review.text);
    expect(reviewText).toContain('Rp 450.000');
    expect(reviewText).toContain('Rp 18.000');
    expect(reviewText).toContain('Rp 468.000');
    expect(reviewText).toContain(shippingAddress.line);

    const before = Date.now();
    const placed = await agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(hiddenFields(review.text));
    expect(placed.status).toBe(303);
    expect(placed.headers.location).toMatch(new RegExp(`^/workshops/${m.workshopId}/checkouts/\\d+$`));

    const order = await prisma.order.findFirstOrThrow({ where: { buyerId: m.buyerUser.id }, include: { items: true, events: true } });
    expect(order).toMatchObject({
      status: 'menunggu_pembayaran',
      subtotal: 450_000,
      shippingFee: 18_000,
      total: 468_000,
      courier: 'JNE',
      courierService: 'REG',
      shipCity: 'Denpasar',
    });
    expect(order.items).toMatchObject([{ listingId: m.listing.id, quantity: 3, price: 150_000 }]);
    expect(order.events).toMatchObject([{ action: 'place', toStatus: 'menunggu_pembayaran', actorId: m.buyerUser.id }]);
    const windowMs = config.paymentWindowHours * 3600_000;
    expect(order.paymentDueAt.getTime()).toBeGreaterThanOrEqual(before + windowMs - 1000);
    expect(order.paymentDueAt.getTime()).toBeLessThanOrEqual(Date.now() + windowMs + 1000);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(7);
    expect(await prisma.cartItem.count({ where: { userId: m.buyerUser.id } })).toBe(0);

    const page = await agent.get(placed.headers.location!);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Menunggu pembayaran');
    expect(text(page.text)).toContain(m.shop.name);
  });

  it('when the cart holds two shops, then one checkout places one order per shop, each with its own courier fee', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const shop2 = await makeShop({ workshop: m.workshopId, owner: m.trainees[2]! });
    const listing2 = await makeListing({ shop: shop2, price: 20_000, weightGrams: 2500 });
    const agent = await withCart(m, 1);
    await agent
      .post(`/workshops/${m.workshopId}/cart/items`)
      .type('form')
      .send({ _csrf: await agent.csrf(), listingId: listing2.id, quantity: 1 });
    const shipping = await submitShipping(agent, m, { [`courier_${shop2.id}`]: 'pos-kilat' });
    const review = await agent.get(shipping.headers.location!);
    await agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(hiddenFields(review.text));
    const orders = await prisma.order.findMany({ where: { buyerId: m.buyerUser.id }, orderBy: { shopId: 'asc' } });
    expect(orders).toHaveLength(2);
    expect(new Set(orders.map((o) => o.checkoutId)).size).toBe(1);
    expect(orders.find((o) => o.shopId === shop2.id)).toMatchObject({ courier: 'Pos Indonesia', shippingFee: 8_000 + 2 * 6_000 });
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { buyerId: m.buyerUser.id } });
    expect(checkout.total).toBe(orders.reduce((s, o) => s + o.total, 0));
  });

  it('when the address is incomplete or wrong, then the form comes back with 422, the messages and the typed values', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m);
    const res = await submitShipping(agent, m, { phone: '12345', postalCode: '801', name: '' });
    expect(res.status).toBe(422);
    const page = text(res.text);
    expect(page).toContain('Isi nomor HP Indonesia');
    expect(page).toContain('Kode pos terdiri dari 5 angka');
    expect(page).toContain('Wajib diisi');
    expect(res.text).toContain(shippingAddress.line);
    expect(await prisma.address.count({ where: { userId: m.buyerUser.id } })).toBe(0);
  });

  it('when no courier is chosen for a shop, then the form says so', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m);
    const res = await submitShipping(agent, m, { [`courier_${m.shop.id}`]: 'kurir-palsu' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Pilih kurir untuk toko ini');
  });

  it('when the buyer checks out a second time, then the saved address is filled in', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m);
    await submitShipping(agent, m);
    const form = await agent.get(`/workshops/${m.workshopId}/checkout`);
    expect(form.text).toContain(`value="${shippingAddress.postalCode}"`);
    expect(text(form.text)).toContain('Alamat terakhir Anda sudah diisi');
  });

  it('when the same review form is posted twice at once, then one set of orders is placed and both land on the same checkout', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m, 2);
    const review = await agent.get((await submitShipping(agent, m)).headers.location!);
    const fields = hiddenFields(review.text);
    const [a, b] = await Promise.all([
      agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(fields),
      agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(fields),
    ]);
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(a.headers.location).toBe(b.headers.location);
    expect(await prisma.order.count({ where: { buyerId: m.buyerUser.id } })).toBe(1);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(8);
  });

  it('when the stock ran out between review and order, then nothing is placed and the cart explains why', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m, 2);
    const review = await agent.get((await submitShipping(agent, m)).headers.location!);
    await prisma.listing.update({ where: { id: m.listing.id }, data: { stock: 1 } });
    const res = await agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(hiddenFields(review.text));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${m.workshopId}/cart`);
    expect(text((await agent.get(res.headers.location!)).text)).toContain('hanya 1');
    expect(await prisma.order.count({ where: { buyerId: m.buyerUser.id } })).toBe(0);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(1);
  });

  it('when the price changed after the review, then the buyer is sent back to review the new total', async () => {
    const m = await makeMarketplace();
    const agent = await withCart(m, 1);
    const review = await agent.get((await submitShipping(agent, m)).headers.location!);
    await prisma.listing.update({ where: { id: m.listing.id }, data: { price: 175_000 } });
    const res = await agent.post(`/workshops/${m.workshopId}/checkout/place`).type('form').send(hiddenFields(review.text));
    expect(res.headers.location).toContain('/checkout/review?');
    expect(await prisma.order.count({ where: { buyerId: m.buyerUser.id } })).toBe(0);
  });

  it('when the cart is empty, then the checkout page sends the buyer to the cart', async () => {
    const m = await makeMarketplace();
    const agent = await signedInAgent(app, m.buyerUser.username);
    const res = await agent.get(`/workshops/${m.workshopId}/checkout`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${m.workshopId}/cart`);
  });

  describe('the workshop boundary and ownership', () => {
    it('when someone of another workshop, or another buyer, opens checkout URLs, then they answer 404', async () => {
      const m = await makeMarketplace();
      const buyer = await ctxOf({ workshop: m.workshopId, user: m.buyerUser });
      const { checkoutId } = await makeOrder({ buyer, listing: m.listing });
      const other = await makeWorkshop({ trainees: 1 });
      const outsider = await signedInAgent(app, other.trainees[0]!.username);
      const csrf = await outsider.csrf();
      const w = m.workshopId;
      expect((await outsider.get(`/workshops/${w}/checkout`)).status).toBe(404);
      expect((await outsider.get(`/workshops/${w}/checkout/review`)).status).toBe(404);
      expect(
        (
          await outsider
            .post(`/workshops/${w}/checkout`)
            .type('form')
            .send({ _csrf: csrf, ...shippingAddress })
        ).status,
      ).toBe(404);
      expect(
        (
          await outsider
            .post(`/workshops/${w}/checkout/place`)
            .type('form')
            .send({ _csrf: csrf, idempotencyKey: 'x'.repeat(20), expectedTotal: 0 })
        ).status,
      ).toBe(404);
      expect((await outsider.get(`/workshops/${w}/checkouts/${checkoutId}`)).status).toBe(404);
      // Its own workshop's URL with this checkout's id: 404 as well.
      expect((await outsider.get(`/workshops/${other.workshopId}/checkouts/${checkoutId}`)).status).toBe(404);
      // Another buyer of the same workshop.
      const seller = await signedInAgent(app, m.sellerUser.username);
      expect((await seller.get(`/workshops/${w}/checkouts/${checkoutId}`)).status).toBe(404);
    });
  });
});
