import { Router, type Request, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { safeNext } from '../../http/guards.js';
import { parseOrThrow } from '../../http/validation.js';
import { ValidationError } from '../../errors.js';
import { addToCartSchema, updateCartItemSchema } from './cart.schemas.js';
import { addToCart, CartRefusedError, loadCart, removeCartItem, updateCartItem } from './cart.service.js';

/** Mounted at /cart in a workshop. */
export const cartRouter = Router();
const router = cartRouter;
router.param('itemId', idParam);

const cartUrl = (res: Response) => `/workshops/${res.locals.ctx.workshopId}/cart`;

/** The page the form was on, to show a refusal where the person was (its path only: never off-site). */
function backTo(req: Request, fallback: string): string {
  const referer = req.get('referer');
  if (!referer) return fallback;
  try {
    const url = new URL(referer);
    return safeNext(url.pathname + url.search, fallback);
  } catch {
    return fallback;
  }
}

/** A refused cart change goes back with the reason as a flash message. */
function refuse(req: Request, res: Response, error: unknown, fallback: string): void {
  if (error instanceof CartRefusedError) setFlash(req, 'error', error.messageKey, error.params);
  else if (error instanceof ValidationError) setFlash(req, 'error', Object.values(error.fieldErrors)[0] ?? 'common:validation.invalid');
  else throw error;
  res.redirect(303, backTo(req, fallback));
}

router.get('/', async (_req, res) => {
  const cart = await loadCart(res.locals.ctx);
  res.render('cart/index', { cart, title: res.locals.t('cart:title') });
});

router.post('/items', async (req, res) => {
  try {
    const input = parseOrThrow(addToCartSchema, req.body);
    const added = await addToCart(res.locals.ctx, input);
    setFlash(req, 'success', 'cart:added', { title: added.title });
    res.redirect(303, cartUrl(res));
  } catch (error) {
    refuse(req, res, error, cartUrl(res));
  }
});

router.post('/items/:itemId', async (req, res) => {
  const itemId = idFrom(req, 'itemId');
  try {
    const { quantity } = parseOrThrow(updateCartItemSchema, req.body);
    await updateCartItem(res.locals.ctx, itemId, quantity);
    setFlash(req, 'success', 'cart:updated');
    res.redirect(303, cartUrl(res));
  } catch (error) {
    refuse(req, res, error, cartUrl(res));
  }
});

router.post('/items/:itemId/delete', async (req, res) => {
  const itemId = idFrom(req, 'itemId');
  await removeCartItem(res.locals.ctx, itemId);
  setFlash(req, 'success', 'cart:removed');
  res.redirect(303, cartUrl(res));
});
