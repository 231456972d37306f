// The dashboard's pages under /dashboard (dashboard.ts holds the rules). Every page but the
// sign-in link and the signed-out page needs the dashboard's session cookie; the writes, "resend"
// and "Keluar", also its CSRF token. Lists page with Stripe's cursors (starting_after, ending_before).
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  csrfTokenOf,
  dashboardSessionOf,
  deliveriesPage,
  deliveryPage,
  enterDashboard,
  eventsPage,
  paymentPage,
  paymentsPage,
  refundsPage,
  resendDelivery,
  signOut,
  validCsrf,
  type Cursor,
  type DashboardSession,
  type DashboardSettings,
  type PageInfo,
} from './dashboard.js';
import { formText, parseFormParams, rawForm } from './form-params.js';
import { pageLocals, pickLang, readCookie } from './hosted-pages.js';

export interface DashboardRouterSettings extends DashboardSettings {
  /** The app's configured webhook URL, shown for its deliveries. */
  appWebhookUrl: string;
  /** Starts delivering what a resend queued. */
  afterWrite: () => void;
}

const COOKIE = 'ps_dash';

const deliveriesQuery = z.object({
  event: z
    .string()
    .regex(/^evt_[A-Za-z0-9]+$/)
    .optional()
    .catch(undefined),
  status: z.enum(['pending', 'delivered', 'failed', 'canceled']).optional().catch(undefined),
});
const deliveryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const paymentIntentId = z.string().regex(/^pi_[A-Za-z0-9]+$/);

/** A list's cursors in the query string; anything malformed reads as the first page. */
function cursorOf<Id>(id: z.ZodType<Id>, query: unknown, prefix = ''): Cursor<Id> {
  const q = z
    .object({ [`${prefix}starting_after`]: id.optional().catch(undefined), [`${prefix}ending_before`]: id.optional().catch(undefined) })
    .parse(query) as Record<string, Id | undefined>;
  return { startingAfter: q[`${prefix}starting_after`] ?? null, endingBefore: q[`${prefix}ending_before`] ?? null };
}
const objectIds = {
  payment_intent: paymentIntentId,
  session: z.string().regex(/^cs_[A-Za-z0-9_]+$/),
  refund: z.string().regex(/^re_[A-Za-z0-9]+$/),
  event: z.string().regex(/^evt_[A-Za-z0-9]+$/),
};

/** The pager under a list: "1–50 dari 123" and links to the newer and older pages, keeping the page's other parameters. */
function pager<Id extends string | number>(path: string, keep: Record<string, string | undefined>, page: PageInfo<Id>, prefix = '') {
  const href = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...keep, ...extra })) if (value !== undefined) params.set(key, value);
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
  return {
    ...page,
    newerHref: page.newer === null ? null : href({ [`${prefix}ending_before`]: String(page.newer) }),
    olderHref: page.older === null ? null : href({ [`${prefix}starting_after`]: String(page.older) }),
    firstHref: page.lost ? href({}) : null,
  };
}

type Page = 'payments' | 'payment' | 'refunds' | 'events' | 'deliveries' | 'delivery';
type Reason = 'signin' | 'link' | 'csrf' | 'signedOut';

function locals(req: Request, res: Response, settings: DashboardRouterSettings, tab: Page) {
  const lang = pickLang(req, res, null);
  const session = res.locals.dashboardSession as DashboardSession;
  const dateTime = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
  return {
    ...pageLocals(req, lang),
    tab,
    staff: session,
    csrfToken: csrfTokenOf(settings, session),
    /** Seconds (Stripe's created) or milliseconds (deliveries) since the epoch, as the laptop's local time. */
    time: (at: number, unit: 's' | 'ms' = 's') => dateTime.format(new Date(unit === 's' ? at * 1000 : at)),
  };
}

function denied(req: Request, res: Response, status: 200 | 401 | 403, reason: Reason): void {
  res.status(status).render('payment-sandbox/dashboard/denied', { ...pageLocals(req, pickLang(req, res, null)), reason });
}

export function createDashboardRouter(settings: DashboardRouterSettings): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Robots-Tag', 'noindex');
    next();
  });

  router.get('/enter', async (req, res) => {
    const entered = await enterDashboard(settings, typeof req.query.token === 'string' ? req.query.token : '');
    if (!entered) {
      denied(req, res, 403, 'link');
      return;
    }
    res.cookie(COOKIE, entered.cookie, { httpOnly: true, sameSite: 'lax', path: '/dashboard', maxAge: entered.maxAgeMs });
    res.redirect(303, '/dashboard');
  });

  router.get('/signed-out', (req, res) => {
    denied(req, res, 200, 'signedOut');
  });

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const session = await dashboardSessionOf(settings, readCookie(req, COOKIE));
    if (!session) {
      denied(req, res, 401, 'signin');
      return;
    }
    res.locals.dashboardSession = session;
    next();
  });

  router.get('/', async (req, res) => {
    const staff = res.locals.dashboardSession as DashboardSession;
    const cursors = {
      intents: cursorOf(objectIds.payment_intent, req.query),
      sessions: cursorOf(objectIds.session, req.query, 'sessions_'),
    };
    const page = await paymentsPage(settings, staff, cursors);
    res.render('payment-sandbox/dashboard/payments', {
      ...locals(req, res, settings, 'payments'),
      ...page,
      intentsPager: pager('/dashboard', {}, page.intentsPage),
      sessionsPager: pager('/dashboard', {}, page.sessionsPage, 'sessions_'),
    });
  });

  router.get('/payments/:id', async (req, res, next) => {
    const id = paymentIntentId.safeParse(req.params.id);
    const page = id.success ? await paymentPage(settings, res.locals.dashboardSession as DashboardSession, id.data) : null;
    if (!page) return next();
    res.render('payment-sandbox/dashboard/payment', { ...locals(req, res, settings, 'payment'), ...page });
  });

  router.get('/refunds', async (req, res) => {
    const page = await refundsPage(settings, res.locals.dashboardSession as DashboardSession, cursorOf(objectIds.refund, req.query));
    res.render('payment-sandbox/dashboard/refunds', {
      ...locals(req, res, settings, 'refunds'),
      ...page,
      pager: pager('/dashboard/refunds', {}, page.page),
    });
  });

  router.get('/events', async (req, res) => {
    const page = await eventsPage(settings, res.locals.dashboardSession as DashboardSession, cursorOf(objectIds.event, req.query));
    res.render('payment-sandbox/dashboard/events', {
      ...locals(req, res, settings, 'events'),
      ...page,
      pager: pager('/dashboard/events', {}, page.page),
    });
  });

  router.get('/deliveries', async (req, res, next) => {
    const { event, status } = deliveriesQuery.parse(req.query);
    const staff = res.locals.dashboardSession as DashboardSession;
    const page = await deliveriesPage(settings, staff, { eventId: event, status }, cursorOf(deliveryId, req.query));
    if (!page) return next();
    res.render('payment-sandbox/dashboard/deliveries', {
      ...locals(req, res, settings, 'deliveries'),
      ...page,
      pager: pager('/dashboard/deliveries', { event, status }, page.page),
    });
  });

  router.get('/deliveries/:id', async (req, res, next) => {
    const id = deliveryId.safeParse(req.params.id);
    const page = id.success
      ? await deliveryPage(settings, res.locals.dashboardSession as DashboardSession, settings.appWebhookUrl, id.data)
      : null;
    if (!page) return next();
    res.render('payment-sandbox/dashboard/delivery', {
      ...locals(req, res, settings, 'delivery'),
      ...page,
      resent: req.query.resent === '1',
    });
  });

  router.post('/deliveries/:id/resend', formText('2kb'), async (req, res, next) => {
    const body = parseFormParams(rawForm(req.body), 10);
    const staff = res.locals.dashboardSession as DashboardSession;
    if (!validCsrf(settings, staff, body._csrf)) {
      denied(req, res, 403, 'csrf');
      return;
    }
    const id = deliveryId.safeParse(req.params.id);
    const resent = id.success ? await resendDelivery(settings, staff, settings.appWebhookUrl, id.data) : null;
    if (resent === null) return next();
    settings.afterWrite();
    res.redirect(303, `/dashboard/deliveries/${resent}?resent=1`);
  });

  router.post('/sign-out', formText('2kb'), async (req, res) => {
    const body = parseFormParams(rawForm(req.body), 10);
    const staff = res.locals.dashboardSession as DashboardSession;
    if (!validCsrf(settings, staff, body._csrf)) {
      denied(req, res, 403, 'csrf');
      return;
    }
    await signOut(settings, staff);
    res.clearCookie(COOKIE, { httpOnly: true, sameSite: 'lax', path: '/dashboard' });
    res.redirect(303, '/dashboard/signed-out');
  });

  return router;
}
