// The pay page and its methods (workshop-scoped), the simulated bank and e-wallet, and the
// provider's webhook (top level, raw body, signed).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import { config } from '../../config.js';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal } from '../../http/refusals.js';
import { phoneUrl, requestHostname, requestOrigin } from '../../http/public-url.js';
import { sendQrCode } from '../../http/qr-code.js';
import { formHandler, parseOrThrow } from '../../http/validation.js';
import { logger } from '../../logger.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { paymentsDashboardLink } from './dashboard-link.js';
import {
  ewalletSchema,
  mbankingSchema,
  payMethodSchema,
  payPageQuerySchema,
  qrisRefSchema,
  returnQuerySchema,
} from './payments.schemas.js';
import {
  applyStripeEvent,
  chooseCod,
  formatVaNumber,
  getPayPage,
  getQrisBill,
  getReceipt,
  getSimulatedBill,
  PaymentProviderDownError,
  payQris,
  payVirtualAccount,
  reconcileReturn,
  SIMULATED_PIN,
  startCardPayment,
  startQris,
  startVirtualAccount,
} from './payments.service.js';
import { verifyWebhook } from './stripe-client.js';

/** Mounted at /checkouts in a workshop: paying a placed checkout and coming back from the card page. */
export const payRouter = Router();
payRouter.param('checkoutId', idParam);

/** Mounted at /simulasi in a workshop: the simulated m-banking and e-wallet, and their receipts. */
export const simulatorRouter = Router();
simulatorRouter.param('paymentId', idParam);
const checkoutId = (req: Request) => idFrom(req, 'checkoutId');
const checkoutUrl = (req: Request, res: Response) => `${workshopBase(res)}/checkouts/${checkoutId(req)}`;

/** The checkout was removed by the tutor's reset while its buyer was on the card page. */
function renderMarketReset(res: Response, refunded: boolean): void {
  res.status(410).render('payments/market-reset', { refunded, title: res.locals.t('payments:marketReset.title') });
}

/** The payment server could not be reached: nothing changed, the buyer may try again from the pay page. */
const providerDownPage: ErrorRequestHandler = (error, req, res, next) => {
  if (!(error instanceof PaymentProviderDownError)) return next(error);
  res
    .status(503)
    .render('payments/unavailable', { back: `${checkoutUrl(req, res)}/pay`, title: res.locals.t('payments:unavailable.title') });
};

payRouter.get('/:checkoutId/pay', async (req, res) => {
  const page = await getPayPage(res.locals.ctx, checkoutId(req), parseOrThrow(payPageQuerySchema, req.query));
  if (page.kind === 'reset') return renderMarketReset(res, false);
  res.render('payments/pay', { ...page, idempotencyKey: randomUUID(), formatVaNumber, title: res.locals.t('payments:pay.title') });
});

payRouter.post(
  '/:checkoutId/pay',
  async (req: Request, res: Response) => {
    const { method, idempotencyKey } = parseOrThrow(payMethodSchema, req.body);
    const ctx = res.locals.ctx;
    const id = checkoutId(req);
    const payUrl = `${checkoutUrl(req, res)}/pay`;
    // Nothing to pay any more, already paid…: the checkout's page says where things stand.
    backOnRefusal(res, checkoutUrl(req, res));
    switch (method) {
      case 'card': {
        const info = { origin: requestOrigin(req), hostname: requestHostname(req), lang: res.locals.lang };
        res.redirect(303, await startCardPayment(ctx, id, { idempotencyKey, info }));
        return;
      }
      case 'va':
        await startVirtualAccount(ctx, id);
        res.redirect(303, `${payUrl}/va`);
        return;
      case 'qris':
        await startQris(ctx, id);
        res.redirect(303, `${payUrl}/qris`);
        return;
      case 'cod':
        await chooseCod(ctx, id);
        setFlash(req, 'success', 'payments:cod.chosen');
        res.redirect(303, checkoutUrl(req, res));
        return;
    }
  },
  providerDownPage,
);

payRouter.get(
  '/:checkoutId/return',
  async (req: Request, res: Response) => {
    const { session_id: sessionId } = parseOrThrow(returnQuerySchema, req.query);
    const result = await reconcileReturn(res.locals.ctx, checkoutId(req), sessionId);
    if (result.outcome === 'reset') return renderMarketReset(res, result.refunded);
    res.render('payments/return', { ...result, title: res.locals.t('payments:return.title') });
  },
  providerDownPage,
);

payRouter.get('/:checkoutId/pay/va', async (req, res) => {
  const { checkout, payment } = await getSimulatedBill(res.locals.ctx, checkoutId(req), 'va');
  res.render('payments/va', {
    checkout,
    payment,
    vaDisplay: formatVaNumber(payment.vaNumber ?? ''),
    title: res.locals.t('payments:va.title'),
  });
});

payRouter.get('/:checkoutId/pay/qris', async (req, res) => {
  const { checkout, payment } = await getSimulatedBill(res.locals.ctx, checkoutId(req), 'qris');
  res.render('payments/qris', {
    checkout,
    payment,
    walletUrl: `${workshopBase(res)}/simulasi/e-wallet?ref=${encodeURIComponent(payment.providerRef ?? '')}`,
    title: res.locals.t('payments:qris.title'),
  });
});

payRouter.get('/:checkoutId/pay/qris.svg', async (req, res) => {
  const { payment } = await getSimulatedBill(res.locals.ctx, checkoutId(req), 'qris');
  // The payload a wallet would read: the simulated wallet's page with the reference.
  const walletPath = `${workshopBase(res)}/simulasi/e-wallet?ref=${encodeURIComponent(payment.providerRef ?? '')}`;
  await sendQrCode(res, phoneUrl(req, walletPath), 'no-store');
});

// ---------------------------------------------------------------- simulated bank and wallet

simulatorRouter.get('/m-banking', (req, res) => {
  const va = typeof req.query.va === 'string' && /^\d{10,20}$/.test(req.query.va) ? req.query.va : '';
  res.render('payments/mbanking', { values: { vaNumber: va }, errors: {}, title: res.locals.t('payments:mbanking.title') });
});

simulatorRouter.post(
  '/m-banking',
  formHandler({
    schema: mbankingSchema,
    view: 'payments/mbanking',
    locals: (_req, res) => ({ title: res.locals.t('payments:mbanking.title') }),
    handle: async (data, req, res) => {
      const paymentId = await payVirtualAccount(res.locals.ctx, data);
      setFlash(req, 'success', 'payments:sim.paid');
      res.redirect(303, `${workshopBase(res)}/simulasi/bukti/${paymentId}`);
    },
  }),
);

async function walletLocals(req: Request, res: Response) {
  const { ref } = parseOrThrow(qrisRefSchema, { ref: req.body?.ref ?? req.query.ref });
  return { bill: await getQrisBill(res.locals.ctx, ref), pinHint: SIMULATED_PIN, title: res.locals.t('payments:ewallet.title') };
}

simulatorRouter.get('/e-wallet', async (req, res) => {
  res.render('payments/ewallet', { ...(await walletLocals(req, res)), values: {}, errors: {} });
});

simulatorRouter.post(
  '/e-wallet',
  formHandler({
    schema: ewalletSchema,
    view: 'payments/ewallet',
    locals: walletLocals,
    values: () => ({}),
    handle: async (data, req, res) => {
      const paymentId = await payQris(res.locals.ctx, data);
      setFlash(req, 'success', 'payments:sim.paid');
      res.redirect(303, `${workshopBase(res)}/simulasi/bukti/${paymentId}`);
    },
  }),
);

simulatorRouter.get('/bukti/:paymentId', async (req, res) => {
  const receipt = await getReceipt(res.locals.ctx, idFrom(req, 'paymentId'));
  res.render('payments/receipt', {
    receipt,
    vaDisplay: receipt.vaNumber ? formatVaNumber(receipt.vaNumber) : null,
    title: res.locals.t('payments:receipt.title'),
  });
});

// ---------------------------------------------------------------- webhook

/** Mounted at /payments/webhook: the provider's signed events (no CSRF token, no session use). */
export const webhookRouter = Router();

webhookRouter.post('/', express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    if (!Buffer.isBuffer(req.body)) throw new Error('No raw JSON body');
    event = await verifyWebhook(req.body, req.get('stripe-signature'));
  } catch (error) {
    logger.warn({ err: error }, 'webhook refused: bad signature');
    res.status(400).json({ error: 'invalid signature' });
    return;
  }
  const outcome = await applyStripeEvent(event);
  res.json({ received: true, outcome });
});

/**
 * form-action for the card form: its POST redirects to the hosted page, on the sandbox's port
 * of the host the trainee used (or its public URL), or to Stripe's own checkout page.
 */
export function paymentFormAction(req: IncomingMessage): string {
  if (!config.paymentSandbox.enabled) return 'https://checkout.stripe.com';
  if (config.paymentSandbox.publicUrl) return new URL(config.paymentSandbox.publicUrl).origin;
  return `http://${requestHostname(req)}:${config.paymentSandbox.port}`;
}

/** Mounted at /payments-dashboard in a workshop: staff go to the payment sandbox's dashboard, signed in. */
export const paymentsDashboardRouter = Router();

paymentsDashboardRouter.get('/', (req, res) => {
  res.redirect(303, paymentsDashboardLink(res.locals.ctx, res.locals.currentUser!.displayName, paymentFormAction(req)));
});
