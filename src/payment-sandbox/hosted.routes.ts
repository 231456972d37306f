// The hosted payment page, like Stripe Checkout on its own origin: order summary, card form,
// 3-D Secure step. Card numbers are checked here and never stored, logged or echoed back:
// only a test card's brand and last 4 digits travel further.
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import type Stripe from 'stripe';
import { getT, isLang, type Lang } from '../i18n/index.js';
import { formatRupiah } from '../lib/money.js';
import { checkCardNumber, checkCvc, checkExpiry, testCards } from './cards.js';
import type { AttemptResult, Payments } from './payments.js';
import { SEN_PER_RUPIAH } from './schemas.js';
import type { SessionPrivate, Store } from './store.js';

export interface HostedDeps {
  store: Store;
  payments: Payments;
  now: () => number;
  afterWrite: () => void;
}

const LANG_COOKIE = 'ps_lang';

export const baseCspDirectives = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  // The room's network serves plain http: upgrading would break every request.
  upgradeInsecureRequests: null,
};

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The form posts to this page, which redirects to the shop: form-action must allow the shop. */
function applySessionCsp(req: Request, res: Response, session: Stripe.Checkout.Session): void {
  const shopOrigins = [originOf(session.success_url), originOf(session.cancel_url)].filter((o): o is string => o !== null);
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { ...baseCspDirectives, formAction: ["'self'", ...new Set(shopOrigins)] },
  })(req, res, () => undefined);
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function pickLang(req: Request, res: Response, session: Stripe.Checkout.Session | null): Lang {
  const fromQuery = req.query.lang;
  if (isLang(fromQuery)) {
    res.cookie(LANG_COOKIE, fromQuery, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 * 1000 });
    return fromQuery;
  }
  const fromCookie = readCookie(req, LANG_COOKIE);
  if (isLang(fromCookie)) return fromCookie;
  if (session?.locale === 'en') return 'en';
  return 'id';
}

function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function money(amountInSen: number): string {
  return formatRupiah(Math.round(amountInSen / SEN_PER_RUPIAH));
}

type FieldErrors = Partial<Record<'cardNumber' | 'expiry' | 'cvc' | 'name' | 'form', string>>;

interface PageState {
  errors?: FieldErrors;
  values?: { expiry?: string; name?: string };
  realCard?: boolean;
  declineKey?: string;
}

export function createHostedRouter(deps: HostedDeps): express.Router {
  const { store, payments } = deps;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }));
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  function common(req: Request, res: Response, lang: Lang) {
    const host = req.get('host') ?? '';
    const switchTo: Lang = lang === 'id' ? 'en' : 'id';
    return {
      t: getT(lang),
      lang,
      switchTo,
      switchHref: `${req.path}?lang=${switchTo}`,
      address: `${req.protocol}://${host}`,
      secure: req.secure,
      money,
    };
  }

  function load(req: Request, res: Response): { session: Stripe.Checkout.Session; priv: SessionPrivate; lang: Lang } | null {
    const id = String(req.params.sessionId);
    const found = store.transaction(() => payments.viewSession(id));
    if (!found) {
      const lang = pickLang(req, res, null);
      res.status(404).render('payment-sandbox/not-found', common(req, res, lang));
      return null;
    }
    deps.afterWrite();
    applySessionCsp(req, res, found.session);
    return { ...found, lang: pickLang(req, res, found.session) };
  }

  function renderState(req: Request, res: Response, session: Stripe.Checkout.Session, lang: Lang): void {
    const view = session.status === 'complete' ? 'payment-sandbox/paid' : 'payment-sandbox/expired';
    res.status(session.status === 'complete' ? 200 : 410).render(view, {
      ...common(req, res, lang),
      continueUrl: session.status === 'complete' ? payments.successRedirect(session) : session.cancel_url,
    });
  }

  function renderForm(
    req: Request,
    res: Response,
    ctx: { session: Stripe.Checkout.Session; priv: SessionPrivate; lang: Lang },
    status: number,
    state: PageState,
  ): void {
    res.status(status).render('payment-sandbox/pay', {
      ...common(req, res, ctx.lang),
      session: ctx.session,
      lineItems: ctx.priv.lineItems,
      csrfToken: ctx.priv.csrfToken,
      action: `/c/pay/${ctx.session.id}`,
      cancelUrl: ctx.session.cancel_url,
      testCards: testCards.map((c) => ({
        number: c.number.replace(/(\d{4})(?=\d)/g, '$1 '),
        outcomeKey: c.outcome.kind === 'decline' ? c.outcome.declineCode : c.outcome.kind,
      })),
      errors: state.errors ?? {},
      values: state.values ?? {},
      realCard: state.realCard ?? false,
      declineKey: state.declineKey ?? null,
    });
  }

  function afterAttempt(
    req: Request,
    res: Response,
    ctx: { session: Stripe.Checkout.Session; priv: SessionPrivate; lang: Lang },
    result: AttemptResult,
    values: PageState['values'],
  ): void {
    deps.afterWrite();
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
        renderForm(req, res, ctx, 402, { declineKey, values });
        return;
      }
    }
  }

  router.get('/c/pay/:sessionId', (req, res) => {
    const ctx = load(req, res);
    if (!ctx) return;
    if (ctx.session.status !== 'open') {
      renderState(req, res, ctx.session, ctx.lang);
      return;
    }
    const notice = req.query.notice === 'authentication_failed' ? 'authentication_failed' : undefined;
    renderForm(req, res, ctx, 200, { declineKey: notice });
  });

  router.post('/c/pay/:sessionId', (req, res) => {
    const ctx = load(req, res);
    if (!ctx) return;
    if (ctx.session.status !== 'open') {
      res.redirect(303, `/c/pay/${ctx.session.id}`);
      return;
    }
    const t = getT(ctx.lang);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    // Only the fields a person may see again; the card number and CVC are never echoed back.
    const values = { expiry: field('expiry').slice(0, 10), name: field('name').slice(0, 100) };
    if (!sameToken(body._csrf, ctx.priv.csrfToken)) {
      renderForm(req, res, ctx, 403, { errors: { form: t('payment-sandbox:errors.csrf') }, values });
      return;
    }
    const errors: FieldErrors = {};
    const cardInput = field('cardNumber');
    const card = checkCardNumber(cardInput);
    if (cardInput.trim() === '') errors.cardNumber = t('payment-sandbox:errors.cardNumberRequired');
    else if (card.kind === 'invalid') errors.cardNumber = t('payment-sandbox:errors.cardNumberInvalid');
    if (card.kind === 'real_card') {
      // Refused before anything else happens: no attempt, no event, no row, no log line.
      renderForm(req, res, ctx, 422, { realCard: true, values });
      return;
    }
    const expiry = checkExpiry(values.expiry, new Date(deps.now()));
    if (expiry.kind === 'invalid') errors.expiry = t('payment-sandbox:errors.expiryInvalid');
    if (expiry.kind === 'past') errors.expiry = t('payment-sandbox:errors.expiryPast');
    if (!checkCvc(field('cvc'))) errors.cvc = t('payment-sandbox:errors.cvcInvalid');
    if (values.name.trim() === '') errors.name = t('payment-sandbox:errors.nameRequired');
    if (Object.keys(errors).length > 0 || card.kind !== 'test_card' || expiry.kind !== 'ok') {
      renderForm(req, res, ctx, 422, { errors: { ...errors, form: t('payment-sandbox:form.errorSummary') }, values });
      return;
    }
    const result = store.transaction(() =>
      payments.attemptCard(ctx.session.id, {
        testCard: card.card,
        brand: card.card.brand,
        last4: card.last4,
        expMonth: expiry.month,
        expYear: expiry.year,
        name: values.name.trim(),
      }),
    );
    afterAttempt(req, res, ctx, result, values);
  });

  router.get('/c/pay/:sessionId/3ds', (req, res) => {
    const ctx = load(req, res);
    if (!ctx) return;
    const pending = ctx.priv.pendingAuth;
    if (ctx.session.status !== 'open' || !pending) {
      res.redirect(303, `/c/pay/${ctx.session.id}`);
      return;
    }
    res.render('payment-sandbox/otp', {
      ...common(req, res, ctx.lang),
      session: ctx.session,
      csrfToken: ctx.priv.csrfToken,
      action: `/c/pay/${ctx.session.id}/3ds`,
      pending,
      error: null,
    });
  });

  router.post('/c/pay/:sessionId/3ds', (req, res) => {
    const ctx = load(req, res);
    if (!ctx) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!sameToken(body._csrf, ctx.priv.csrfToken)) {
      res.status(403).render('payment-sandbox/otp', {
        ...common(req, res, ctx.lang),
        session: ctx.session,
        csrfToken: ctx.priv.csrfToken,
        action: `/c/pay/${ctx.session.id}/3ds`,
        pending: ctx.priv.pendingAuth,
        error: getT(ctx.lang)('payment-sandbox:errors.csrf'),
      });
      return;
    }
    const answer =
      body.action === 'cancel'
        ? ({ kind: 'cancel' } as const)
        : ({ kind: 'code', code: typeof body.code === 'string' ? body.code : '' } as const);
    const result = store.transaction(() => payments.answerThreeDSecure(ctx.session.id, answer));
    deps.afterWrite();
    if (result.kind === 'succeeded') {
      res.redirect(303, result.redirectTo);
      return;
    }
    if (result.kind === 'declined') {
      res.redirect(303, `/c/pay/${ctx.session.id}?notice=authentication_failed`);
      return;
    }
    res.redirect(303, `/c/pay/${ctx.session.id}`);
  });

  return router;
}
