import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { makeMarketplace, makeOrder, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { buyerConfirmReceipt, sellerAcceptOrder, sellerShipOrder } from '../orders/orders.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

async function completedOrder(done = true) {
  const m = await makeMarketplace();
  const { orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, paid: true });
  await sellerAcceptOrder(m.seller, orderId);
  await sellerShipOrder(m.seller, orderId, 'SICEPAT00012345');
  if (done) await buyerConfirmReceipt(m.buyer, orderId);
  const item = await prisma.orderItem.findFirstOrThrow({ where: { orderId } });
  return { ...m, orderId, itemId: item.id };
}

const reviewUrl = (o: { workshopId: number; orderId: number; itemId: number }) =>
  `/workshops/${o.workshopId}/orders/${o.orderId}/items/${o.itemId}/review`;

describe('reviews', () => {
  it('when the buyer reviews a completed order item, then the review is saved and the listing rating moves in the same step', async () => {
    const o = await completedOrder();
    const agent = await signedInAgent(app, o.buyerUser.username);
    const res = await agent
      .post(reviewUrl(o))
      .type('form')
      .send({ _csrf: await agent.csrf(), rating: 4, text: 'Kainnya halus, kirim cepat.' });
    expect(res.status).toBe(303);
    const listing = await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } });
    expect({ sum: listing.ratingSum, count: listing.ratingCount }).toEqual({ sum: 4, count: 1 });
    const page = text((await agent.get(`/workshops/${o.workshopId}/orders/${o.orderId}`)).text);
    expect(page).toContain('Kainnya halus, kirim cepat.');
    expect(page).toContain('Terima kasih atas ulasan Anda');
  });

  it('when the buyer reviews the same item twice, even at once, then only one review counts', async () => {
    const o = await completedOrder();
    const agent = await signedInAgent(app, o.buyerUser.username);
    const csrf = await agent.csrf();
    await Promise.all([
      agent.post(reviewUrl(o)).type('form').send({ _csrf: csrf, rating: 5, text: 'Mantap sekali' }),
      agent.post(reviewUrl(o)).type('form').send({ _csrf: csrf, rating: 1, text: 'Kedua kali' }),
    ]);
    const again = await agent.post(reviewUrl(o)).type('form').send({ _csrf: csrf, rating: 2, text: 'Ketiga kali' });
    expect(again.status).toBe(303);
    expect(await prisma.review.count({ where: { orderItemId: o.itemId } })).toBe(1);
    const listing = await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } });
    expect(listing.ratingCount).toBe(1);
    expect(text((await agent.get(again.headers.location!)).text)).toContain('Barang ini sudah Anda ulas');
  });

  it('when the order is not completed yet, then the review is refused', async () => {
    const o = await completedOrder(false);
    const agent = await signedInAgent(app, o.buyerUser.username);
    const res = await agent
      .post(reviewUrl(o))
      .type('form')
      .send({ _csrf: await agent.csrf(), rating: 5, text: 'Terlalu cepat' });
    expect(res.status).toBe(303);
    expect(await prisma.review.count({ where: { orderItemId: o.itemId } })).toBe(0);
    expect(text((await agent.get(res.headers.location!)).text)).toContain('setelah pesanan selesai');
  });

  it('when the rating is missing or out of range, then the order page comes back with 422 and the message', async () => {
    const o = await completedOrder();
    const agent = await signedInAgent(app, o.buyerUser.username);
    const res = await agent
      .post(reviewUrl(o))
      .type('form')
      .send({ _csrf: await agent.csrf(), rating: 9, text: 'Bagus' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Pilih 1 sampai 5 bintang');
    expect(await prisma.review.count({ where: { orderItemId: o.itemId } })).toBe(0);
  });

  it("when the seller, another trainee or another workshop posts a review of the buyer's item, then it answers 404", async () => {
    const o = await completedOrder();
    const seller = await signedInAgent(app, o.sellerUser.username);
    expect(
      (
        await seller
          .post(reviewUrl(o))
          .type('form')
          .send({ _csrf: await seller.csrf(), rating: 5, text: 'Ulasan palsu' })
      ).status,
    ).toBe(404);
    const other = await makeWorkshop({ trainees: 1 });
    const outsider = await signedInAgent(app, other.trainees[0]!.username);
    expect(
      (
        await outsider
          .post(reviewUrl(o))
          .type('form')
          .send({ _csrf: await outsider.csrf(), rating: 5, text: 'Ulasan palsu' })
      ).status,
    ).toBe(404);
    expect(
      (
        await outsider
          .post(reviewUrl({ ...o, workshopId: other.workshopId }))
          .type('form')
          .send({ _csrf: await outsider.csrf(), rating: 5, text: 'Ulasan palsu' })
      ).status,
    ).toBe(404);
    expect(await prisma.review.count({ where: { orderItemId: o.itemId } })).toBe(0);
  });

  it('when the seller replies, then the reply shows once and a second reply is refused', async () => {
    const o = await completedOrder();
    const buyer = await signedInAgent(app, o.buyerUser.username);
    await buyer
      .post(reviewUrl(o))
      .type('form')
      .send({ _csrf: await buyer.csrf(), rating: 5, text: 'Bagus sekali' });
    const review = await prisma.review.findFirstOrThrow({ where: { orderItemId: o.itemId } });
    const seller = await signedInAgent(app, o.sellerUser.username);
    const url = `/workshops/${o.workshopId}/seller/reviews/${review.id}/reply`;
    const first = await seller
      .post(url)
      .type('form')
      .send({ _csrf: await seller.csrf(), reply: 'Terima kasih, Bu!' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/workshops/${o.workshopId}/seller/orders/${o.orderId}#reviews`);
    const second = await seller
      .post(url)
      .type('form')
      .send({ _csrf: await seller.csrf(), reply: 'Balasan kedua' });
    expect(second.status).toBe(303);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).reply).toBe('Terima kasih, Bu!');
    expect(text((await seller.get(second.headers.location!)).text)).toContain('Ulasan ini sudah dibalas');
    expect(text((await buyer.get(`/workshops/${o.workshopId}/orders/${o.orderId}`)).text)).toContain('Terima kasih, Bu!');
  });

  it('when the buyer or another workshop tries to reply, then it answers 404; an empty reply comes back with 422', async () => {
    const o = await completedOrder();
    const buyer = await signedInAgent(app, o.buyerUser.username);
    await buyer
      .post(reviewUrl(o))
      .type('form')
      .send({ _csrf: await buyer.csrf(), rating: 3, text: 'Lumayan' });
    const review = await prisma.review.findFirstOrThrow({ where: { orderItemId: o.itemId } });
    const url = `/workshops/${o.workshopId}/seller/reviews/${review.id}/reply`;
    expect(
      (
        await buyer
          .post(url)
          .type('form')
          .send({ _csrf: await buyer.csrf(), reply: 'Saya balas sendiri' })
      ).status,
    ).toBe(404);
    const other = await makeWorkshop({ trainees: 1 });
    const outsider = await signedInAgent(app, other.trainees[0]!.username);
    expect(
      (
        await outsider
          .post(url)
          .type('form')
          .send({ _csrf: await outsider.csrf(), reply: 'Halo' })
      ).status,
    ).toBe(404);
    const seller = await signedInAgent(app, o.sellerUser.username);
    const empty = await seller
      .post(url)
      .type('form')
      .send({ _csrf: await seller.csrf(), reply: '' });
    expect(empty.status).toBe(422);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).reply).toBeNull();
  });
});
