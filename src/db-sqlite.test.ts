// A script-like test of the SQLite connection: an interactive transaction that awaits something
// other than the database, while other requests write and read outside it.
import { describe, expect, it } from 'vitest';
import { prisma } from './db.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transactions on the one SQLite connection', () => {
  it('when a transaction waits on something else while another request writes and reads, then that write survives its rollback and the read never sees its rows', async () => {
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    let carryOn!: () => void;
    const slowWork = new Promise<void>((resolve) => (carryOn = resolve));
    const expiresAt = new Date(Date.now() + 60_000);

    const transaction = prisma.$transaction(async (tx) => {
      await tx.session.create({ data: { sid: 'inside-the-transaction', data: '{}', expiresAt } });
      opened();
      await slowWork; // a payment provider's answer, an image being prepared...
      throw new Error('the transaction fails and rolls back');
    });
    await isOpen;
    // Another request meanwhile: it stores a session and reads. (A Prisma query starts when it is
    // awaited: Promise.resolve starts these now.)
    const outsideWrite = Promise.resolve(prisma.session.create({ data: { sid: 'another-request', data: '{}', expiresAt } }));
    const outsideRead = Promise.resolve(prisma.session.findUnique({ where: { sid: 'inside-the-transaction' } }));
    await later(300); // long enough for both to run on the connection, if they could
    carryOn();

    await expect(transaction).rejects.toThrow('rolls back');
    await outsideWrite;
    expect(await outsideRead).toBeNull();
    const sids = (await prisma.session.findMany({ where: { sid: { in: ['inside-the-transaction', 'another-request'] } } })).map(
      (s) => s.sid,
    );
    expect(sids).toEqual(['another-request']);
  });

  it('when transactions and single statements arrive together, then each runs whole and in order', async () => {
    const key = (i: number) => `order-${i}`;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? prisma.$transaction(async (tx) => {
              await tx.rateLimitHit.create({ data: { key: key(i), hits: 1, windowEnds: 0 } });
              await later(2);
              await tx.rateLimitHit.update({ where: { key: key(i) }, data: { hits: 2 } });
            })
          : prisma.rateLimitHit.create({ data: { key: key(i), hits: 2, windowEnds: 0 } }),
      ),
    );
    const rows = await prisma.rateLimitHit.findMany({ where: { key: { startsWith: 'order-' } } });
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.hits === 2)).toBe(true);
  });
});
