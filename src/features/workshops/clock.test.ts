// The training clock: the tutor moves a workshop's time forward, and everything that reads the
// time in that workshop (payment deadlines, completion of delivered orders, balances, the jobs)
// follows it; other workshops keep real time.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { ctxOf, makeMarketplace, makeOrder, makeOrderUpTo, type Marketplace, signedInAgent } from '../../test/builders/index.js';
import { applyOrderDeadlinesEverywhere } from '../orders/jobs.js';
import { sellerBalance } from '../orders/orders.service.js';
import { payVirtualAccount, startVirtualAccount } from '../payments/payments.service.js';
import { MAX_CLOCK_OFFSET_SECONDS } from './clock.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const DAY_MS = 86_400_000;

/** The tutor moves the clock on the market page; returns the answer and the tutor's agent. */
async function moveClock(m: Marketplace, step: 'hour' | 'day') {
  const tutor = await signedInAgent(app, m.tutor);
  const page = await tutor.get(`/workshops/${m.workshopId}/market`);
  const res = await tutor
    .post(`/workshops/${m.workshopId}/market/clock`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), step });
  return Object.assign(res, { tutor });
}

const offsetOf = async (workshopId: number) =>
  (await prisma.workshop.findUniqueOrThrow({ where: { id: workshopId }, select: { clockOffsetSeconds: true } })).clockOffsetSeconds;

describe('moving the training clock', () => {
  it('when the tutor moves the clock a day, then an unpaid order is cancelled with its stock back, a shipped order completes and its money becomes available', async () => {
    const m = await makeMarketplace({ stock: 10 });
    const unpaid = await makeOrder({ buyer: m.buyer, listing: m.listing, quantity: 2 });
    const shipped = await makeOrderUpTo(m, 'dikirim');
    const shippedTotal = (await prisma.order.findUniqueOrThrow({ where: { id: shipped.orderId } })).total;
    expect(await sellerBalance(m.shop.id)).toEqual({ held: shippedTotal, available: 0 });

    const res = await moveClock(m, 'day');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${m.workshopId}/market`);
    expect(await offsetOf(m.workshopId)).toBe(86_400);

    const expired = await prisma.order.findUniqueOrThrow({ where: { id: unpaid.orderId } });
    expect([expired.status, expired.cancelledBy, expired.cancelReason]).toEqual(['dibatalkan', 'system', 'expiry']);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(9);
    const completed = await prisma.order.findUniqueOrThrow({ where: { id: shipped.orderId }, include: { events: true } });
    expect(completed.status).toBe('selesai');
    expect(completed.completedAt!.getTime()).toBeGreaterThan(Date.now() + DAY_MS - 60_000);
    expect(completed.events.map((e) => e.action)).toEqual(['place', 'pay', 'accept', 'ship', 'complete']);
    expect(await sellerBalance(m.shop.id)).toEqual({ held: 0, available: shippedTotal });

    const buyer = await signedInAgent(app, m.buyerUser);
    const detail = text((await buyer.get(`/workshops/${m.workshopId}/orders/${shipped.orderId}`)).text);
    expect(detail).toContain('Selesai otomatis (1 hari setelah dikirim)');
  });

  it('when the clock has moved, then every page of the workshop shows its time in a banner; pages of a workshop on real time show none', async () => {
    const m = await makeMarketplace();
    const trainee = await signedInAgent(app, m.buyerUser);
    expect((await trainee.get(`/workshops/${m.workshopId}/catalog`)).text).not.toContain('data-testid="clock-banner"');
    await moveClock(m, 'day');
    for (const path of ['', '/catalog', '/orders', '/cart']) {
      const page = await trainee.get(`/workshops/${m.workshopId}${path}`);
      expect(page.status).toBe(200);
      expect(text(page.text)).toContain('Jam pelatihan:');
    }
    const market = text((await (await signedInAgent(app, m.tutor)).get(`/workshops/${m.workshopId}/market`)).text);
    expect(market).toContain('1 hari 0 jam lebih maju dari waktu nyata');
  });

  it('when a trainee posts a clock move, then 403 and the clock stays', async () => {
    const m = await makeMarketplace();
    const trainee = await signedInAgent(app, m.buyerUser);
    const res = await trainee
      .post(`/workshops/${m.workshopId}/market/clock`)
      .type('form')
      .send({ _csrf: await trainee.csrf(), step: 'day' });
    expect(res.status).toBe(403);
    expect(await offsetOf(m.workshopId)).toBe(0);
  });

  it('when the clock is as far ahead as it goes, then a move is refused with a message; nothing moves it back', async () => {
    const m = await makeMarketplace();
    await prisma.workshop.update({ where: { id: m.workshopId }, data: { clockOffsetSeconds: MAX_CLOCK_OFFSET_SECONDS - 600 } });
    const res = await moveClock(m, 'hour');
    expect(res.status).toBe(303);
    const tutor = res.tutor;
    expect(text((await tutor.get(res.headers.location!)).text)).toContain('Jam pelatihan sudah maju sejauh mungkin');
    expect(await offsetOf(m.workshopId)).toBe(MAX_CLOCK_OFFSET_SECONDS - 600);
    const back = await tutor
      .post(`/workshops/${m.workshopId}/market/clock`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), step: 'back' });
    expect(back.status).toBe(303);
    expect(await offsetOf(m.workshopId)).toBe(MAX_CLOCK_OFFSET_SECONDS - 600);
  });

  it('when an order is placed and paid after the clock moved, then its deadline and its timeline are in the workshop time', async () => {
    const m = await makeMarketplace();
    await moveClock(m, 'day');
    const buyer = await ctxOf({ workshop: m.workshopId, user: m.buyerUser });
    const before = Date.now();
    const { checkoutId, orderId } = await makeOrder({ buyer, listing: m.listing });
    const placed = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(placed.createdAt.getTime()).toBeGreaterThanOrEqual(before + DAY_MS);
    expect(placed.paymentDueAt.getTime() - placed.createdAt.getTime()).toBe(24 * 3600_000);

    const paymentId = await startVirtualAccount(buyer, checkoutId);
    const bill = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } });
    await payVirtualAccount(buyer, { vaNumber: bill.vaNumber!, amount: bill.amount });
    const paid = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(paid.paidAt!.getTime()).toBeGreaterThanOrEqual(placed.createdAt.getTime());
    expect(paid.events.map((e) => e.action)).toEqual(['place', 'pay']);
    expect(paid.events[1]!.createdAt.getTime()).toBeGreaterThanOrEqual(paid.events[0]!.createdAt.getTime());
  });
});

describe('the order deadlines job', () => {
  it('when one workshop moved its clock a day, then the job expires its orders due in two hours and leaves the same order of a workshop on real time', async () => {
    const moved = await makeMarketplace();
    const real = await makeMarketplace();
    const soon = new Date(Date.now() + 2 * 3600_000);
    const a = await makeOrder({ buyer: moved.buyer, listing: moved.listing });
    const b = await makeOrder({ buyer: real.buyer, listing: real.listing });
    await prisma.order.updateMany({ where: { id: { in: [a.orderId, b.orderId] } }, data: { paymentDueAt: soon } });
    await prisma.workshop.update({ where: { id: moved.workshopId }, data: { clockOffsetSeconds: 86_400 } });

    await applyOrderDeadlinesEverywhere();
    expect((await prisma.order.findUniqueOrThrow({ where: { id: a.orderId } })).status).toBe('dibatalkan');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: b.orderId } })).status).toBe('menunggu_pembayaran');
  });

  it('when a shipped order was shipped more than a day ago on the workshop clock, then the job completes it; one shipped an hour ago waits', async () => {
    const m = await makeMarketplace();
    const old = await makeOrderUpTo(m, 'dikirim');
    const fresh = await makeOrderUpTo(m, 'dikirim');
    await prisma.order.update({ where: { id: old.orderId }, data: { shippedAt: new Date(Date.now() - DAY_MS - 60_000) } });
    await prisma.order.update({ where: { id: fresh.orderId }, data: { shippedAt: new Date(Date.now() - 3600_000) } });

    await applyOrderDeadlinesEverywhere();
    expect((await prisma.order.findUniqueOrThrow({ where: { id: old.orderId } })).status).toBe('selesai');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: fresh.orderId } })).status).toBe('dikirim');
  });
});
