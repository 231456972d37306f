// createApp(): security headers, parsers, static files, sessions, i18n, CSRF, the route table
// (src/routes.ts), errors. It never listens (src/server.ts does), so HTTP tests drive it with supertest.
import path from 'node:path';
import { crc32 } from 'node:zlib';
import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { config, projectRoot } from './config.js';
import { prisma } from './db.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { exposeFlash, languageAndFormatters } from './http/locals.js';
import { layoutEngine } from './http/render.js';
import { requestLog } from './http/request-log.js';
import { series } from './http/series.js';
import { csrfProtection } from './http/csrf.js';
import { sessions } from './http/session.js';
import { PrismaSessionStore } from './http/session-store.js';
import { logger } from './logger.js';
import { paymentFormAction } from './features/payments/payments.routes.js';
import { filesRoutes, siteRoutes, workshopPages } from './routes.js';
import { wireSubscribers } from './subscribers.js';
import { passwordChangeFirst } from './features/account/account.routes.js';

const viewsDir = path.join(projectRoot, 'views');

/** Paths that receive requests from other servers, not from our forms (signed another way). */
const csrfExempt = ['/payments/webhook'];

/** `cacheViews` (production's default) compiles templates once and keeps shared views (src/http/render.ts). */
export function createApp({ cacheViews = config.isProduction }: { cacheViews?: boolean } = {}): Express {
  wireSubscribers();
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.set('views', viewsDir);
  // Eta templates in views/*.ejs (src/http/render.ts); compiled once in production, read anew on each request in development.
  app.engine('ejs', layoutEngine(viewsDir, cacheViews));
  app.set('view engine', 'ejs');
  app.disable('x-powered-by');
  // Weak ETags (a phone that already has the page gets a 304 and no body) from a CRC-32 of the
  // page instead of Express's SHA-1: a checksum is all a weak validator needs, at a tenth of the cost.
  app.set('etag', (body: Buffer | string) => `W/"${Buffer.byteLength(body).toString(16)}-${crc32(body).toString(16)}"`);

  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        // A form may redirect to the payment page on its own origin (browsers apply
        // form-action to the redirects that follow a form submission).
        formAction: ["'self'", paymentFormAction],
      },
    },
    // The room's network serves plain HTTP: never ask browsers to upgrade to HTTPS.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    // Same-origin pages get the Referer, so a refused form goes back to the page it came from
    // (src/http/refusals.ts); no other site ever sees one of our URLs (join codes, order ids).
    referrerPolicy: { policy: 'same-origin' },
  });
  // Phones on a busy Wi-Fi: pages shrink to a fifth, chart.js from 206 kB to 70 kB. gzip's level
  // 6 costs about 0.1 ms on a 16 kB page (bench/catalogue.ts with ACCEPT_ENCODING=gzip).
  // Every request, files too: one step of Express's router (src/http/series.ts).
  app.use(series(securityHeaders, requestLog(logger), compression()));

  // Static files are revalidated after an hour (a 304 when unchanged), so phones do not ask
  // again on every page, and an updated app reaches them the same day: the URLs carry no version
  // to bust a longer cache with. chart.js changes only with `npm install`: a day.
  const staticCache = (maxAge: string) => ({ maxAge: config.isProduction ? maxAge : 0, index: false });
  app.use('/static', express.static(path.join(projectRoot, 'public'), staticCache('1h')));
  app.use('/static/vendor/chart.js', express.static(path.join(projectRoot, 'node_modules/chart.js/dist'), staticCache('1d')));

  for (const [path, handler] of filesRoutes) app.use(path, handler);

  const csrf = csrfProtection({ secret: config.sessionSecret, exempt: csrfExempt });
  const forms = express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 });
  // Every page, in one step of Express's router (src/http/series.ts).
  app.use(
    series(
      languageAndFormatters,
      sessions({ store: new PrismaSessionStore(prisma), secret: config.sessionSecret, cookieName: 'pl.sid', ...config.session }),
      // What every layout reads: her messages, who she is, her forms' token.
      (req, res, next) => {
        exposeFlash(req, res);
        if (req.session.user) res.locals.currentUser = req.session.user;
        csrf.issue(req, res);
        next();
      },
      // After the session: a body the parser refuses (too large, a bad charset) gets the error page,
      // which needs the session's flash messages and the signed-in user.
      (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : forms(req, res, next)),
      csrf.protect,
      passwordChangeFirst,
    ),
  );

  // Workshop pages first: most requests are theirs, and Express tries every route above the one
  // that answers. /workshops/new and other non-numeric ids go on to the site's routes.
  app.use('/workshops/:workshopId', workshopPages());
  for (const [path, handler] of siteRoutes) app.use(path, handler);

  app.use(notFoundHandler);
  // Stack traces name files and lines of this laptop: only for a developer (`npm run dev`), never
  // in `npm start`, which runs with NODE_ENV=production (scripts/build.mjs).
  app.use(errorHandler({ showStack: config.env === 'development', logger }));
  return app;
}
