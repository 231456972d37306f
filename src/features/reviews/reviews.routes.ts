import { Router, type Request, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { formHandler, parseOrThrow } from '../../http/validation.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { getBuyerOrder, getSellerOrder } from '../orders/orders.service.js';
import { replyParamsSchema, replySchema, reviewParamsSchema, reviewSchema } from './reviews.schemas.js';
import { createReview, orderOfReview, replyToReview, ReviewRefusedError } from './reviews.service.js';

/** Mounted at /orders in a workshop: the buyer reviews an item of a received order. */
export const reviewsRouter = Router();

/** Mounted at /seller/reviews in a workshop: the seller replies. */
export const reviewRepliesRouter = Router();

function refused(req: Request, res: Response, error: unknown, back: string): void {
  if (!(error instanceof ReviewRefusedError)) throw error;
  setFlash(req, 'error', error.messageKey);
  res.redirect(303, back);
}

reviewsRouter.post(
  '/:orderId/items/:itemId/review',
  formHandler({
    schema: reviewSchema,
    view: 'orders/detail',
    locals: async (req, res) => {
      const { orderId, itemId } = parseOrThrow(reviewParamsSchema, req.params);
      return { order: await getBuyerOrder(res.locals.ctx, orderId), reviewItemId: itemId };
    },
    handle: async (data, req, res) => {
      const { orderId, itemId } = parseOrThrow(reviewParamsSchema, req.params);
      const back = `${workshopBase(res)}/orders/${orderId}#reviews`;
      try {
        await createReview(res.locals.ctx, orderId, itemId, data);
        setFlash(req, 'success', 'reviews:thanks');
        res.redirect(303, back);
      } catch (error) {
        refused(req, res, error, back);
      }
    },
  }),
);

reviewRepliesRouter.post(
  '/:reviewId/reply',
  formHandler({
    schema: replySchema,
    view: 'orders/seller-detail',
    locals: async (req, res) => {
      const { reviewId } = parseOrThrow(replyParamsSchema, req.params);
      return { order: await getSellerOrder(res.locals.ctx, await orderOfReview(res.locals.ctx, reviewId)), replyReviewId: reviewId };
    },
    handle: async (data, req, res) => {
      const { reviewId } = parseOrThrow(replyParamsSchema, req.params);
      const orderId = await orderOfReview(res.locals.ctx, reviewId);
      const back = `${workshopBase(res)}/seller/orders/${orderId}#reviews`;
      try {
        await replyToReview(res.locals.ctx, reviewId, data.reply);
        setFlash(req, 'success', 'reviews:replied');
        res.redirect(303, back);
      } catch (error) {
        refused(req, res, error, back);
      }
    },
  }),
);
