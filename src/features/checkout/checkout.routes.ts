import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal } from '../../http/refusals.js';
import { parseOrThrow, formHandler } from '../../http/validation.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { addressSchema, courierChoices, placeOrderSchema } from './checkout.schemas.js';
import { getCheckoutForm, getCheckoutReview, getPlacedCheckout, placeOrders, saveShipping } from './checkout.service.js';

/** Mounted at /checkout in a workshop: the address and couriers, the review, placing the orders. */
export const checkoutRouter = Router();

/** Mounted at /checkouts in a workshop: a placed checkout. */
export const placedCheckoutRouter = Router();
placedCheckoutRouter.param('checkoutId', idParam);

function reviewUrl(res: Response, choices: Record<number, string>): string {
  const query = new URLSearchParams(Object.entries(choices).map(([shopId, code]): [string, string] => [`courier_${shopId}`, code]));
  return `${workshopBase(res)}/checkout/review?${query}`;
}

const cartUrl = (res: Response) => `${workshopBase(res)}/cart`;

/** Refusals send the buyer to the cart, where the problem (sold out, below the minimum…) can be fixed. */
const toTheCart = (res: Response) => backOnRefusal(res, cartUrl(res));

async function formLocals(req: Request, res: Response) {
  const form = await getCheckoutForm(res.locals.ctx);
  return { ...form, choices: courierChoices(req.body ?? {}), title: res.locals.t('checkout:title') };
}

checkoutRouter.get('/', async (req, res) => {
  const form = await getCheckoutForm(res.locals.ctx);
  if (!form.cart.groups.length) return res.redirect(303, cartUrl(res));
  const choices = courierChoices(req.query as Record<string, unknown>);
  res.render('checkout/form', { ...form, choices, values: form.address ?? {}, errors: {}, title: res.locals.t('checkout:title') });
});

checkoutRouter.post(
  '/',
  formHandler({
    schema: addressSchema,
    view: 'checkout/form',
    locals: formLocals,
    handle: async (data, req, res) => {
      toTheCart(res);
      const choices = await saveShipping(res.locals.ctx, data, courierChoices(req.body));
      res.redirect(303, reviewUrl(res, choices));
    },
  }),
);

checkoutRouter.get('/review', async (req, res) => {
  const choices = courierChoices(req.query as Record<string, unknown>);
  // No address or courier yet: back to the form that asks for them.
  backOnRefusal(res, (error) =>
    ['checkout:errors.noAddress', 'checkout:errors.chooseCourier'].includes(error.messageKey)
      ? `${workshopBase(res)}/checkout`
      : cartUrl(res),
  );
  const review = await getCheckoutReview(res.locals.ctx, choices);
  res.render('checkout/review', { ...review, choices, idempotencyKey: randomUUID(), title: res.locals.t('checkout:reviewTitle') });
});

checkoutRouter.post('/place', async (req, res) => {
  const input = parseOrThrow(placeOrderSchema, req.body);
  const choices = courierChoices(req.body);
  // A changed total is shown on the review again; anything else is fixed in the cart.
  backOnRefusal(res, (error) => (error.messageKey === 'checkout:errors.totalChanged' ? reviewUrl(res, choices) : cartUrl(res)));
  const placed = await placeOrders(res.locals.ctx, { ...input, choices });
  if (!placed.repeated) setFlash(req, 'success', 'checkout:placed');
  res.redirect(303, `${workshopBase(res)}/checkouts/${placed.checkoutId}`);
});

placedCheckoutRouter.get('/:checkoutId', async (req, res) => {
  const checkout = await getPlacedCheckout(res.locals.ctx, idFrom(req, 'checkoutId'));
  res.render('checkout/placed', { checkout, title: res.locals.t('checkout:placedTitle') });
});
