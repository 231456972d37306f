// The background jobs as src/server.ts starts them. No app is built in this file: the jobs wire
// the event subscribers themselves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prisma } from './db.js';
import { makeMarketplace, makeOrder } from './test/builders/index.js';
import { startJobs } from './jobs.js';
import { logger } from './logger.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

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

  it('when a job fails, then the failure is logged with its name and the next run still happens; stop() ends the runs', async () => {
    vi.useFakeTimers();
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    let runs = 0;
    const running = await startJobs([
      {
        name: 'flaky job',
        everyMs: 1000,
        atStart: true,
        run: async () => {
          runs += 1;
          throw new Error('boom');
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(2500);
    await running.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(3);
    expect(logged).toHaveBeenCalledTimes(3);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ job: 'flaky job' }), 'background job failed');
  });
});
