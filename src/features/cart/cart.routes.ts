import { Router, type Request, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal, refererPath } from '../../http/refusals.js';
import { parseOrRefuse } from '../../http/validation.js';
import { addToCartSchema, updateCartItemSchema } from './cart.schemas.js';
import { addToCart, loadCart, removeCartItem, updateCartItem } from './cart.service.js';

/** Mounted at /cart in a workshop. */
export const cartRouter = Router();
const router = cartRouter;
router.param('itemId', idParam);

const cartUrl = (res: Response) => `/workshops/${res.locals.ctx.workshopId}/cart`;

/** A refused cart change goes back, with the reason, to the page the form was on (a product, the cart). */
const backToTheForm = (req: Request, res: Response) => backOnRefusal(res, refererPath(req) ?? cartUrl(res));

router.get('/', async (_req, res) => {
  const cart = await loadCart(res.locals.ctx);
  res.render('cart/index', { cart, title: res.locals.t('cart:title') });
});

router.post('/items', async (req, res) => {
  backToTheForm(req, res);
  const added = await addToCart(res.locals.ctx, parseOrRefuse(addToCartSchema, req.body));
  setFlash(req, 'success', 'cart:added', { title: added.title });
  res.redirect(303, cartUrl(res));
});

router.post('/items/:itemId', async (req, res) => {
  backToTheForm(req, res);
  const { quantity } = parseOrRefuse(updateCartItemSchema, req.body);
  await updateCartItem(res.locals.ctx, idFrom(req, 'itemId'), quantity);
  setFlash(req, 'success', 'cart:updated');
  res.redirect(303, cartUrl(res));
});

router.post('/items/:itemId/delete', async (req, res) => {
  await removeCartItem(res.locals.ctx, idFrom(req, 'itemId'));
  setFlash(req, 'success', 'cart:removed');
  res.redirect(303, cartUrl(res));
});
