// Stripe API v1, the part the app uses. Requests are form-encoded as the SDK sends them;
// responses are JSON in Stripe's shapes. Each call runs in one SQLite transaction together
// with its Idempotency-Key record, so a replay returns exactly the first response.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type Stripe from 'stripe';
import { authenticationError, invalidRequest, StripeApiError } from './errors.js';
import { nestFormParams, type FormObject } from './form-params.js';
import { newId } from './ids.js';
import type { Payments, RequestInfo } from './payments.js';
import {
  cancelSchema,
  captureSchema,
  createRefundSchema,
  createSessionSchema,
  expandOnlySchema,
  parseParams,
  retrievePaymentIntentSchema,
} from './schemas.js';
import type { Store } from './store.js';

export interface ApiDeps {
  store: Store;
  payments: Payments;
  apiKey: string;
  publicUrl: string | undefined;
  now: () => number;
  afterWrite: () => void;
}

interface Call {
  params: FormObject;
  id: string;
  request: RequestInfo;
  req: Request;
}

type Handler = (call: Call) => { status?: number; body: unknown };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sendError(res: Response, error: StripeApiError): void {
  res.status(error.status).json({ error: error.body });
}

function bearerKey(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const bearer = /^Bearer (.+)$/i.exec(header);
  if (bearer) return bearer[1]!.trim();
  const basic = /^Basic (.+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] ?? null;
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function maskKey(key: string): string {
  return key.length <= 12 ? '*'.repeat(key.length) : `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

function expandList(params: FormObject): string[] {
  const expand = params.expand;
  return Array.isArray(expand) ? expand.filter((e): e is string => typeof e === 'string') : [];
}

export function createApiRouter(deps: ApiDeps): express.Router {
  const { store, payments } = deps;
  const router = express.Router();
  const apiKeyHash = sha256(deps.apiKey);

  router.use((req, res, next) => {
    res.set('Request-Id', newId('req'));
    res.set('Stripe-Version', req.get('stripe-version') ?? '2026-10-28.endive');
    res.set('Cache-Control', 'no-cache, no-store');
    const key = bearerKey(req);
    if (!key) {
      sendError(
        res,
        authenticationError(
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      );
      return;
    }
    if (!sameSecret(key, deps.apiKey)) {
      sendError(res, authenticationError(`Invalid API Key provided: ${maskKey(key)}`));
      return;
    }
    next();
  });

  router.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }));

  function route(handler: Handler) {
    return (req: Request, res: Response): void => {
      const flat = req.method === 'GET' ? (req.query as Record<string, unknown>) : ((req.body ?? {}) as Record<string, unknown>);
      const nested = nestFormParams(flat);
      if ('error' in nested && typeof nested.error === 'string') {
        sendError(res, invalidRequest(`Invalid parameter: ${nested.error}`, nested.error));
        return;
      }
      const requestId = res.get('Request-Id') ?? null;
      const idempotencyKey = req.method === 'POST' ? (req.get('idempotency-key') ?? null) : null;
      const call: Call = {
        params: nested as FormObject,
        id: String(req.params.id ?? ''),
        request: { id: requestId, idempotencyKey },
        req,
      };
      const requestHash = sha256(`${req.method} ${req.path} ${JSON.stringify(Object.entries(flat).sort())}`);
      let outcome: { status: number; body: string; replayed: boolean };
      try {
        outcome = store.transaction(() => {
          if (idempotencyKey) {
            const previous = store.getIdempotent(apiKeyHash, idempotencyKey);
            if (previous) {
              if (previous.requestHash !== requestHash) {
                throw new StripeApiError(400, {
                  type: 'idempotency_error',
                  message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
                });
              }
              return { status: previous.status, body: previous.body, replayed: true };
            }
          }
          const result = handler(call);
          const status = result.status ?? 200;
          const body = JSON.stringify(result.body);
          if (idempotencyKey) store.putIdempotent(apiKeyHash, idempotencyKey, { requestHash, status, body }, deps.now());
          return { status, body, replayed: false };
        });
      } catch (error) {
        if (error instanceof StripeApiError) {
          sendError(res, error);
          return;
        }
        throw error;
      }
      if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
      if (idempotencyKey) res.set('Idempotency-Key', idempotencyKey);
      res.status(outcome.status).type('application/json').send(outcome.body);
      if (req.method === 'POST') deps.afterWrite();
    };
  }

  function expandSession(session: Stripe.Checkout.Session, expand: string[]): Stripe.Checkout.Session {
    for (const field of expand) {
      if (field === 'payment_intent') {
        if (typeof session.payment_intent === 'string') session.payment_intent = payments.retrievePaymentIntent(session.payment_intent);
      } else {
        throw invalidRequest(`This property cannot be expanded (${field}).`, 'expand');
      }
    }
    return session;
  }

  function expandPaymentIntent(pi: Stripe.PaymentIntent, expand: string[]): Stripe.PaymentIntent {
    for (const field of expand) {
      if (field === 'latest_charge') {
        if (typeof pi.latest_charge === 'string') pi.latest_charge = payments.retrieveCharge(pi.latest_charge) ?? pi.latest_charge;
      } else {
        throw invalidRequest(`This property cannot be expanded (${field}).`, 'expand');
      }
    }
    return pi;
  }

  function hostedBaseUrl(req: Request): string {
    return (deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
  }

  router.post(
    '/checkout/sessions',
    route(({ params, request, req }) => {
      const input = parseParams(createSessionSchema, params);
      const session = payments.createSession(input, hostedBaseUrl(req), request);
      return { body: expandSession(session, input.expand ?? []) };
    }),
  );

  router.get(
    '/checkout/sessions/:id',
    route(({ params, id }) => {
      const input = parseParams(expandOnlySchema, params);
      return { body: expandSession(payments.retrieveSession(id), input.expand ?? []) };
    }),
  );

  router.post(
    '/checkout/sessions/:id/expire',
    route(({ params, id, request }) => {
      const input = parseParams(expandOnlySchema, params);
      return { body: expandSession(payments.expireSession(id, request), input.expand ?? []) };
    }),
  );

  router.get(
    '/payment_intents/:id',
    route(({ params, id }) => {
      const input = parseParams(retrievePaymentIntentSchema, params);
      return { body: expandPaymentIntent(payments.retrievePaymentIntent(id), input.expand ?? []) };
    }),
  );

  router.post(
    '/payment_intents/:id/capture',
    route(({ params, id, request }) => {
      const input = parseParams(captureSchema, params);
      return { body: expandPaymentIntent(payments.capturePaymentIntent(id, input.amount_to_capture, request), expandList(params)) };
    }),
  );

  router.post(
    '/payment_intents/:id/cancel',
    route(({ params, id, request }) => {
      const input = parseParams(cancelSchema, params);
      return { body: expandPaymentIntent(payments.cancelPaymentIntent(id, input.cancellation_reason, request), expandList(params)) };
    }),
  );

  router.post(
    '/refunds',
    route(({ params, request }) => {
      const input = parseParams(createRefundSchema, params);
      if (input.expand?.length) throw invalidRequest(`This property cannot be expanded (${input.expand[0]}).`, 'expand');
      return { body: payments.createRefund(input, request) };
    }),
  );

  router.get(
    '/refunds/:id',
    route(({ params, id }) => {
      parseParams(expandOnlySchema, params);
      return { body: payments.retrieveRefund(id) };
    }),
  );

  router.get(
    '/events/:id',
    route(({ id }) => ({ body: payments.retrieveEvent(id) })),
  );

  router.use((req, res) => {
    sendError(
      res,
      new StripeApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${req.originalUrl.split('?')[0]}). The PasarLatih payment sandbox imitates only Checkout Sessions, PaymentIntents (retrieve, capture, cancel), Refunds and Events.`,
      }),
    );
  });

  return router;
}
