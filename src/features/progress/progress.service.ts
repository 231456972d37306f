// The tutor's progress board: per trainee, which practice tasks are done, always derived from
// the rows the practice left behind (a shop, an order, a review…), never ticked by hand.
import { prisma } from '../../db.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';

/**
 * Whether the payment tasks can be derived yet. The payments feature flips this to true once it
 * writes Payment (method card, status succeeded) and PaymentAttempt (outcome declined) rows;
 * until then those columns read "not available yet" instead of a misleading "not done".
 */
export const progressFeatureFlags = { payments: true };

export const marketTasks = [
  'openedShop',
  'listedWithPhoto',
  'placedOrder',
  'paidByCard',
  'handledDecline',
  'shippedOrder',
  'confirmedReceipt',
  'wroteReview',
] as const;
export type MarketTask = (typeof marketTasks)[number];
const paymentTasks: readonly MarketTask[] = ['paidByCard', 'handledDecline'];

/** done, not done, or not measurable yet (the feature that writes the rows is not there). */
export type TaskState = 'done' | 'todo' | 'unavailable';

export type ProgressBoard = {
  tasks: { key: string; label: { id: string; en: string } | null; available: boolean; doneCount: number }[];
  trainees: { id: number; displayName: string; username: string; states: TaskState[]; doneCount: number }[];
};

function idSet(rows: { id: number | null }[]): Set<number> {
  return new Set(rows.map((r) => r.id).filter((id): id is number => id !== null));
}

export async function getProgressBoard(ctx: WorkshopCtx): Promise<ProgressBoard> {
  assertRole(ctx, 'organizer', 'tutor');
  const w = ctx.workshopId;
  // The owners of the demo shops are trainee members too, but nobody practises with them.
  const members = await prisma.membership.findMany({
    where: { workshopId: w, role: 'trainee', user: { shops: { none: { workshopId: w, isDemo: true } } } },
    orderBy: { user: { displayName: 'asc' } },
    select: { user: { select: { id: true, displayName: true, username: true } } },
  });

  const [shops, photoListings, buyers, shippers, receivers, reviewers] = await Promise.all([
    prisma.shop.findMany({ where: { workshopId: w, isDemo: false }, select: { ownerId: true } }),
    prisma.shop.findMany({
      where: { workshopId: w, isDemo: false, listings: { some: { photos: { some: {} } } } },
      select: { ownerId: true },
    }),
    prisma.order.findMany({ where: { workshopId: w }, distinct: ['buyerId'], select: { buyerId: true } }),
    prisma.shop.findMany({ where: { workshopId: w, orders: { some: { shippedAt: { not: null } } } }, select: { ownerId: true } }),
    prisma.order.findMany({ where: { workshopId: w, status: 'selesai' }, distinct: ['buyerId'], select: { buyerId: true } }),
    prisma.review.findMany({ where: { workshopId: w }, distinct: ['buyerId'], select: { buyerId: true } }),
  ]);
  const paidByCard = progressFeatureFlags.payments
    ? await prisma.checkout.findMany({
        where: { workshopId: w, payments: { some: { method: 'card', status: { in: ['succeeded', 'refunded'] } } } },
        distinct: ['buyerId'],
        select: { buyerId: true },
      })
    : [];
  const declined = progressFeatureFlags.payments
    ? // Handled = a card was declined and the same checkout was then paid (by card or another method).
      await prisma.checkout.findMany({
        where: {
          workshopId: w,
          AND: [
            { payments: { some: { attempts: { some: { outcome: 'declined' } } } } },
            { payments: { some: { status: { in: ['succeeded', 'refunded'] }, method: { not: 'cod' } } } },
          ],
        },
        distinct: ['buyerId'],
        select: { buyerId: true },
      })
    : [];

  const done: Record<MarketTask, Set<number>> = {
    openedShop: idSet(shops.map((s) => ({ id: s.ownerId }))),
    listedWithPhoto: idSet(photoListings.map((s) => ({ id: s.ownerId }))),
    placedOrder: idSet(buyers.map((o) => ({ id: o.buyerId }))),
    paidByCard: idSet(paidByCard.map((c) => ({ id: c.buyerId }))),
    handledDecline: idSet(declined.map((c) => ({ id: c.buyerId }))),
    shippedOrder: idSet(shippers.map((s) => ({ id: s.ownerId }))),
    confirmedReceipt: idSet(receivers.map((o) => ({ id: o.buyerId }))),
    wroteReview: idSet(reviewers.map((r) => ({ id: r.buyerId }))),
  };

  // Questionnaires count once they exist: one task per open or closed form of the workshop.
  const forms = await prisma.form.findMany({
    where: { workshopId: w, status: { in: ['open', 'closed'] } },
    orderBy: { id: 'asc' },
    select: { id: true, titleId: true, titleEn: true, responses: { where: { userId: { not: null } }, select: { userId: true } } },
  });

  const columns = [
    ...marketTasks.map((task) => ({
      key: task,
      label: null,
      available: !paymentTasks.includes(task) || progressFeatureFlags.payments,
      doers: done[task],
    })),
    ...forms.map((form) => ({
      key: `form-${form.id}`,
      label: { id: form.titleId, en: form.titleEn },
      available: true,
      doers: idSet(form.responses.map((r) => ({ id: r.userId }))),
    })),
    // No published questionnaire yet: one placeholder column that says so.
    ...(forms.length ? [] : [{ key: 'questionnaires', label: null, available: false, doers: new Set<number>() }]),
  ];

  const trainees = members.map(({ user }) => {
    const states: TaskState[] = columns.map((c) => (!c.available ? 'unavailable' : c.doers.has(user.id) ? 'done' : 'todo'));
    return { ...user, states, doneCount: states.filter((s) => s === 'done').length };
  });
  const traineeIds = new Set(trainees.map((t) => t.id));
  return {
    tasks: columns.map((c) => ({
      key: c.key,
      label: c.label,
      available: c.available,
      doneCount: [...c.doers].filter((id) => traineeIds.has(id)).length,
    })),
    trainees,
  };
}
