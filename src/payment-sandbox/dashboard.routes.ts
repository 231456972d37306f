// The dashboard's pages under /dashboard (dashboard.ts holds the rules). Every page but the
// sign-in link needs the dashboard's session cookie; the one write, "resend", also its CSRF token.
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
  validCsrf,
  type DashboardSession,
  type DashboardSettings,
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

type Page = 'payments' | 'payment' | 'refunds' | 'events' | 'deliveries' | 'delivery';

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

function denied(req: Request, res: Response, status: 401 | 403, reason: 'signin' | 'link' | 'csrf'): void {
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

  router.use((req: Request, res: Response, next: NextFunction) => {
    const session = dashboardSessionOf(settings, readCookie(req, COOKIE));
    if (!session) {
      denied(req, res, 401, 'signin');
      return;
    }
    res.locals.dashboardSession = session;
    next();
  });

  router.get('/', async (req, res) => {
    res.render('payment-sandbox/dashboard/payments', { ...locals(req, res, settings, 'payments'), ...(await paymentsPage(settings)) });
  });

  router.get('/payments/:id', async (req, res, next) => {
    const id = paymentIntentId.safeParse(req.params.id);
    const page = id.success ? await paymentPage(settings, id.data) : null;
    if (!page) return next();
    res.render('payment-sandbox/dashboard/payment', { ...locals(req, res, settings, 'payment'), ...page });
  });

  router.get('/refunds', async (req, res) => {
    res.render('payment-sandbox/dashboard/refunds', { ...locals(req, res, settings, 'refunds'), ...(await refundsPage(settings)) });
  });

  router.get('/events', async (req, res) => {
    res.render('payment-sandbox/dashboard/events', { ...locals(req, res, settings, 'events'), ...(await eventsPage(settings)) });
  });

  router.get('/deliveries', async (req, res) => {
    const { event, status } = deliveriesQuery.parse(req.query);
    res.render('payment-sandbox/dashboard/deliveries', {
      ...locals(req, res, settings, 'deliveries'),
      ...(await deliveriesPage(settings, { eventId: event, status })),
    });
  });

  router.get('/deliveries/:id', async (req, res, next) => {
    const id = deliveryId.safeParse(req.params.id);
    const page = id.success ? await deliveryPage(settings, settings.appWebhookUrl, id.data) : null;
    if (!page) return next();
    res.render('payment-sandbox/dashboard/delivery', {
      ...locals(req, res, settings, 'delivery'),
      ...page,
      resent: req.query.resent === '1',
    });
  });

  router.post('/deliveries/:id/resend', formText('2kb'), async (req, res, next) => {
    const body = parseFormParams(rawForm(req.body), 10);
    if (!validCsrf(settings, res.locals.dashboardSession as DashboardSession, body._csrf)) {
      denied(req, res, 403, 'csrf');
      return;
    }
    const id = deliveryId.safeParse(req.params.id);
    const resent = id.success ? await resendDelivery(settings, settings.appWebhookUrl, id.data) : null;
    if (resent === null) return next();
    settings.afterWrite();
    res.redirect(303, `/dashboard/deliveries/${resent}?resent=1`);
  });

  return router;
}
