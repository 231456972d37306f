// The route table: every router of the app and where it is mounted, in the order Express tries
// them. A feature exports its Router(s) and gets one line here; nothing registers routes by being
// imported. src/routes.test.ts lists every URL this table produces.
import { Router, type RequestHandler } from 'express';
import { series } from './http/series.js';
import { accountRouter, memberPasswordRouter } from './features/account/account.routes.js';
import { adminRouter } from './features/admin/admin.routes.js';
import { agendaRouter } from './features/agenda/agenda.routes.js';
import { authRouter } from './features/auth/auth.routes.js';
import { cartRouter } from './features/cart/cart.routes.js';
import { catalogRouter } from './features/catalog/catalog.routes.js';
import { chatBadges, chatRouter } from './features/chat/chat.routes.js';
import { checkoutRouter, placedCheckoutRouter } from './features/checkout/checkout.routes.js';
import { drillInboxRouter, drillsRouter } from './features/drills/drills.routes.js';
import { safetyRouter } from './features/safety/safety.routes.js';
import { evaluationRouter } from './features/evaluation/evaluation.routes.js';
import { handoutsRouter } from './features/handouts/handouts.routes.js';
import { homeRouter } from './features/home/home.routes.js';
import { listingsRouter } from './features/listings/listings.routes.js';
import { marketRouter } from './features/market/market.routes.js';
import { learnRouter, missionsRouter } from './features/missions/missions.routes.js';
import { buyerOrdersRouter, sellerOrdersRouter } from './features/orders/orders.routes.js';
import { payRouter, paymentsDashboardRouter, simulatorRouter, webhookRouter } from './features/payments/payments.routes.js';
import { progressRouter } from './features/progress/progress.routes.js';
import { anonymousRouter } from './features/questionnaires/anonymous.routes.js';
import { questionnairesRouter } from './features/questionnaires/questionnaires.routes.js';
import { reviewRepliesRouter, reviewsRouter } from './features/reviews/reviews.routes.js';
import { sandboxRouter } from './features/sandbox/reset.routes.js';
import { myShopRouter, shopPagesRouter } from './features/shops/shops.routes.js';
import { workshopGate } from './features/workshops/workshop-context.js';
import { balanceRouter } from './features/withdrawals/withdrawals.routes.js';
import { workshopPagesRouter, workshopsRouter } from './features/workshops/workshops.routes.js';
import { uploadsRouter } from './http/uploads.js';

type Mount = readonly [path: string, handler: Router | RequestHandler];

/** Served before the session is read: files need none. */
export const filesRoutes: readonly Mount[] = [['/uploads', uploadsRouter]];

/** Inside one workshop, under /workshops/:workshopId, behind the workshop gate (members only) and the tab bar's unread counts (workshopPages). */
export const workshopRoutes: readonly Mount[] = [
  ['/catalog', catalogRouter], // first: the page opened most, and Express tries every route above the one that answers
  ['/', workshopPagesRouter], // the workshop's home, join screen, settings, members, demo as trainee
  ['/members', memberPasswordRouter], // a tutor resets a trainee's password
  ['/shops', shopPagesRouter],
  ['/shop/listings', listingsRouter],
  ['/shop/balance', balanceRouter], // the seller's balance and "Tarik saldo"
  ['/shop', myShopRouter],
  ['/cart', cartRouter],
  ['/checkout', checkoutRouter],
  ['/checkouts', placedCheckoutRouter],
  ['/checkouts', payRouter],
  ['/simulasi', simulatorRouter],
  ['/orders', buyerOrdersRouter],
  ['/orders', reviewsRouter],
  ['/seller/orders', sellerOrdersRouter],
  ['/seller/reviews', reviewRepliesRouter],
  ['/questionnaires', questionnairesRouter],
  ['/', evaluationRouter], // /evaluation, /evaluation.json, /evaluation.csv
  ['/progress', progressRouter],
  ['/sandbox', sandboxRouter],
  ['/payments-dashboard', paymentsDashboardRouter], // staff into the payment sandbox's dashboard (signed link)
  ['/market', marketRouter], // the tutor's "Pasar": training clock and bots
  ['/agenda', agendaRouter],
  ['/learn', learnRouter],
  ['/missions', missionsRouter],
  ['/handouts', handoutsRouter],
  ['/chat/drills', drillInboxRouter], // a scam drill as it reached her, and her reaction
  ['/chat', chatRouter], // "Chat penjual": her chats with shops and buyers
  ['/drills', drillsRouter], // the tutor's scam drills and their board
  ['/safety', safetyRouter], // "Laporkan" and "Blokir": her blocks, the staff's list of reports
];

/** The rest of the site, after the workshops' pages. */
export const siteRoutes: readonly Mount[] = [
  ['/', homeRouter], // /, the language switch, /healthz
  ['/', authRouter], // /login, /logout
  ['/account', accountRouter], // her password, her signed-in devices
  ['/admin', adminRouter],
  ['/', workshopsRouter], // /workshops, /workshops/new, /join
  ['/q', anonymousRouter],
  ['/payments/webhook', webhookRouter],
];

/** The pages of one workshop: the gate, then workshopRoutes. */
export function workshopPages(): Router {
  const router = Router({ mergeParams: true });
  // The gate, then her unread chats and drills for the tab bar: one step of Express's router (src/http/series.ts).
  router.use(series(...workshopGate, chatBadges));
  for (const [path, handler] of workshopRoutes) router.use(path, handler);
  return router;
}
