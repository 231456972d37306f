// The market's bots over HTTP and through their job: demo shops accept and ship paid orders,
// demo buyers order from a trainee's first listing (VA, QRIS, COD here; the card path, the
// confirmation and the review in market.card.test.ts), one cancels; the tutor pauses, paces and
// runs them; each task runs once whoever else runs the job.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import {
  ctxOf,
  listProductThroughForm,
  makeDemoShop,
  makeMarketplace,
  makeOrder,
  makeShop,
  makeWorkshop,
  payCheckout,
  signedInAgent,
} from '../../test/builders/index.js';
import { demoBuyers } from '../sandbox/demo-accounts.js';
import { CANCEL_REASON, orderAsDemoBuyer } from './buyer-bots.js';
import { botTaskSelect, claimTask } from './bot-tasks.js';
import { runDueBotTasks } from './runner.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const HOUR = 3600;

/** Moves the workshop's training clock as "+1 jam" does, without the page (the bots read it). */
const moveClock = (workshopId: number, seconds: number) =>
  prisma.workshop.update({ where: { id: workshopId }, data: { clockOffsetSeconds: { increment: seconds } } });

/** Runs the bots' job until nothing due is left (each run has a budget). */
async function runBotsUntilIdle(): Promise<number> {
  let total = 0;
  for (let i = 0; i < 20; i++) {
    const ran = await runDueBotTasks();
    if (!ran) return total;
    total += ran;
  }
  throw new Error('the bots never became idle');
}

const tasksOf = (workshopId: number, kind?: string) =>
  prisma.botTask.findMany({ where: { workshopId, ...(kind ? { kind } : {}) }, orderBy: { id: 'asc' } });

/** A trainee buys from a demo shop and her order is paid. */
async function paidOrderToDemoShop() {
  const w = await makeWorkshop({ trainees: 1 });
  const demo = await makeDemoShop({ workshop: w.workshopId });
  const buyerUser = w.trainees[0]!;
  const buyer = await ctxOf({ workshop: w.workshopId, user: buyerUser });
  const { checkoutId, orderId } = await makeOrder({ buyer, listing: demo.listing });
  await payCheckout(checkoutId);
  return { ...w, demo, buyerUser, orderId };
}

describe('demo shops act like sellers', () => {
  it('when a trainee pays an order to a demo shop, then its acceptance is scheduled within the bots delay (1–3 minutes) and nothing happens before it is due', async () => {
    const before = Date.now();
    const s = await paidOrderToDemoShop();
    const [task] = await tasksOf(s.workshopId);
    expect(task).toMatchObject({ kind: 'seller.accept', orderId: s.orderId, shopId: s.demo.shop.id, status: 'pending' });
    expect(task!.dueAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(task!.dueAt.getTime()).toBeLessThanOrEqual(Date.now() + 180_000);

    expect(await runDueBotTasks()).toBe(0);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } })).accepted).toBe(false);
  });

  it('when the tasks fall due on the workshop clock, then the demo shop accepts, then ships with a tracking number of the courier, and the buyer reads it', async () => {
    const s = await paidOrderToDemoShop();
    await moveClock(s.workshopId, HOUR);
    expect(await runBotsUntilIdle()).toBe(1);
    const accepted = await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } });
    expect([accepted.status, accepted.accepted]).toEqual(['diproses', true]);
    const ship = (await tasksOf(s.workshopId, 'seller.ship'))[0]!;
    expect(ship.status).toBe('pending');

    await moveClock(s.workshopId, HOUR);
    expect(await runBotsUntilIdle()).toBe(1);
    const shipped = await prisma.order.findUniqueOrThrow({ where: { id: s.orderId }, include: { events: true } });
    expect(shipped.status).toBe('dikirim');
    expect(shipped.trackingNumber).toMatch(/^JNE\d{10}$/);
    expect(shipped.events.map((e) => [e.action, e.actorId])).toEqual([
      ['place', s.buyerUser.id],
      ['pay', null],
      ['accept', s.demo.owner.id],
      ['ship', s.demo.owner.id],
    ]);
    expect((await tasksOf(s.workshopId)).map((t) => [t.kind, t.status, t.note])).toEqual([
      ['seller.accept', 'done', null],
      ['seller.ship', 'done', shipped.trackingNumber],
    ]);

    const buyer = await signedInAgent(app, s.buyerUser);
    const page = await buyer.get(`/workshops/${s.workshopId}/orders/${s.orderId}`);
    expect(text(page.text)).toContain(`Nomor resi: ${shipped.trackingNumber}`);
  });

  it('when the buyer cancelled before the demo shop acted, then its task is skipped with a note and the order stays cancelled', async () => {
    const s = await paidOrderToDemoShop();
    await prisma.order.update({ where: { id: s.orderId }, data: { status: 'dibatalkan' } });
    await moveClock(s.workshopId, HOUR);
    await runBotsUntilIdle();
    expect((await tasksOf(s.workshopId)).map((t) => [t.kind, t.status, t.note])).toEqual([
      ['seller.accept', 'skipped', 'market:log.notPaidAnyMore'],
    ]);
  });
});

describe('demo buyers buy from trainees', () => {
  /** A trainee with a shop lists her first product through the form. */
  async function traineeWithFirstListing(stock = 10) {
    const m = await makeMarketplace();
    const shop = await makeShop({ workshop: m.workshopId, owner: m.buyerUser, name: `Toko Ibu ${m.workshopId}` });
    const agent = await signedInAgent(app, m.buyerUser);
    const listingId = await listProductThroughForm(agent, m.workshopId, { stock });
    return { ...m, seller: { user: m.buyerUser, agent, shop }, listingId };
  }

  it('when a trainee lists her first product, then four demo buyers plan their orders one after the other (card, VA, QRIS, COD); a second listing plans none', async () => {
    const before = Date.now();
    const t = await traineeWithFirstListing();
    const plan = await tasksOf(t.workshopId, 'buyer.order');
    expect(plan.map((p) => [p.buyer, p.method, p.follow, p.shopId, p.status])).toEqual([
      [demoBuyers.ayu.username, 'card', 'review', t.seller.shop.id, 'pending'],
      [demoBuyers.made.username, 'va', 'cancel', t.seller.shop.id, 'pending'],
      [demoBuyers.rina.username, 'qris', 'confirm', t.seller.shop.id, 'pending'],
      [demoBuyers.yoga.username, 'cod', 'confirm', t.seller.shop.id, 'pending'],
    ]);
    const due = plan.map((p) => p.dueAt.getTime());
    expect(due[0]).toBeGreaterThanOrEqual(before + 60_000);
    for (let i = 1; i < due.length; i++) expect(due[i]! - due[i - 1]!).toBeGreaterThanOrEqual(60_000);

    await listProductThroughForm(t.seller.agent, t.workshopId, { title: 'Tatakan Gelas Ata Set 6' });
    expect(await tasksOf(t.workshopId, 'buyer.order')).toHaveLength(4);
    // The first listing of a demo shop plans nothing: demo shops are not practising.
    expect(await prisma.botTask.count({ where: { shopId: t.shop.id } })).toBe(0);
  });

  it('when the VA, QRIS and COD buyers come, then each order reaches her shop paid that way, the demo buyers are trainees of the workshop, and the VA buyer cancels with a reason before shipping', async () => {
    const t = await traineeWithFirstListing();
    // The card buyer has its own file (it needs the payment sandbox).
    await prisma.botTask.updateMany({ where: { workshopId: t.workshopId, method: 'card' }, data: { status: 'skipped' } });
    await moveClock(t.workshopId, HOUR);
    expect(await runBotsUntilIdle()).toBe(3);

    const orders = await prisma.order.findMany({
      where: { shopId: t.seller.shop.id },
      orderBy: { id: 'asc' },
      include: { checkout: true, buyer: true, items: true },
    });
    expect(orders.map((o) => [o.buyer.username, o.checkout.paymentMethod, o.status, o.items[0]!.listingId])).toEqual([
      [demoBuyers.made.username, 'va', 'diproses', t.listingId],
      [demoBuyers.rina.username, 'qris', 'diproses', t.listingId],
      [demoBuyers.yoga.username, 'cod', 'diproses', t.listingId],
    ]);
    expect(orders[0]!.shipCity).toBe(demoBuyers.made.address.city);
    const memberships = await prisma.membership.findMany({
      where: { workshopId: t.workshopId, user: { username: { startsWith: 'pembeli.' } } },
    });
    expect(memberships.map((m) => m.role)).toEqual(['trainee', 'trainee', 'trainee']);

    const seller = await signedInAgent(app, t.seller.user);
    const list = text((await seller.get(`/workshops/${t.workshopId}/seller/orders?status=diproses`)).text);
    for (const name of [demoBuyers.made.displayName, demoBuyers.rina.displayName, demoBuyers.yoga.displayName])
      expect(list).toContain(name);

    const cancel = (await tasksOf(t.workshopId, 'buyer.cancel'))[0]!;
    expect(cancel).toMatchObject({ orderId: orders[0]!.id, status: 'pending' });
    await moveClock(t.workshopId, HOUR);
    await runBotsUntilIdle();
    const cancelled = await prisma.order.findUniqueOrThrow({ where: { id: orders[0]!.id }, include: { refunds: true } });
    expect([cancelled.status, cancelled.cancelledBy, cancelled.cancelReason]).toEqual(['dibatalkan', 'buyer', CANCEL_REASON]);
    expect(cancelled.refunds.map((r) => r.status)).toEqual(['succeeded']);
    const detail = text((await seller.get(`/workshops/${t.workshopId}/seller/orders/${cancelled.id}`)).text);
    expect(detail).toContain('Dibatalkan pembeli');
    expect(detail).toContain(CANCEL_REASON);
  });

  it("when demo buyers have ordered from her, then they are demo accounts: the board counts the workshop's people only, and a demo buyer answers her message", async () => {
    const t = await traineeWithFirstListing();
    await prisma.botTask.updateMany({ where: { workshopId: t.workshopId, method: 'card' }, data: { status: 'skipped' } });
    await moveClock(t.workshopId, HOUR);
    expect(await runBotsUntilIdle()).toBe(3);
    const buyers = await prisma.user.findMany({ where: { username: { startsWith: 'pembeli.' } }, select: { demoKind: true } });
    expect(buyers.map((b) => b.demoKind)).toEqual(['buyer', 'buyer', 'buyer']);

    const tutor = await signedInAgent(app, t.tutor);
    const board = await tutor.get(`/workshops/${t.workshopId}/progress`);
    expect(text(board.text)).toContain('2 peserta');
    expect(board.text).not.toContain('data-trainee="pembeli.');

    const order = await prisma.order.findFirstOrThrow({
      where: { shopId: t.seller.shop.id, buyer: { username: demoBuyers.rina.username } },
    });
    const seller = t.seller.agent;
    const opened = await seller
      .post(`/workshops/${t.workshopId}/chat/orders/${order.id}`)
      .type('form')
      .send({ _csrf: await seller.csrf() });
    const thread = opened.headers.location!;
    const sent = await seller
      .post(`${thread}/messages`)
      .type('form')
      .send({ _csrf: csrfFrom((await seller.get(thread)).text), body: 'Kak Rina, pesanannya saya kirim besok pagi ya.' });
    expect(sent.status).toBe(303);
    expect((await tasksOf(t.workshopId, 'buyer.reply')).map((task) => [task.shopId, task.status])).toEqual([[t.seller.shop.id, 'pending']]);
  });

  it('when the trainee ships a demo buyer order, then the buyer confirms receipt after the delay and the money becomes available; had she shipped before the cancel, the buyer keeps the order', async () => {
    const t = await traineeWithFirstListing();
    await prisma.botTask.updateMany({ where: { workshopId: t.workshopId, method: { in: ['card', 'cod'] } }, data: { status: 'skipped' } });
    await moveClock(t.workshopId, HOUR);
    await runBotsUntilIdle();
    const orders = await prisma.order.findMany({ where: { shopId: t.seller.shop.id }, orderBy: { id: 'asc' } });
    expect(orders).toHaveLength(2);

    for (const order of orders) {
      const page = await t.seller.agent.get(`/workshops/${t.workshopId}/seller/orders/${order.id}`);
      await t.seller.agent
        .post(`/workshops/${t.workshopId}/seller/orders/${order.id}/accept`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      const shipped = await t.seller.agent
        .post(`/workshops/${t.workshopId}/seller/orders/${order.id}/ship`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), trackingNumber: 'JNE0123456789' });
      expect(shipped.status).toBe(303);
    }
    expect((await tasksOf(t.workshopId, 'buyer.confirm')).map((c) => c.orderId)).toEqual(orders.map((o) => o.id));

    await moveClock(t.workshopId, HOUR);
    await runBotsUntilIdle();
    const after = await prisma.order.findMany({ where: { shopId: t.seller.shop.id }, orderBy: { id: 'asc' } });
    expect(after.map((o) => o.status)).toEqual(['selesai', 'selesai']);
    expect((await tasksOf(t.workshopId, 'buyer.cancel')).map((c) => [c.status, c.note])).toEqual([
      ['skipped', 'market:log.tooLateToCancel'],
    ]);
    const balance = text((await t.seller.agent.get(`/workshops/${t.workshopId}/shop/balance`)).text);
    expect(balance).not.toContain('Belum ada saldo yang bisa ditarik');
  });

  it('when the shop has nothing left to buy, then the demo order is skipped with a note for the tutor', async () => {
    const t = await traineeWithFirstListing(1);
    await prisma.listing.update({ where: { id: t.listingId }, data: { stock: 0 } });
    await prisma.botTask.updateMany({ where: { workshopId: t.workshopId, method: { not: 'va' } }, data: { status: 'skipped' } });
    await moveClock(t.workshopId, HOUR);
    await runBotsUntilIdle();
    expect((await tasksOf(t.workshopId, 'buyer.order')).find((p) => p.method === 'va')).toMatchObject({
      status: 'skipped',
      note: 'market:log.nothingToBuy',
    });
    expect(await prisma.order.count({ where: { shopId: t.seller.shop.id } })).toBe(0);
  });

  it('when the same demo order runs twice (a worker stopped after ordering), then one order is placed and paid once', async () => {
    const t = await traineeWithFirstListing();
    const va = (await tasksOf(t.workshopId, 'buyer.order')).find((p) => p.method === 'va')!;
    const row = await prisma.botTask.findUniqueOrThrow({ where: { id: va.id }, select: botTaskSelect });
    await orderAsDemoBuyer(row);
    await orderAsDemoBuyer(row);
    const orders = await prisma.order.findMany({ where: { shopId: t.seller.shop.id }, include: { events: true } });
    expect(orders).toHaveLength(1);
    expect(orders[0]!.events.filter((e) => e.action === 'pay')).toHaveLength(1);
    expect(await prisma.payment.count({ where: { checkoutId: orders[0]!.checkoutId, status: 'succeeded' } })).toBe(1);
  });
});

describe('each task runs once', () => {
  it('when two workers claim the same task at once, then exactly one gets it', async () => {
    const s = await paidOrderToDemoShop();
    const [task] = await tasksOf(s.workshopId);
    expect((await Promise.all([claimTask(task!.id), claimTask(task!.id), claimTask(task!.id)])).filter(Boolean)).toHaveLength(1);
  });

  it('when two runs of the job go at once over due tasks, then every order is accepted once', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const demo = await makeDemoShop({ workshop: w.workshopId });
    const buyer = await ctxOf({ workshop: w.workshopId, user: w.trainees[0]! });
    const orderIds: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { checkoutId, orderId } = await makeOrder({ buyer, listing: demo.listing });
      await payCheckout(checkoutId);
      orderIds.push(orderId);
    }
    await moveClock(w.workshopId, HOUR);
    // The job is shared with the other workshops of this file: pairs of runs until these four are done.
    for (
      let i = 0;
      i < 20 && (await prisma.botTask.count({ where: { workshopId: w.workshopId, kind: 'seller.accept', status: 'pending' } }));
      i++
    ) {
      await Promise.all([runDueBotTasks(), runDueBotTasks()]);
    }
    for (const orderId of orderIds) expect(await prisma.orderEvent.count({ where: { orderId, action: 'accept' } })).toBe(1);
    expect((await tasksOf(w.workshopId, 'seller.accept')).map((t) => t.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('when a worker stopped in the middle of a task, then the task is handed out again after a while and done once', async () => {
    const s = await paidOrderToDemoShop();
    const [task] = await tasksOf(s.workshopId);
    await prisma.botTask.update({
      where: { id: task!.id },
      data: { status: 'running', attempts: 1, claimedAt: new Date(Date.now() - 10 * 60_000) },
    });
    await moveClock(s.workshopId, HOUR);
    await runBotsUntilIdle();
    expect(await prisma.botTask.findUniqueOrThrow({ where: { id: task!.id } })).toMatchObject({ status: 'done', attempts: 2 });
    expect(await prisma.orderEvent.count({ where: { orderId: s.orderId, action: 'accept' } })).toBe(1);
  });
});

describe("the tutor's Pasar page", () => {
  async function tutorPage(workshopId: number, tutor: { username: string }) {
    const agent = await signedInAgent(app, tutor);
    const page = await agent.get(`/workshops/${workshopId}/market`);
    return { agent, page, csrf: csrfFrom(page.text) };
  }

  it('when the tutor pauses the bots, then due tasks wait; "run one now" runs the next anyway; resumed, the job runs the rest', async () => {
    const s = await paidOrderToDemoShop();
    const { agent, csrf } = await tutorPage(s.workshopId, s.tutor);
    const paused = await agent.post(`/workshops/${s.workshopId}/market/bots/paused`).type('form').send({ _csrf: csrf, paused: '1' });
    expect(paused.status).toBe(303);
    const page = text((await agent.get(paused.headers.location!)).text);
    expect(page).toContain('Bot dijeda');
    expect(page).toContain('Status: Dijeda');

    await moveClock(s.workshopId, HOUR);
    expect(await runDueBotTasks()).toBe(0);

    const ran = await agent.post(`/workshops/${s.workshopId}/market/bots/run-one`).type('form').send({ _csrf: csrf });
    expect(ran.status).toBe(303);
    expect(text((await agent.get(ran.headers.location!)).text)).toContain('Bot menjalankan: toko demo menerima pesanan.');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } })).accepted).toBe(true);

    await moveClock(s.workshopId, HOUR);
    expect(await runDueBotTasks()).toBe(0);
    await agent.post(`/workshops/${s.workshopId}/market/bots/paused`).type('form').send({ _csrf: csrf, paused: '0' });
    expect(await runBotsUntilIdle()).toBe(1);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } })).status).toBe('dikirim');
  });

  it('when the tutor picks the "kilat" pace, then the next task is due within 5–15 seconds', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const { agent, csrf } = await tutorPage(w.workshopId, w.tutor);
    const res = await agent.post(`/workshops/${w.workshopId}/market/bots/pace`).type('form').send({ _csrf: csrf, pace: 'kilat' });
    expect(res.status).toBe(303);
    expect(text((await agent.get(res.headers.location!)).text)).toContain('Kecepatan bot: Kilat (5–15 detik), untuk demo.');
    expect(await prisma.workshop.findUniqueOrThrow({ where: { id: w.workshopId } })).toMatchObject({
      botDelayMinSeconds: 5,
      botDelayMaxSeconds: 15,
    });

    const demo = await makeDemoShop({ workshop: w.workshopId });
    const before = Date.now();
    const { checkoutId } = await makeOrder({ buyer: await ctxOf({ workshop: w.workshopId, user: w.trainees[0]! }), listing: demo.listing });
    await payCheckout(checkoutId);
    const [task] = await tasksOf(w.workshopId);
    expect(task!.dueAt.getTime() - before).toBeGreaterThanOrEqual(5_000);
    expect(task!.dueAt.getTime() - Date.now()).toBeLessThanOrEqual(15_000);
  });

  it('when the bots have worked, then the page shows the clock, the waiting tasks and a log of what they did, in words', async () => {
    const s = await paidOrderToDemoShop();
    await moveClock(s.workshopId, HOUR);
    await runBotsUntilIdle();
    const { page } = await tutorPage(s.workshopId, s.tutor);
    const body = text(page.text);
    expect(body).toContain('Jam pelatihan');
    expect(body).toContain('0 hari 1 jam lebih maju dari waktu nyata');
    expect(body).toContain('Tugas menunggu: 1');
    expect(body).toContain(`${s.demo.shop.name} mengirim pesanan · Pesanan #${s.orderId}`);
    expect(body).toContain('Catatan bot');
    expect(body).toContain(`${s.demo.shop.name} menerima pesanan Pesanan #${s.orderId}`);
  });

  it('when there is nothing to run, then "run one now" says so', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const { agent, csrf } = await tutorPage(w.workshopId, w.tutor);
    const res = await agent.post(`/workshops/${w.workshopId}/market/bots/run-one`).type('form').send({ _csrf: csrf });
    expect(text((await agent.get(res.headers.location!)).text)).toContain('Tidak ada tugas bot yang menunggu');
  });

  it('when a trainee opens the page or pauses the bots, then 403 and nothing changes', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const trainee = await signedInAgent(app, w.trainees[0]!);
    expect((await trainee.get(`/workshops/${w.workshopId}/market`)).status).toBe(403);
    const res = await trainee
      .post(`/workshops/${w.workshopId}/market/bots/paused`)
      .type('form')
      .send({ _csrf: await trainee.csrf(), paused: '1' });
    expect(res.status).toBe(403);
    expect((await prisma.workshop.findUniqueOrThrow({ where: { id: w.workshopId } })).botsPaused).toBe(false);
  });

  it('when staff open the workshop home, then a "Pasar" tile leads to the page', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, w.tutor);
    const home = await agent.get(`/workshops/${w.workshopId}`);
    expect(home.text).toContain(`href="/workshops/${w.workshopId}/market"`);
  });
});
