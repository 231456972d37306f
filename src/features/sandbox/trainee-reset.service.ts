// The tutor resets one trainee's market data (her shop, listings, cart and orders) so she can
// start her practice again, without touching anybody else. What is hers alone goes: her cart, her
// listings, her shop, and every checkout whose orders are all between her and a demo account (a
// demo shop she bought from, a demo buyer who bought from her), with their payments, refunds,
// reviews and history. What she shares with another participant stays as it is for both: an order
// between them (and the whole checkout it belongs to), and so the listing it points to (hidden and
// marked deleted instead) and her shop (kept while anything still points to it).
import { prisma, type Tx } from '../../db.js';
import { NotFoundError } from '../../errors.js';
import { removeStoredFiles } from '../../http/uploads.js';
import { logoFiles } from '../shops/shops.service.js';
import { isParticipant } from '../workshops/participants.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';

export type TraineeResetPlan = {
  trainee: { id: number; username: string; displayName: string };
  shop: { id: number; name: string; logoPath: string | null } | null;
  /** Checkouts removed with their orders. */
  checkoutIds: number[];
  ordersRemoved: number;
  /** Orders with another participant, kept. */
  ordersKept: number;
  listingsRemoved: number[];
  /** Her listings that kept orders or other people's carts point to: hidden and marked deleted. */
  listingsHidden: number[];
  cartItems: number;
  shopRemoved: boolean;
};

async function planReset(db: Tx, workshopId: number, traineeId: number): Promise<TraineeResetPlan> {
  const trainee = await db.user.findUniqueOrThrow({ where: { id: traineeId }, select: { id: true, username: true, displayName: true } });
  const shop = await db.shop.findUnique({
    where: { workshopId_ownerId: { workshopId, ownerId: traineeId } },
    select: { id: true, name: true, logoPath: true },
  });
  const checkouts = await db.checkout.findMany({
    where: { workshopId, OR: [{ buyerId: traineeId }, ...(shop ? [{ orders: { some: { shopId: shop.id } } }] : [])] },
    select: {
      id: true,
      orders: {
        select: {
          id: true,
          buyerId: true,
          buyer: { select: { demoKind: true } },
          shop: { select: { id: true, isDemo: true, owner: { select: { demoKind: true } } } },
        },
      },
    },
  });
  // An order is hers alone when the other side is a demo account (or herself).
  const hersAlone = (order: (typeof checkouts)[number]['orders'][number]) =>
    order.buyerId === traineeId
      ? order.shop.id === shop?.id || order.shop.isDemo || order.shop.owner.demoKind !== null
      : order.buyer.demoKind !== null;
  const removable = checkouts.filter((c) => c.orders.every(hersAlone));
  const removedOrderIds = new Set(removable.flatMap((c) => c.orders.map((o) => o.id)));
  const keptOrderIds = checkouts.flatMap((c) => c.orders.map((o) => o.id)).filter((id) => !removedOrderIds.has(id));

  const listings = shop
    ? await db.listing.findMany({
        where: { shopId: shop.id },
        select: {
          id: true,
          orderItems: { where: { orderId: { notIn: [...removedOrderIds] } }, select: { id: true }, take: 1 },
          cartItems: { where: { userId: { not: traineeId } }, select: { id: true }, take: 1 },
        },
      })
    : [];
  const listingsHidden = listings.filter((l) => l.orderItems.length || l.cartItems.length).map((l) => l.id);
  const listingsRemoved = listings.filter((l) => !listingsHidden.includes(l.id)).map((l) => l.id);
  const shopOrdersKept = shop ? await db.order.count({ where: { shopId: shop.id, id: { notIn: [...removedOrderIds] } } }) : 0;
  return {
    trainee,
    shop,
    checkoutIds: removable.map((c) => c.id),
    ordersRemoved: removedOrderIds.size,
    ordersKept: keptOrderIds.length,
    listingsRemoved,
    listingsHidden,
    cartItems: await db.cartItem.count({ where: { workshopId, userId: traineeId } }),
    shopRemoved: shop !== null && listingsHidden.length === 0 && shopOrdersKept === 0,
  };
}

async function mustBeParticipant(ctx: WorkshopCtx, traineeId: number): Promise<void> {
  assertRole(ctx, 'tutor', 'organizer');
  if (!(await isParticipant(ctx.workshopId, traineeId)))
    throw new NotFoundError(`User ${traineeId} is no participant of ${ctx.workshopId}`);
}

export async function getTraineeResetPreview(ctx: WorkshopCtx, traineeId: number): Promise<TraineeResetPlan> {
  await mustBeParticipant(ctx, traineeId);
  return planReset(prisma, ctx.workshopId, traineeId);
}

export async function resetTrainee(ctx: WorkshopCtx, traineeId: number, now = new Date()): Promise<TraineeResetPlan> {
  await mustBeParticipant(ctx, traineeId);
  const w = ctx.workshopId;
  const { plan, files } = await prisma.$transaction(
    async (tx) => {
      // Her listings' rows are written first, as a checkout reserving one writes its stock: an
      // order placed at this moment either came first and is read by the plan (the listing is
      // hidden, her shop kept), or waits and then finds the listing gone (sold out).
      await tx.listing.updateMany({ where: { workshopId: w, shop: { ownerId: traineeId } }, data: { workshopId: w } });
      const plan = await planReset(tx, w, traineeId);
      // The chats that go with her shop or with the removed orders (the rows cascade): their photo files go too.
      const chatPhotos = await tx.chatMessage.findMany({
        where: {
          photoPath: { not: null },
          thread: {
            workshopId: w,
            OR: [{ order: { checkoutId: { in: plan.checkoutIds } } }, ...(plan.shopRemoved && plan.shop ? [{ shopId: plan.shop.id }] : [])],
          },
        },
        select: { photoPath: true, photoThumbPath: true },
      });
      // Stock her removed purchases held at demo shops goes back to their shelves. Her orders'
      // rows are written first: an order she cancels at this moment (which puts its stock back
      // itself) is either done before and read as cancelled here, or waits and finds it gone.
      await tx.order.updateMany({ where: { checkoutId: { in: plan.checkoutIds }, workshopId: w }, data: { workshopId: w } });
      const held = await tx.orderItem.findMany({
        where: { order: { checkoutId: { in: plan.checkoutIds }, status: { not: 'dibatalkan' }, shopId: { not: plan.shop?.id ?? -1 } } },
        select: { listingId: true, quantity: true },
      });
      for (const item of held) await tx.listing.update({ where: { id: item.listingId }, data: { stock: { increment: item.quantity } } });
      await tx.checkout.deleteMany({ where: { id: { in: plan.checkoutIds }, workshopId: w } });
      await tx.cartItem.deleteMany({ where: { workshopId: w, userId: traineeId } });
      const photos = await tx.listingPhoto.findMany({
        where: { listingId: { in: plan.listingsRemoved } },
        select: { path: true, thumbPath: true },
      });
      await tx.listing.deleteMany({ where: { id: { in: plan.listingsRemoved }, workshopId: w } });
      await tx.listing.updateMany({ where: { id: { in: plan.listingsHidden }, workshopId: w }, data: { hidden: true, deletedAt: now } });
      if (plan.shopRemoved && plan.shop) await tx.shop.delete({ where: { id: plan.shop.id } });
      await tx.staffAction.create({
        data: { workshopId: w, staffId: ctx.userId, action: 'trainee.reset', detail: `@${plan.trainee.username}` },
      });
      const files = [
        ...photos.flatMap((p) => [p.path, p.thumbPath]),
        ...chatPhotos.flatMap((m) => [m.photoPath, m.photoThumbPath]),
        ...(plan.shopRemoved && plan.shop?.logoPath ? logoFiles(plan.shop.logoPath) : []),
      ];
      return { plan, files };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  await removeStoredFiles(files);
  return plan;
}
