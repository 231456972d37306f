import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { ctxOf, makeListing, makeOrder, makeResponse, makeShop, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { buyerConfirmReceipt, sellerAcceptOrder, sellerShipOrder } from '../orders/orders.service.js';
import { createReview } from '../reviews/reviews.service.js';
import { getProgressBoard, progressFeatureFlags } from './progress.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

async function workshopWithPractice() {
  const ws = await makeWorkshop({ trainees: 3 });
  const [seller, buyer, idle] = ws.trainees as [(typeof ws.trainees)[0], (typeof ws.trainees)[0], (typeof ws.trainees)[0]];
  const shop = await makeShop({ workshop: ws.workshopId, owner: seller });
  const listing = await makeListing({ shop });
  await prisma.listingPhoto.create({
    data: { workshopId: ws.workshopId, listingId: listing.id, path: 'x.webp', thumbPath: 'x-t.webp', width: 10, height: 10, position: 0 },
  });
  const buyerCtx = await ctxOf({ workshop: ws.workshopId, user: buyer });
  const sellerCtx = await ctxOf({ workshop: ws.workshopId, user: seller });
  const { checkoutId, orderId } = await makeOrder({ buyer: buyerCtx, listing, paid: true });
  await sellerAcceptOrder(sellerCtx, orderId);
  await sellerShipOrder(sellerCtx, orderId, 'POS1234567890');
  await buyerConfirmReceipt(buyerCtx, orderId);
  const item = await prisma.orderItem.findFirstOrThrow({ where: { orderId } });
  await createReview(buyerCtx, orderId, item.id, { rating: 5, text: 'Bagus' });
  return { ...ws, seller, buyer, idle, checkoutId, tutorCtx: await ctxOf({ workshop: ws.workshopId, user: ws.tutor }) };
}

const stateOf = (board: Awaited<ReturnType<typeof getProgressBoard>>, userId: number, task: string) => {
  const trainee = board.trainees.find((t) => t.id === userId)!;
  return trainee.states[board.tasks.findIndex((t) => t.key === task)];
};

describe('progress board', () => {
  it('when trainees practise, then each task is derived from their rows and counted at the top', async () => {
    const w = await workshopWithPractice();
    const board = await getProgressBoard(w.tutorCtx);
    expect(board.trainees).toHaveLength(3);
    for (const task of ['openedShop', 'listedWithPhoto', 'shippedOrder']) {
      expect(stateOf(board, w.seller.id, task)).toBe('done');
      expect(stateOf(board, w.buyer.id, task)).toBe('todo');
    }
    for (const task of ['placedOrder', 'confirmedReceipt', 'wroteReview']) {
      expect(stateOf(board, w.buyer.id, task)).toBe('done');
      expect(stateOf(board, w.seller.id, task)).toBe('todo');
    }
    for (const task of ['openedShop', 'placedOrder', 'wroteReview']) expect(stateOf(board, w.idle.id, task)).toBe('todo');
    expect(board.tasks.find((t) => t.key === 'openedShop')!.doneCount).toBe(1);
    expect(board.tasks.find((t) => t.key === 'wroteReview')!.doneCount).toBe(1);
  });

  it('when a shop has listings without photos only, then "listed a product with a photo" is not done', async () => {
    const ws = await makeWorkshop({ trainees: 1 });
    const shop = await makeShop({ workshop: ws.workshopId, owner: ws.trainees[0]! });
    await makeListing({ shop });
    const board = await getProgressBoard(await ctxOf({ workshop: ws.workshopId, user: ws.tutor }));
    expect(stateOf(board, ws.trainees[0]!.id, 'openedShop')).toBe('done');
    expect(stateOf(board, ws.trainees[0]!.id, 'listedWithPhoto')).toBe('todo');
  });

  it('when payments are not built yet, then the card tasks read not available; once flagged, they are derived from Payment and PaymentAttempt', async () => {
    const w = await workshopWithPractice();
    const payment = await prisma.payment.create({
      data: { workshopId: w.workshopId, checkoutId: w.checkoutId, method: 'card', status: 'succeeded', amount: 1 },
    });
    await prisma.paymentAttempt.create({ data: { paymentId: payment.id, outcome: 'declined', declineCode: 'card_declined' } });
    const flagged = progressFeatureFlags.payments;
    try {
      progressFeatureFlags.payments = false;
      let board = await getProgressBoard(w.tutorCtx);
      expect(stateOf(board, w.buyer.id, 'paidByCard')).toBe('unavailable');
      expect(board.tasks.find((t) => t.key === 'handledDecline')!.available).toBe(false);
      progressFeatureFlags.payments = true;
      board = await getProgressBoard(w.tutorCtx);
      expect(stateOf(board, w.buyer.id, 'paidByCard')).toBe('done');
      expect(stateOf(board, w.buyer.id, 'handledDecline')).toBe('done');
      expect(stateOf(board, w.seller.id, 'paidByCard')).toBe('todo');
    } finally {
      progressFeatureFlags.payments = flagged;
    }
  });

  it('when the workshop has no published questionnaire, then one column says not available; with forms, one column per open or closed form', async () => {
    const w = await workshopWithPractice();
    let board = await getProgressBoard(w.tutorCtx);
    expect(board.tasks.find((t) => t.key === 'questionnaires')).toMatchObject({ available: false });
    const open = await prisma.form.create({
      data: { workshopId: w.workshopId, kind: 'pre', titleId: 'Kuesioner awal', titleEn: 'Pre-training', status: 'open' },
    });
    await prisma.form.create({ data: { workshopId: w.workshopId, kind: 'post', titleId: 'Draf', titleEn: 'Draft', status: 'draft' } });
    await makeResponse({ form: open, user: w.buyer });
    board = await getProgressBoard(w.tutorCtx);
    expect(board.tasks.find((t) => t.key === 'questionnaires')).toBeUndefined();
    expect(board.tasks.filter((t) => t.key.startsWith('form-'))).toHaveLength(1);
    expect(stateOf(board, w.buyer.id, `form-${open.id}`)).toBe('done');
    expect(stateOf(board, w.seller.id, `form-${open.id}`)).toBe('todo');
  });

  it('when the tutor opens the board, then it shows each trainee; a trainee is forbidden; another workshop gets 404', async () => {
    const w = await workshopWithPractice();
    const tutor = await signedInAgent(app, w.tutor.username);
    const res = await tutor.get(`/workshops/${w.workshopId}/progress`);
    expect(res.status).toBe(200);
    for (const t of [w.seller, w.buyer, w.idle]) expect(res.text).toContain(`data-trainee="${t.username}"`);
    expect(res.text).toContain('belum tersedia'); // no questionnaire yet
    const trainee = await signedInAgent(app, w.buyer.username);
    expect((await trainee.get(`/workshops/${w.workshopId}/progress`)).status).toBe(403);
    const other = await makeWorkshop({ trainees: 0 });
    const otherTutor = await signedInAgent(app, other.tutor.username);
    expect((await otherTutor.get(`/workshops/${w.workshopId}/progress`)).status).toBe(404);
  });
});

describe('progress board members', () => {
  it('when a trainee member owns a demo shop, then the board leaves them out', async () => {
    const ws = await makeWorkshop({ trainees: 2 });
    const [demoOwner, trainee] = ws.trainees as [(typeof ws.trainees)[0], (typeof ws.trainees)[0]];
    await makeShop({ workshop: ws.workshopId, owner: demoOwner, name: 'Kopi Demo', city: 'Bangli', description: '', isDemo: true });
    const board = await getProgressBoard(await ctxOf({ workshop: ws.workshopId, user: ws.tutor }));
    expect(board.trainees.map((t) => t.id)).toEqual([trainee.id]);
  });
});
