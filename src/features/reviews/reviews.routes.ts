import { Router } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal } from '../../http/refusals.js';
import { formHandler } from '../../http/validation.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { getBuyerOrder, getSellerOrder } from '../orders/orders.service.js';
import { replySchema, reviewSchema } from './reviews.schemas.js';
import { createReview, orderOfReview, replyToReview } from './reviews.service.js';

/** Mounted at /orders in a workshop: the buyer reviews an item of a received order. */
export const reviewsRouter = Router();
reviewsRouter.param('orderId', idParam);
reviewsRouter.param('itemId', idParam);

/** Mounted at /seller/reviews in a workshop: the seller replies. */
export const reviewRepliesRouter = Router();
reviewRepliesRouter.param('reviewId', idParam);

reviewsRouter.post(
  '/:orderId/items/:itemId/review',
  formHandler({
    schema: reviewSchema,
    view: 'orders/detail',
    locals: async (req, res) => {
      const [orderId, itemId] = [idFrom(req, 'orderId'), idFrom(req, 'itemId')];
      return { order: await getBuyerOrder(res.locals.ctx, orderId), reviewItemId: itemId };
    },
    handle: async (data, req, res) => {
      const [orderId, itemId] = [idFrom(req, 'orderId'), idFrom(req, 'itemId')];
      const back = `${workshopBase(res)}/orders/${orderId}#reviews`;
      backOnRefusal(res, back);
      await createReview(res.locals.ctx, orderId, itemId, data);
      setFlash(req, 'success', 'reviews:thanks');
      res.redirect(303, back);
    },
  }),
);

reviewRepliesRouter.post(
  '/:reviewId/reply',
  formHandler({
    schema: replySchema,
    view: 'orders/seller-detail',
    locals: async (req, res) => {
      const reviewId = idFrom(req, 'reviewId');
      return { order: await getSellerOrder(res.locals.ctx, await orderOfReview(res.locals.ctx, reviewId)), replyReviewId: reviewId };
    },
    handle: async (data, req, res) => {
      const reviewId = idFrom(req, 'reviewId');
      const orderId = await orderOfReview(res.locals.ctx, reviewId);
      const back = `${workshopBase(res)}/seller/orders/${orderId}#reviews`;
      backOnRefusal(res, back);
      await replyToReview(res.locals.ctx, reviewId, data.reply);
      setFlash(req, 'success', 'reviews:replied');
      res.redirect(303, back);
    },
  }),
);
