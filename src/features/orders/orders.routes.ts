import { Router, type Request, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal } from '../../http/refusals.js';
import { formHandler, parseOrThrow } from '../../http/validation.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { buyerCancelSchema, sellerCancelSchema, sellerTabSchema, shipSchema } from './orders.schemas.js';
import {
  buyerCancelOrder,
  buyerConfirmReceipt,
  getBuyerOrder,
  getSellerOrder,
  listBuyerOrders,
  listSellerOrders,
  sellerAcceptOrder,
  sellerCancelOrder,
  sellerShipOrder,
} from './orders.service.js';

const orderId = (req: Request) => idFrom(req, 'orderId');
const buyerOrderUrl = (req: Request, res: Response) => `${workshopBase(res)}/orders/${orderId(req)}`;
const sellerOrderUrl = (req: Request, res: Response) => `${workshopBase(res)}/seller/orders/${orderId(req)}`;

/** Runs a transition; done or refused, the person lands back on the order with a message. */
async function transition(req: Request, res: Response, back: string, run: () => Promise<unknown>, doneKey: string): Promise<void> {
  backOnRefusal(res, back);
  await run();
  setFlash(req, 'success', doneKey);
  res.redirect(303, back);
}

// ---------------------------------------------------------------- buyer

/** Mounted at /orders in a workshop. */
export const buyerOrdersRouter = Router();
const buyer = buyerOrdersRouter;
buyer.param('orderId', idParam);

buyer.get('/', async (_req, res) => {
  const orders = await listBuyerOrders(res.locals.ctx);
  res.render('orders/buyer-list', { orders, title: res.locals.t('orders:buyer.title') });
});

async function buyerDetailLocals(req: Request, res: Response) {
  return { order: await getBuyerOrder(res.locals.ctx, orderId(req)), title: res.locals.t('orders:detail.title') };
}

buyer.get('/:orderId', async (req, res) => {
  res.render('orders/detail', { ...(await buyerDetailLocals(req, res)), values: {}, errors: {} });
});

buyer.post('/:orderId/cancel', async (req, res) => {
  const { reason } = parseOrThrow(buyerCancelSchema, req.body);
  await transition(
    req,
    res,
    buyerOrderUrl(req, res),
    () => buyerCancelOrder(res.locals.ctx, orderId(req), reason || undefined),
    'orders:done.cancelled',
  );
});

buyer.post('/:orderId/confirm', async (req, res) => {
  await transition(req, res, buyerOrderUrl(req, res), () => buyerConfirmReceipt(res.locals.ctx, orderId(req)), 'orders:done.confirmed');
});

// ---------------------------------------------------------------- seller

/** Mounted at /seller/orders in a workshop. */
export const sellerOrdersRouter = Router();
const seller = sellerOrdersRouter;
seller.param('orderId', idParam);

seller.get('/', async (req, res) => {
  const { status } = parseOrThrow(sellerTabSchema, req.query);
  const data = await listSellerOrders(res.locals.ctx, status);
  res.render('orders/seller-list', { ...data, title: res.locals.t('orders:seller.title') });
});

async function sellerDetailLocals(req: Request, res: Response) {
  return { order: await getSellerOrder(res.locals.ctx, orderId(req)), title: res.locals.t('orders:detail.title') };
}

seller.get('/:orderId', async (req, res) => {
  res.render('orders/seller-detail', { ...(await sellerDetailLocals(req, res)), values: {}, errors: {} });
});

seller.post('/:orderId/accept', async (req, res) => {
  await transition(req, res, sellerOrderUrl(req, res), () => sellerAcceptOrder(res.locals.ctx, orderId(req)), 'orders:done.accepted');
});

seller.post(
  '/:orderId/ship',
  formHandler({
    schema: shipSchema,
    view: 'orders/seller-detail',
    locals: sellerDetailLocals,
    handle: async (data, req, res) => {
      await transition(
        req,
        res,
        sellerOrderUrl(req, res),
        () => sellerShipOrder(res.locals.ctx, orderId(req), data.trackingNumber),
        'orders:done.shipped',
      );
    },
  }),
);

seller.post(
  '/:orderId/cancel',
  formHandler({
    schema: sellerCancelSchema,
    view: 'orders/seller-detail',
    locals: sellerDetailLocals,
    handle: async (data, req, res) => {
      await transition(
        req,
        res,
        sellerOrderUrl(req, res),
        () => sellerCancelOrder(res.locals.ctx, orderId(req), data.reason),
        'orders:done.cancelled',
      );
    },
  }),
);
