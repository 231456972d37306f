// The Stripe-compatible payment sandbox: its own Express app, own store (a SQLite file, or a
// PostgreSQL database several sandbox processes share: store.ts), own origin.
// createPaymentSandbox() never listens; server.ts (or the app's server) does.
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import { layoutEngine } from '../http/render.js';
import { projectRoot } from '../paths.js';
import { createApiRouter } from './api.routes.js';
import { createDashboardRouter } from './dashboard.routes.js';
import { baseCspDirectives } from './hosted-pages.js';
import { createHostedRouter } from './hosted.routes.js';
import type { Ledger } from './ledger.js';
import { expireDueSessions } from './sessions.js';
import { openStore } from './open-store.js';
import { createWebhookDispatcher } from './webhooks.js';

export interface PaymentSandboxOptions {
  /** Where it stores: a SQLite file (created if missing), or a `postgresql://` URL (its tables created if missing). */
  database: string;
  /** The secret key the app's `stripe` SDK sends as `Authorization: Bearer …`. */
  apiKey: string;
  /** Where events are POSTed (the app's webhook endpoint). */
  webhookUrl: string;
  /** Signs the events (`Stripe-Signature`), shared with the app. */
  webhookSecret: string;
  /** Base of the hosted page URLs handed out in `session.url`; defaults to the API request's own origin. */
  publicUrl?: string;
  /** Waits between webhook attempts; defaults to 1 s, 5 s, 15 s, 30 s, 1, 2, 5, 10 min, then gives up. */
  webhookRetryDelaysMs?: readonly number[];
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

export interface PaymentSandbox {
  app: express.Express;
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 30_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export async function createPaymentSandbox(options: PaymentSandboxOptions): Promise<PaymentSandbox> {
  const now = options.now ?? Date.now;
  const store = await openStore(options.database);
  const ledger: Ledger = { store, now };
  const webhooks = createWebhookDispatcher({
    store,
    url: options.webhookUrl,
    secret: options.webhookSecret,
    now,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
  });
  const publicUrl = options.publicUrl?.replace(/\/+$/, '') || undefined;

  const app = express();
  app.disable('x-powered-by');
  const viewsDir = path.join(projectRoot, 'views');
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  // Its own instance of the app's view engine (src/http/render.ts), with its own template cache; the checkout
  // pages are whole pages, without the app's layout.
  app.engine('ejs', layoutEngine(viewsDir, app.get('env') === 'production', { layout: false }));
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: baseCspDirectives },
      // Served over plain http on the room's network: HSTS would lock phones out.
      strictTransportSecurity: false,
    }),
  );
  app.get('/css/payment-sandbox.css', (_req, res) => {
    res.sendFile(path.join(projectRoot, 'public/css/payment-sandbox.css'), { maxAge: '1h' });
  });
  // Progressive enhancement of the hosted page (the test-card chips fill the form): no inline script.
  app.get('/js/payment-sandbox.js', (_req, res) => {
    res.sendFile(path.join(projectRoot, 'public/js/payment-sandbox.js'), { maxAge: '1h' });
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/', (_req, res) => {
    res.type('text/plain').send('PasarLatih payment sandbox (Stripe-compatible). API under /v1, hosted pages under /c/pay/.');
  });
  app.use('/v1', createApiRouter({ ...ledger, apiKey: options.apiKey, publicUrl, afterWrite: webhooks.kick }));
  // Staff's window behind the pay button: signed in through a link the app signs with the shared secret.
  app.use(
    '/dashboard',
    createDashboardRouter({ ...ledger, sharedSecret: options.apiKey, appWebhookUrl: options.webhookUrl, afterWrite: webhooks.kick }),
  );
  app.use(createHostedRouter({ ...ledger, afterWrite: webhooks.kick }));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    // Never log request bodies: a hosted-page body may hold a typed card number.
    console.error(`payment sandbox: ${req.method} ${req.path} failed:`, error instanceof Error ? error.message : error);
    if (res.headersSent) return;
    if (req.path.startsWith('/v1')) {
      res.status(500).json({ error: { type: 'api_error', message: 'An unexpected error occurred in the payment sandbox.' } });
    } else {
      res.status(500).type('text/plain').send('Payment sandbox error');
    }
  };
  app.use(onError);

  // Kicks the webhooks every time: deliveries another sandbox process queued, or claimed and never
  // answered (it died half way), are due here too.
  const sweeper = setInterval(() => {
    sweep(ledger).then(webhooks.kick, (error: unknown) => {
      console.error('payment sandbox: sweep failed:', error instanceof Error ? error.message : error);
    });
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  // Deliveries left pending by a previous run resume now.
  webhooks.kick();

  let closed = false;
  return {
    app,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await webhooks.close();
      await store.close();
    },
  };
}

/** Forgets old Idempotency-Keys and expires sessions whose time ran out. */
function sweep(ledger: Ledger): Promise<void> {
  return ledger.store.transaction(async () => {
    await ledger.store.pruneIdempotent(ledger.now() - IDEMPOTENCY_TTL_MS);
    await expireDueSessions(ledger);
  });
}
