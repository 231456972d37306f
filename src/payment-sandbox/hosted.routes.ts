// The hosted payment page, like Stripe Checkout on its own origin: order summary, card form,
// 3-D Secure step. Card numbers are checked here and never stored, logged or echoed back:
// only a test card's brand and last 4 digits travel further.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import { getT } from '../i18n/index.js';
import { answerThreeDSecure, attemptCard, type AttemptResult } from './card-payments.js';
import { checkCardNumber, checkCvc, checkExpiry, holdsRealCardNumber } from './cards.js';
import { clientErrorStatus, FormParamsError, formText, parseFormParams, rawForm, type FormParams } from './form-params.js';
import {
  applySessionCsp,
  pickLang,
  renderCardForm,
  renderChallenge,
  renderClosed,
  renderNotFound,
  renderAuthenticate,
  renderAuthenticated,
  renderProblem,
  sameToken,
  type FieldErrors,
  type FormState,
  type PageContext,
} from './hosted-pages.js';
import { answerAuthentication, authenticationToken } from './intents-api.js';
import type { Ledger } from './ledger.js';
import { viewSession } from './sessions.js';

export interface HostedSettings extends Ledger {
  /** Called after every change, which may have emitted events to deliver. */
  afterWrite: () => void;
}

type Page = (settings: HostedSettings, req: Request, res: Response) => Promise<void>;

/** The card form is a few short fields: a longer body is refused before it is read (413). */
const MAX_FORM_SIZE = '10kb';
const MAX_FIELDS = 20;

/** The session of the URL with its language and CSP applied, or null after answering 404. */
async function load(settings: HostedSettings, req: Request, res: Response): Promise<PageContext | null> {
  const found = await settings.store.transaction(() => viewSession(settings, String(req.params.sessionId)));
  if (!found) {
    renderNotFound(req, res);
    return null;
  }
  // Viewing may have expired sessions whose time ran out: their events are due.
  settings.afterWrite();
  applySessionCsp(req, res, found.session);
  return { ...found, lang: pickLang(req, res, found.session) };
}

async function showPayPage(settings: HostedSettings, req: Request, res: Response): Promise<void> {
  const ctx = await load(settings, req, res);
  if (!ctx) return;
  if (ctx.session.status !== 'open') {
    renderClosed(req, res, ctx.session, ctx.lang);
    return;
  }
  const notice = req.query.notice === 'authentication_failed' ? 'authentication_failed' : undefined;
  renderCardForm(req, res, ctx, 200, { declineKey: notice });
}

async function submitCard(settings: HostedSettings, req: Request, res: Response): Promise<void> {
  const ctx = await load(settings, req, res);
  if (!ctx) return;
  if (ctx.session.status !== 'open') {
    res.redirect(303, `/c/pay/${ctx.session.id}`);
    return;
  }
  const t = getT(ctx.lang);
  const body = parseFormParams(rawForm(req.body), MAX_FIELDS);
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const cardInput = field('cardNumber');
  const card = checkCardNumber(cardInput);
  // A real-looking card number in any field (a name, a field the form does not have) is refused
  // before anything else happens: no attempt, no event, no row, no log line, no echo.
  if (card.kind === 'real_card' || formTexts(body).some(holdsRealCardNumber)) {
    const echo = (name: string) => (holdsRealCardNumber(field(name)) ? '' : field(name));
    renderCardForm(req, res, ctx, 422, {
      realCard: true,
      values: { expiry: echo('expiry').slice(0, 10), name: echo('name').slice(0, 100) },
    });
    return;
  }
  // Only the fields a person may see again; the card number and CVC are never echoed back.
  const values = { expiry: field('expiry').slice(0, 10), name: field('name').slice(0, 100) };
  if (!sameToken(body._csrf, ctx.priv.csrfToken)) {
    renderCardForm(req, res, ctx, 403, { errors: { form: t('payment-sandbox:errors.csrf') }, values });
    return;
  }
  const errors: FieldErrors = {};
  if (cardInput.trim() === '') errors.cardNumber = t('payment-sandbox:errors.cardNumberRequired');
  else if (card.kind === 'invalid') errors.cardNumber = t('payment-sandbox:errors.cardNumberInvalid');
  const expiry = checkExpiry(values.expiry, new Date(settings.now()));
  if (expiry.kind === 'invalid') errors.expiry = t('payment-sandbox:errors.expiryInvalid');
  if (expiry.kind === 'past') errors.expiry = t('payment-sandbox:errors.expiryPast');
  if (!checkCvc(field('cvc'))) errors.cvc = t('payment-sandbox:errors.cvcInvalid');
  if (values.name.trim() === '') errors.name = t('payment-sandbox:errors.nameRequired');
  if (Object.keys(errors).length > 0 || card.kind !== 'test_card' || expiry.kind !== 'ok') {
    renderCardForm(req, res, ctx, 422, { errors: { ...errors, form: t('payment-sandbox:form.errorSummary') }, values });
    return;
  }
  const result = await settings.store.transaction(() =>
    attemptCard(settings, ctx.session.id, {
      testCard: card.card,
      brand: card.card.brand,
      last4: card.last4,
      expMonth: expiry.month,
      expYear: expiry.year,
      name: values.name.trim(),
    }),
  );
  settings.afterWrite();
  answerAttempt(req, res, ctx, result, values);
}

/** Every text a form sent, however its keys nested it. */
function formTexts(value: FormParams[string]): string[] {
  if (typeof value === 'string') return [value];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : Object.values(value)).flatMap(formTexts);
}

function answerAttempt(req: Request, res: Response, ctx: PageContext, result: AttemptResult, values: FormState['values']): void {
  switch (result.kind) {
    case 'succeeded':
      res.redirect(303, result.redirectTo);
      return;
    case 'requires_action':
      res.redirect(303, `/c/pay/${ctx.session.id}/3ds`);
      return;
    case 'not_open':
      res.redirect(303, `/c/pay/${ctx.session.id}`);
      return;
    case 'declined': {
      const declineKey =
        result.code === 'payment_intent_authentication_failure' ? 'authentication_failed' : (result.declineCode ?? 'generic_decline');
      renderCardForm(req, res, ctx, 402, { declineKey, values });
      return;
    }
  }
}

async function showChallenge(settings: HostedSettings, req: Request, res: Response): Promise<void> {
  const ctx = await load(settings, req, res);
  if (!ctx) return;
  const pending = ctx.priv.pendingAuth;
  if (ctx.session.status !== 'open' || !pending) {
    res.redirect(303, `/c/pay/${ctx.session.id}`);
    return;
  }
  renderChallenge(req, res, ctx, pending, 200, null);
}

async function answerChallenge(settings: HostedSettings, req: Request, res: Response): Promise<void> {
  const ctx = await load(settings, req, res);
  if (!ctx) return;
  // A paid or expired session: its own page says which.
  if (ctx.session.status !== 'open') {
    res.redirect(303, `/c/pay/${ctx.session.id}`);
    return;
  }
  const pending = ctx.priv.pendingAuth;
  if (!pending) {
    renderProblem(req, res, 409, 'noChallenge', `/c/pay/${ctx.session.id}`);
    return;
  }
  const body = parseFormParams(rawForm(req.body), MAX_FIELDS);
  if (!sameToken(body._csrf, ctx.priv.csrfToken)) {
    renderChallenge(req, res, ctx, pending, 403, getT(ctx.lang)('payment-sandbox:errors.csrf'));
    return;
  }
  const answer =
    body.action === 'cancel'
      ? ({ kind: 'cancel' } as const)
      : ({ kind: 'code', code: typeof body.code === 'string' ? body.code : '' } as const);
  const result = await settings.store.transaction(() => answerThreeDSecure(settings, ctx.session.id, answer));
  settings.afterWrite();
  switch (result.kind) {
    case 'succeeded':
      res.redirect(303, result.redirectTo);
      return;
    case 'declined':
      res.redirect(303, `/c/pay/${ctx.session.id}?notice=authentication_failed`);
      return;
    case 'no_challenge':
      // Answered by another tab between loading the page and this transaction.
      renderProblem(req, res, 409, 'noChallenge', `/c/pay/${ctx.session.id}`);
      return;
    default:
      // Paid or expired meanwhile: its own page says which.
      res.redirect(303, `/c/pay/${ctx.session.id}`);
  }
}

/** The page behind an API PaymentIntent's next_action (redirect_to_url, or use_stripe_sdk's stripe_js): the token of its URL opens it. */
async function showAuthenticate(settings: HostedSettings, req: Request, res: Response): Promise<void> {
  const pi = await settings.store.get<Stripe.PaymentIntent>('payment_intent', String(req.params.paymentIntentId));
  const token = typeof req.query.token === 'string' ? req.query.token : '';
  const expected = pi ? authenticationToken(pi) : null;
  if (!pi || expected === null || !sameToken(token, expected)) {
    renderNotFound(req, res);
    return;
  }
  renderAuthenticate(req, res, pi, token);
}

async function answerAuthenticate(settings: HostedSettings, req: Request, res: Response): Promise<void> {
  const body = parseFormParams(rawForm(req.body), MAX_FIELDS);
  const token = typeof body.token === 'string' ? body.token : '';
  const id = String(req.params.paymentIntentId);
  const answer = await settings.store.transaction(() => answerAuthentication(settings, id, token, body.action === 'complete'));
  settings.afterWrite();
  if (answer === null) {
    renderNotFound(req, res);
    return;
  }
  if (answer.redirectTo === null) renderAuthenticated(req, res, answer.succeeded);
  else res.redirect(303, answer.redirectTo);
}

/** Every hosted page. */
export const hostedPages: readonly { method: 'get' | 'post'; path: string; page: Page }[] = [
  { method: 'get', path: '/c/pay/:sessionId', page: showPayPage },
  { method: 'post', path: '/c/pay/:sessionId', page: submitCard },
  { method: 'get', path: '/c/pay/:sessionId/3ds', page: showChallenge },
  { method: 'post', path: '/c/pay/:sessionId/3ds', page: answerChallenge },
  { method: 'get', path: '/pi/:paymentIntentId/authenticate', page: showAuthenticate },
  { method: 'post', path: '/pi/:paymentIntentId/authenticate', page: answerAuthenticate },
];

export function createHostedRouter(settings: HostedSettings): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  for (const { method, path, page } of hostedPages) {
    router[method](
      path,
      ...(method === 'post' ? [formText(MAX_FORM_SIZE)] : []),
      (req: Request, res: Response) => page(settings, req, res),
      unreadableForm,
    );
  }
  return router;
}

/** A body too large or not from our forms gets a page a person can read, with the way back. */
const unreadableForm: ErrorRequestHandler = (error: unknown, req, res, next) => {
  const status = error instanceof FormParamsError ? 400 : clientErrorStatus(error);
  if (status === null) {
    next(error);
    return;
  }
  renderProblem(req, res, status, status === 413 ? 'tooLarge' : 'unreadable', `/c/pay/${String(req.params.sessionId)}`);
};
