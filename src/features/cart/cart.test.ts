import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import {
  type Agent,
  makeListing,
  makeMarketplace,
  makeShop,
  makeWorkshop,
  type Marketplace,
  signedInAgent,
} from '../../test/builders/index.js';
import { addToCart } from './cart.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

async function buyerAgent(m: Marketplace): Promise<Agent> {
  return signedInAgent(app, m.buyerUser.username);
}

async function add(agent: Agent, workshopId: number, listingId: number, quantity: number | string, referer?: string) {
  const csrf = await agent.csrf();
  const req = agent.post(`/workshops/${workshopId}/cart/items`).type('form');
  if (referer) req.set('Referer', referer);
  return req.send({ _csrf: csrf, listingId, quantity });
}

describe('cart', () => {
  it('when a buyer probes the ids of hidden and deleted listings, then each is "not found" and no title shows', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    const hidden = await makeListing({ shop: m.shop, title: 'Rahasia Tersembunyi Satu', hidden: true });
    const deleted = await makeListing({ shop: m.shop, title: 'Rahasia Terhapus Dua', deletedAt: new Date() });
    for (const listing of [hidden, deleted]) {
      const res = await add(agent, m.workshopId, listing.id, 1);
      expect(res.status).toBe(404);
      const cart = await agent.get(`/workshops/${m.workshopId}/cart`);
      for (const page of [res.text, cart.text]) expect(page).not.toContain('Rahasia');
    }
    expect(await prisma.cartItem.count({ where: { userId: m.buyerUser.id } })).toBe(0);
  });

  it('when a listing kept from before costs Rp 0 or weighs nothing, then it cannot be put in the cart', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    for (const listing of [await makeListing({ shop: m.shop, price: 0 }), await makeListing({ shop: m.shop, weightGrams: 0 })]) {
      const res = await add(agent, m.workshopId, listing.id, 1);
      expect(res.status).toBe(303);
      expect(text((await agent.get(res.headers.location!)).text)).toContain('sedang tidak dijual');
    }
    expect(await prisma.cartItem.count({ where: { userId: m.buyerUser.id } })).toBe(0);
  });

  it('when a trainee adds a listing, then the cart shows it under its shop with the shop subtotal', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    const res = await add(agent, m.workshopId, m.listing.id, 2);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${m.workshopId}/cart`);
    const page = await agent.get(`/workshops/${m.workshopId}/cart`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain(m.shop.name);
    expect(text(page.text)).toContain('Rp 300.000');
    expect(text(page.text)).toContain('masuk keranjang');
  });

  it('when items of two shops are in the cart, then each shop has its own group and subtotal', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const otherSeller = m.trainees[2]!;
    const shop2 = await makeShop({ workshop: m.workshopId, owner: otherSeller });
    const listing2 = await makeListing({ shop: shop2, price: 25_000 });
    const agent = await buyerAgent(m);
    await add(agent, m.workshopId, m.listing.id, 1);
    await add(agent, m.workshopId, listing2.id, 3);
    const page = await agent.get(`/workshops/${m.workshopId}/cart`);
    expect(page.text.match(/data-testid="cart-shop"/g)).toHaveLength(2);
    expect(text(page.text)).toContain('Rp 75.000');
    expect(text(page.text)).toContain('Rp 225.000');
  });

  it('when the same listing is added again, then the quantities add up', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    await add(agent, m.workshopId, m.listing.id, 2);
    await add(agent, m.workshopId, m.listing.id, 3);
    const item = await prisma.cartItem.findFirstOrThrow({ where: { userId: m.buyerUser.id } });
    expect(item.quantity).toBe(5);
  });

  it('when the add button is tapped twice at once (a slow network), then both are in the cart', { repeats: 5 }, async () => {
    const m = await makeMarketplace();
    const ctx = m.buyer;
    await Promise.all([addToCart(ctx, { listingId: m.listing.id, quantity: 1 }), addToCart(ctx, { listingId: m.listing.id, quantity: 1 })]);
    const item = await prisma.cartItem.findFirstOrThrow({ where: { userId: m.buyerUser.id } });
    expect(item.quantity).toBe(2);
  });

  it.each([
    ['its own listing', 'own', 'Ini produk toko Anda sendiri'],
    ['less than the minimum order', 'belowMin', 'Pembelian minimal'],
    ['more than the stock', 'aboveStock', 'hanya 10'],
  ])('when a trainee adds %s, then it is refused with a clear message and the cart stays empty', async (_label, kind, message) => {
    const m = await makeMarketplace();
    let listingId = m.listing.id;
    let username = m.buyerUser.username;
    let quantity = 1;
    if (kind === 'own') username = m.sellerUser.username;
    if (kind === 'belowMin') listingId = (await makeListing({ shop: m.shop, minOrder: 3 })).id;
    if (kind === 'aboveStock') quantity = 11;
    const agent = await signedInAgent(app, username);
    const productPage = `http://127.0.0.1/workshops/${m.workshopId}/catalog/${listingId}`;
    const res = await add(agent, m.workshopId, listingId, quantity, productPage);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${m.workshopId}/catalog/${listingId}`);
    const page = await agent.get(`/workshops/${m.workshopId}/cart`);
    expect(text(page.text)).toContain(message);
    expect(await prisma.cartItem.count({ where: { listingId } })).toBe(0);
  });

  it('when the quantity is not a number, then it is refused', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    await add(agent, m.workshopId, m.listing.id, 'dua');
    expect(await prisma.cartItem.count({ where: { userId: m.buyerUser.id } })).toBe(0);
  });

  it('when the buyer changes a quantity within the rules, then it is saved; beyond the stock, then it is refused', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    await add(agent, m.workshopId, m.listing.id, 1);
    const item = await prisma.cartItem.findFirstOrThrow({ where: { userId: m.buyerUser.id } });
    const csrf = csrfFrom((await agent.get(`/workshops/${m.workshopId}/cart`)).text);
    await agent.post(`/workshops/${m.workshopId}/cart/items/${item.id}`).type('form').send({ _csrf: csrf, quantity: 4 });
    expect((await prisma.cartItem.findUniqueOrThrow({ where: { id: item.id } })).quantity).toBe(4);
    await agent.post(`/workshops/${m.workshopId}/cart/items/${item.id}`).type('form').send({ _csrf: csrf, quantity: 99 });
    expect((await prisma.cartItem.findUniqueOrThrow({ where: { id: item.id } })).quantity).toBe(4);
    expect(text((await agent.get(`/workshops/${m.workshopId}/cart`)).text)).toContain('hanya 10');
  });

  it('when the buyer removes an item, then it leaves the cart', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    await add(agent, m.workshopId, m.listing.id, 1);
    const item = await prisma.cartItem.findFirstOrThrow({ where: { userId: m.buyerUser.id } });
    const csrf = await agent.csrf();
    const res = await agent.post(`/workshops/${m.workshopId}/cart/items/${item.id}/delete`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(await prisma.cartItem.count({ where: { userId: m.buyerUser.id } })).toBe(0);
  });

  it('when a listing in the cart is hidden later, then the cart marks it and offers no checkout', async () => {
    const m = await makeMarketplace();
    const agent = await buyerAgent(m);
    await add(agent, m.workshopId, m.listing.id, 1);
    await prisma.listing.update({ where: { id: m.listing.id }, data: { hidden: true } });
    const page = await agent.get(`/workshops/${m.workshopId}/cart`);
    expect(text(page.text)).toContain('sedang tidak dijual');
    expect(page.text).not.toContain(`/workshops/${m.workshopId}/checkout"`);
  });

  it('when a tutor tries to add to the cart, then it is forbidden', async () => {
    const m = await makeMarketplace();
    const agent = await signedInAgent(app, m.tutor.username);
    const res = await add(agent, m.workshopId, m.listing.id, 1);
    expect(res.status).toBe(403);
  });

  describe('the workshop boundary', () => {
    it('when someone of another workshop opens or changes a cart there, then every cart URL answers 404', async () => {
      const m = await makeMarketplace();
      const buyer = await buyerAgent(m);
      await add(buyer, m.workshopId, m.listing.id, 1);
      const item = await prisma.cartItem.findFirstOrThrow({ where: { userId: m.buyerUser.id } });
      const other = await makeWorkshop({ trainees: 1 });
      const outsider = await signedInAgent(app, other.trainees[0]!.username);
      const csrf = await outsider.csrf();
      const w = m.workshopId;
      expect((await outsider.get(`/workshops/${w}/cart`)).status).toBe(404);
      expect(
        (await outsider.post(`/workshops/${w}/cart/items`).type('form').send({ _csrf: csrf, listingId: m.listing.id, quantity: 1 })).status,
      ).toBe(404);
      expect((await outsider.post(`/workshops/${w}/cart/items/${item.id}`).type('form').send({ _csrf: csrf, quantity: 2 })).status).toBe(
        404,
      );
      expect((await outsider.post(`/workshops/${w}/cart/items/${item.id}/delete`).type('form').send({ _csrf: csrf })).status).toBe(404);
      // A listing of another workshop, added from one's own workshop: 404 too.
      expect(
        (
          await outsider
            .post(`/workshops/${other.workshopId}/cart/items`)
            .type('form')
            .send({ _csrf: csrf, listingId: m.listing.id, quantity: 1 })
        ).status,
      ).toBe(404);
      // Another buyer's cart item in the same workshop: 404.
      const seller = await signedInAgent(app, m.sellerUser.username);
      const sellerCsrf = await seller.csrf();
      expect((await seller.post(`/workshops/${w}/cart/items/${item.id}/delete`).type('form').send({ _csrf: sellerCsrf })).status).toBe(404);
      expect(await prisma.cartItem.count({ where: { id: item.id } })).toBe(1);
    });
  });
});
