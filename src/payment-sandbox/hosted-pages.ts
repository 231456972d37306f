// How the hosted pages are drawn: the strict CSP (opened to the shop for the form's redirect),
// the trainee's language, and the locals every page reads. The routes (hosted.routes.ts) decide
// which page; these functions only render it.
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import type Stripe from 'stripe';
import { getT, isLang, type Lang } from '../i18n/index.js';
import { formatRupiah } from '../lib/money.js';
import { testCards } from './cards.js';
import { SEN_PER_RUPIAH } from './schemas.js';
import { successRedirect } from './sessions.js';
import type { PendingAuth, SessionPrivate } from './store.js';

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

/** A session as its page needs it: the Stripe object, its private part, the page's language. */
export interface PageContext {
  session: Stripe.Checkout.Session;
  priv: SessionPrivate;
  lang: Lang;
}

export type FieldErrors = Partial<Record<'cardNumber' | 'expiry' | 'cvc' | 'name' | 'form', string>>;

/** What the card form shows besides the session: messages, and the values a person may see again. */
export interface FormState {
  errors?: FieldErrors;
  values?: { expiry?: string; name?: string };
  realCard?: boolean;
  declineKey?: string | undefined;
}

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The form posts to this page, which redirects to the shop: form-action must allow the shop. */
export function applySessionCsp(req: Request, res: Response, session: Stripe.Checkout.Session): void {
  const shopOrigins = [originOf(session.success_url), originOf(session.cancel_url)].filter((o): o is string => o !== null);
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { ...baseCspDirectives, formAction: ["'self'", ...new Set(shopOrigins)] },
  })(req, res, () => undefined);
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** ?lang= (remembered in a cookie), then the cookie, then the session's locale, then Bahasa Indonesia. */
export function pickLang(req: Request, res: Response, session: Stripe.Checkout.Session | null): Lang {
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

export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function money(amountInSen: number): string {
  return formatRupiah(Math.round(amountInSen / SEN_PER_RUPIAH));
}

/** The locals of every hosted page: language, its switch link, and the address lesson's facts. */
export function pageLocals(req: Request, lang: Lang) {
  const switchTo: Lang = lang === 'id' ? 'en' : 'id';
  return {
    t: getT(lang),
    lang,
    switchTo,
    switchHref: `${req.path}?lang=${switchTo}`,
    address: `${req.protocol}://${req.get('host') ?? ''}`,
    secure: req.secure,
    money,
  };
}

export function renderNotFound(req: Request, res: Response): void {
  res.status(404).render('payment-sandbox/not-found', pageLocals(req, pickLang(req, res, null)));
}

export type Problem = 'tooLarge' | 'unreadable' | 'noChallenge';

/** A request the page cannot act on, said in the trainee's language, with a link back to the payment page. */
export function renderProblem(req: Request, res: Response, status: number, problem: Problem, backHref: string): void {
  res.status(status).render('payment-sandbox/problem', { ...pageLocals(req, pickLang(req, res, null)), problem, backHref });
}

/** A session that can no longer be paid: paid (200, on to the shop) or expired (410, back to the shop). */
export function renderClosed(req: Request, res: Response, session: Stripe.Checkout.Session, lang: Lang): void {
  const paid = session.status === 'complete';
  res.status(paid ? 200 : 410).render(paid ? 'payment-sandbox/paid' : 'payment-sandbox/expired', {
    ...pageLocals(req, lang),
    continueUrl: paid ? successRedirect(session) : session.cancel_url,
  });
}

export function renderCardForm(req: Request, res: Response, ctx: PageContext, status: number, state: FormState): void {
  res.status(status).render('payment-sandbox/pay', {
    ...pageLocals(req, ctx.lang),
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

/** The 3-D Secure page: the pending challenge's card and code, as the bank's SMS would show them. */
export function renderChallenge(
  req: Request,
  res: Response,
  ctx: PageContext,
  pending: PendingAuth,
  status: number,
  error: string | null,
): void {
  res.status(status).render('payment-sandbox/otp', {
    ...pageLocals(req, ctx.lang),
    session: ctx.session,
    csrfToken: ctx.priv.csrfToken,
    action: `/c/pay/${ctx.session.id}/3ds`,
    pending,
    error,
  });
}

/** The 3-D Secure page of a PaymentIntent confirmed through the API; its form leads to the integration's return_url. */
export function renderAuthenticate(req: Request, res: Response, pi: Stripe.PaymentIntent, token: string): void {
  const returnOrigin = originOf(pi.next_action?.redirect_to_url?.return_url ?? null);
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { ...baseCspDirectives, formAction: ["'self'", ...(returnOrigin ? [returnOrigin] : [])] },
  })(req, res, () => undefined);
  res.render('payment-sandbox/authenticate', {
    ...pageLocals(req, pickLang(req, res, null)),
    paymentIntentId: pi.id,
    amount: pi.amount,
    token,
    action: req.path,
  });
}

/** The end of a use_stripe_sdk verification: no return_url to go to, so the page says how it ended. */
export function renderAuthenticated(req: Request, res: Response, succeeded: boolean): void {
  res.render('payment-sandbox/authenticated', { ...pageLocals(req, pickLang(req, res, null)), succeeded });
}
