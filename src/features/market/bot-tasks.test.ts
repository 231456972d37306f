// The bots' task list: a purpose is scheduled once, however many callers schedule it at once.
// Run on SQLite and on PostgreSQL (vitest project postgres), several times: the order of two calls
// at once varies.
import { describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { makeWorkshop } from '../../test/builders/index.js';
import { scheduleTask } from './bot-tasks.js';

describe('scheduling a bot task', () => {
  it(
    "when a demo shop's next step is scheduled twice at once (its task ran again after a restart), then both calls return and it is in the list once",
    { repeats: 10 },
    async () => {
      const w = await makeWorkshop({ trainees: 0 });
      const key = `seller.ship:${w.workshopId}`;
      const task = { kind: 'seller.ship' as const, key, dueAt: new Date() };
      const results = await Promise.allSettled([scheduleTask(prisma, w.workshopId, task), scheduleTask(prisma, w.workshopId, task)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await prisma.botTask.count({ where: { key } })).toBe(1);
    },
  );
});
