import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { makeMarketplace, makeOrder, shippingAddress, signedInAgent } from '../../test/builders/index.js';
import { addToCart } from '../cart/cart.service.js';
import { saveShipping } from '../checkout/checkout.service.js';
import { buyerConfirmReceipt, sellerAcceptOrder, sellerShipOrder } from './orders.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const leakedKey = /\b(cart|checkout|orders|reviews|progress):[a-zA-Z]/;

describe('the marketplace pages in both languages', () => {
  it.each(['id', 'en'])('when every cart, checkout, order and progress page is shown in %s, then no locale key leaks', async (lang) => {
    const m = await makeMarketplace();
    const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, paid: true });
    await sellerAcceptOrder(m.seller, orderId);
    await sellerShipOrder(m.seller, orderId, 'JNE0123456789');
    await buyerConfirmReceipt(m.buyer, orderId);
    await prisma.review.create({
      data: {
        workshopId: m.workshopId,
        orderItemId: (await prisma.orderItem.findFirstOrThrow({ where: { orderId } })).id,
        listingId: m.listing.id,
        shopId: m.shop.id,
        buyerId: m.buyerUser.id,
        rating: 4,
        text: 'Bagus',
      },
    });
    await addToCart(m.buyer, { listingId: m.listing.id, quantity: 1 });
    await saveShipping(m.buyer, shippingAddress, { [m.shop.id]: 'jne-reg' });
    const w = `/workshops/${m.workshopId}`;
    const pages = {
      buyer: [
        `${w}/cart`,
        `${w}/checkout`,
        `${w}/checkout/review?courier_${m.shop.id}=jne-reg`,
        `${w}/checkouts/${checkoutId}`,
        `${w}/orders`,
        `${w}/orders/${orderId}`,
      ],
      seller: [`${w}/seller/orders`, `${w}/seller/orders?status=selesai`, `${w}/seller/orders/${orderId}`],
      tutor: [`${w}/progress`],
    };
    const users = { buyer: m.buyerUser.username, seller: m.sellerUser.username, tutor: m.tutor.username };
    for (const [who, urls] of Object.entries(pages)) {
      const agent = await signedInAgent(app, users[who as keyof typeof users]);
      for (const url of urls) {
        const res = await agent.get(url).set('Cookie', `lang=${lang}`);
        expect(res.status, url).toBe(200);
        expect(text(res.text), url).not.toMatch(leakedKey);
        expect(res.text, url).toContain(`<html lang="${lang}">`);
      }
    }
  });
});
