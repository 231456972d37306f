// The background jobs as src/server.ts starts them. No app is built in this file: the jobs wire
// the event subscribers themselves.
import { describe, expect, it, vi } from 'vitest';
import { prisma } from './db.js';
import { makeMarketplace, makeOrder } from './test/builders/index.js';
import { startJobs } from './jobs.js';

describe('the background jobs', () => {
  it('when the jobs start, then an order past its payment window is cancelled at once and its stock comes back', async () => {
    const m = await makeMarketplace();
    const { orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, quantity: 2 });
    await prisma.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    const running = await startJobs();
    try {
      await vi.waitFor(async () => expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('dibatalkan'), {
        timeout: 15_000,
        interval: 100,
      });
    } finally {
      await running.stop();
    }
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.listing.id } })).stock).toBe(10);
  });
});
