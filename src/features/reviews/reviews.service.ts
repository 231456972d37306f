// Reviews: after `selesai` the buyer rates each ordered item once; the seller replies once. The
// listing's ratingSum/ratingCount move in the same transaction, so averages never drift.
import { isUniqueViolation, prisma } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { workshopNow } from '../workshops/clock.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';
import type { ReviewInput } from './reviews.schemas.js';

export async function createReview(
  ctx: WorkshopCtx,
  orderId: number,
  orderItemId: number,
  input: ReviewInput,
  now = workshopNow(ctx),
): Promise<void> {
  const item = await prisma.orderItem.findFirst({
    where: { id: orderItemId, orderId, order: { workshopId: ctx.workshopId, buyerId: ctx.userId } },
    select: { id: true, listingId: true, review: { select: { id: true } }, order: { select: { status: true, shopId: true } } },
  });
  if (!item) throw new NotFoundError(`Order item ${orderItemId} is not this buyer's`);
  if (item.order.status !== 'selesai') throw new RefusedError('reviews:errors.notCompleted');
  if (item.review) throw new RefusedError('reviews:errors.alreadyReviewed');
  try {
    await prisma.$transaction(async (tx) => {
      await tx.review.create({
        data: {
          workshopId: ctx.workshopId,
          orderItemId: item.id,
          listingId: item.listingId,
          shopId: item.order.shopId,
          buyerId: ctx.userId,
          rating: input.rating,
          text: input.text,
          createdAt: now,
        },
      });
      await tx.listing.update({
        where: { id: item.listingId },
        data: { ratingSum: { increment: input.rating }, ratingCount: { increment: 1 } },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new RefusedError('reviews:errors.alreadyReviewed');
    throw error;
  }
}

export async function replyToReview(
  ctx: WorkshopCtx,
  reviewId: number,
  reply: string,
  now = workshopNow(ctx),
): Promise<{ orderId: number }> {
  const review = await prisma.review.findFirst({
    where: { id: reviewId, workshopId: ctx.workshopId, shop: { ownerId: ctx.userId } },
    select: { id: true, orderItem: { select: { orderId: true } } },
  });
  if (!review) throw new NotFoundError(`Review ${reviewId} is not on this seller's shop`);
  const updated = await prisma.review.updateMany({ where: { id: review.id, reply: null }, data: { reply, repliedAt: now } });
  if (updated.count !== 1) throw new RefusedError('reviews:errors.alreadyReplied');
  return { orderId: review.orderItem.orderId };
}

/** The order a review belongs to, for showing the reply form again after a mistake. */
export async function orderOfReview(ctx: WorkshopCtx, reviewId: number): Promise<number> {
  const review = await prisma.review.findFirst({
    where: { id: reviewId, workshopId: ctx.workshopId, shop: { ownerId: ctx.userId } },
    select: { orderItem: { select: { orderId: true } } },
  });
  if (!review) throw new NotFoundError(`Review ${reviewId} is not on this seller's shop`);
  return review.orderItem.orderId;
}
