// The bots' job shares the server's process with the people using it: one run takes at most
// TASKS_PER_RUN tasks, one only when the server was busy serving requests, stops starting tasks
// after RUN_BUDGET_MS, and takes turns between workshops. The event loop's load and the wall
// clock are set by the tests (spies), so what a run does never depends on this machine's speed.
// A demo buyer's account is made ready once per workshop.
import { performance } from 'node:perf_hooks';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { ctxOf, makeDemoShop, makeOrder, makeWorkshop, payCheckout } from '../../test/builders/index.js';
import { demoBuyers } from '../sandbox/demo-accounts.js';
import { ensureDemoBuyer } from '../sandbox/demo-buyers.js';
import { RUN_BUDGET_MS, runDueBotTasks, TASKS_PER_RUN } from './runner.js';

/** Called as each task is claimed, and as a run starts: lets a test make a task or the run's lookups take time. */
const claims = vi.hoisted(() => ({ onClaim: undefined as undefined | (() => void), onRunStart: undefined as undefined | (() => void) }));
vi.mock('./bot-tasks.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./bot-tasks.js')>();
  return {
    ...actual,
    claimTask: (id: number) => {
      claims.onClaim?.();
      return actual.claimTask(id);
    },
    releaseStaleTasks: () => {
      claims.onRunStart?.();
      return actual.releaseStaleTasks();
    },
  };
});

beforeAll(() => {
  createApp(); // wires the subscribers: a paid order to a demo shop schedules its acceptance
});

afterEach(() => {
  claims.onClaim = undefined;
  claims.onRunStart = undefined;
  vi.restoreAllMocks();
});

/** The share of the time since the last run the server spent working, as the job will read it. */
const serverLoad = (utilization: number) =>
  vi.spyOn(performance, 'eventLoopUtilization').mockReturnValue({ idle: 0, active: 0, utilization });

/** Wall time as the job reads it: standing still, moved forward only by `advance`. */
function wallClock() {
  const start = Date.now();
  let elapsed = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => start + elapsed);
  return { advance: (ms: number) => (elapsed += ms) };
}

/** A workshop whose demo shop has `orders` paid orders, each with its acceptance due now (the clock moved an hour); their ids in the order the acceptances fall due. */
async function workshopWithDueAcceptances(orders: number) {
  const w = await makeWorkshop({ trainees: 1 });
  const demo = await makeDemoShop({ workshop: w.workshopId, stock: orders + 1 });
  const buyer = await ctxOf({ workshop: w.workshopId, user: w.trainees[0]! });
  const orderIds: number[] = [];
  for (let i = 0; i < orders; i++) {
    const { checkoutId, orderId } = await makeOrder({ buyer, listing: demo.listing });
    await payCheckout(checkoutId);
    orderIds.push(orderId);
  }
  await prisma.workshop.update({ where: { id: w.workshopId }, data: { clockOffsetSeconds: 3600 } });
  // Each acceptance falls due after a random delay: the job takes them in that order.
  const tasks = await prisma.botTask.findMany({
    where: { orderId: { in: orderIds }, kind: 'seller.accept' },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
  return { workshopId: w.workshopId, orderIds: tasks.map((t) => t.orderId!) };
}

/** The orders of `orderIds` accepted so far, in the order of `orderIds`. */
async function acceptedOf(orderIds: number[]) {
  const accepted = await prisma.order.findMany({ where: { id: { in: orderIds }, accepted: true }, select: { id: true } });
  return orderIds.filter((id) => accepted.some((o) => o.id === id));
}

/** Keeps the workshops of other tests out of a run. */
const pauseAllBots = () => prisma.workshop.updateMany({ data: { botsPaused: true } });
const resumeBots = (workshopId: number) => prisma.workshop.update({ where: { id: workshopId }, data: { botsPaused: false } });

describe("the bots' job shares the server", () => {
  it('when the server was mostly idle, then one run accepts TASKS_PER_RUN orders, oldest first, and the next run the rest', async () => {
    const s = await workshopWithDueAcceptances(TASKS_PER_RUN + 2);
    await pauseAllBots();
    await resumeBots(s.workshopId);
    serverLoad(0.1);
    wallClock();

    expect(await runDueBotTasks()).toBe(TASKS_PER_RUN);
    expect(await acceptedOf(s.orderIds)).toEqual(s.orderIds.slice(0, TASKS_PER_RUN));
    expect(await runDueBotTasks()).toBe(2);
    expect(await acceptedOf(s.orderIds)).toEqual(s.orderIds);
  });

  it('when the server spent most of the time since the last run serving requests, then a run accepts one order only', async () => {
    const s = await workshopWithDueAcceptances(3);
    await pauseAllBots();
    await resumeBots(s.workshopId);
    serverLoad(0.9);
    wallClock();

    expect(await runDueBotTasks()).toBe(1);
    expect(await acceptedOf(s.orderIds)).toEqual(s.orderIds.slice(0, 1));
    expect(await prisma.botTask.count({ where: { workshopId: s.workshopId, status: 'pending', kind: 'seller.accept' } })).toBe(2);
  });

  it('when the tasks of a run have taken its time budget, then it starts no more and leaves them for the next run', async () => {
    const s = await workshopWithDueAcceptances(5);
    await pauseAllBots();
    await resumeBots(s.workshopId);
    serverLoad(0.1);
    const clock = wallClock();
    claims.onClaim = () => clock.advance(RUN_BUDGET_MS / 2 + 1);

    expect(await runDueBotTasks()).toBe(2);
    expect(await acceptedOf(s.orderIds)).toEqual(s.orderIds.slice(0, 2));
  });

  it('when finding the due tasks takes the whole time budget (a slow database), then the run still does one task', async () => {
    const s = await workshopWithDueAcceptances(3);
    await pauseAllBots();
    await resumeBots(s.workshopId);
    serverLoad(0.1);
    const clock = wallClock();
    claims.onRunStart = () => clock.advance(RUN_BUDGET_MS + 1);

    expect(await runDueBotTasks()).toBe(1);
    expect(await acceptedOf(s.orderIds)).toEqual(s.orderIds.slice(0, 1));
  });

  it('when one workshop has more due tasks than a run takes, then the other workshops take their turn in the same run', async () => {
    const busy = await workshopWithDueAcceptances(TASKS_PER_RUN + 2);
    const other = await workshopWithDueAcceptances(1);
    await pauseAllBots();
    await resumeBots(busy.workshopId);
    await resumeBots(other.workshopId);
    serverLoad(0.1);
    wallClock();

    expect(await runDueBotTasks()).toBe(TASKS_PER_RUN);
    expect(await acceptedOf(other.orderIds)).toEqual(other.orderIds);
    expect(await acceptedOf(busy.orderIds)).toEqual(busy.orderIds.slice(0, TASKS_PER_RUN - 1));
  });
});

describe("a demo buyer's account", () => {
  it('when a demo buyer buys in two workshops, again and again, then she is one account, a trainee of both, with one address', async () => {
    const first = await makeWorkshop({ trainees: 0 });
    const second = await makeWorkshop({ trainees: 0 });
    const username = demoBuyers.ayu.username;

    const id = await ensureDemoBuyer(first.workshopId, username);
    expect(await ensureDemoBuyer(first.workshopId, username)).toBe(id);
    expect(await ensureDemoBuyer(second.workshopId, username)).toBe(id);

    expect(await prisma.user.count({ where: { username } })).toBe(1);
    const memberships = await prisma.membership.findMany({ where: { userId: id }, orderBy: { workshopId: 'asc' } });
    expect(memberships.map((m) => [m.workshopId, m.role])).toEqual([
      [first.workshopId, 'trainee'],
      [second.workshopId, 'trainee'],
    ]);
    expect(await prisma.address.count({ where: { userId: id } })).toBe(1);
  });
});
