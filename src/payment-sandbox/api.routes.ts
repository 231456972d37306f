// Stripe API v1, the part the app uses. Requests are form-encoded as the SDK sends them;
// responses are JSON in Stripe's shapes, typed with the SDK's own types. Each call runs in one
// SQLite transaction together with its Idempotency-Key record, so a replay returns exactly the
// first response. One table (apiEndpoints) lists every URL; each endpoint is a plain function
// of the ledger and the call's parameters.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import { isLoopbackAddress } from '../lib/network.js';
import { authenticationError, invalidRequest, StripeApiError } from './errors.js';
import { clientErrorStatus, FormParamsError, formText, parseFormParams, rawForm, type FormParams } from './form-params.js';
import { newId } from './ids.js';
import { retrieveEvent, type Ledger, type RequestInfo } from './ledger.js';
import { confirmPaymentIntent, createPaymentIntent, updatePaymentIntent, type ConfirmOutcome } from './intents-api.js';
import {
  expandObject,
  listCharges,
  listCheckoutSessions,
  listEvents,
  listLineItems,
  listPaymentIntents,
  listRefunds,
  listWebhookEndpoints,
} from './lists.js';
import { cancelPaymentIntent, capturePaymentIntent, mustGetCharge, retrievePaymentIntent } from './payment-intents.js';
import { createPrice, createProduct, retrievePrice, retrieveProduct } from './products.js';
import { createRefund, retrieveRefund, updateRefund } from './refunds.js';
import {
  cancelSchema,
  captureSchema,
  confirmPaymentIntentSchema,
  createPaymentIntentSchema,
  createPriceSchema,
  createProductSchema,
  updatePaymentIntentSchema,
  createRefundSchema,
  createSessionSchema,
  expandOnlySchema,
  parseParams,
  retrievePaymentIntentSchema,
  updateRefundSchema,
  createWebhookEndpointSchema,
  updateWebhookEndpointSchema,
} from './schemas.js';
import { createSession, expireSession, retrieveSession } from './sessions.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, retrieveWebhookEndpoint, updateWebhookEndpoint } from './webhook-endpoints.js';

export interface ApiSettings extends Ledger {
  /** The secret key the app's `stripe` SDK sends as `Authorization: Bearer …`. */
  apiKey: string;
  /** Base of the hosted page URLs handed out in `session.url`; undefined: the API request's own origin. */
  publicUrl: string | undefined;
  /** Called after every call, which may have emitted events to deliver. */
  afterWrite: () => void;
}

/** What the API answers with: the SDK's own types, so the compiler checks the shapes. */
type StripeObject =
  | Stripe.Checkout.Session
  | Stripe.PaymentIntent
  | Stripe.Charge
  | Stripe.Refund
  | Stripe.Event
  | Stripe.Product
  | Stripe.Price
  | Stripe.WebhookEndpoint
  | Stripe.DeletedWebhookEndpoint
  | Stripe.ApiList<
      | Stripe.Checkout.Session
      | Stripe.PaymentIntent
      | Stripe.Charge
      | Stripe.Refund
      | Stripe.Event
      | Stripe.LineItem
      | Stripe.WebhookEndpoint
    >;

interface Call {
  params: FormParams;
  id: string;
  request: RequestInfo;
  hostedBaseUrl: string;
}

/** A StripeApiError returned (not thrown) is an answer whose writes are kept, as a declined confirm's are. */
type Endpoint = (ledger: Ledger, call: Call) => Promise<StripeObject | StripeApiError>;

/** Pairs in one request: 100 line items of five fields each, metadata and the rest fit well below it. */
const MAX_PARAMETERS = 2000;

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

async function createCheckoutSession(ledger: Ledger, { params, hostedBaseUrl }: Call): Promise<Stripe.Checkout.Session> {
  const input = parseParams(createSessionSchema, params);
  return expandObject(ledger, await createSession(ledger, input, hostedBaseUrl), input.expand ?? []);
}

async function retrieveCheckoutSession(ledger: Ledger, { params, id }: Call): Promise<Stripe.Checkout.Session> {
  const input = parseParams(expandOnlySchema, params);
  return expandObject(ledger, await retrieveSession(ledger, id), input.expand ?? []);
}

async function expireCheckoutSession(ledger: Ledger, { params, id, request }: Call): Promise<Stripe.Checkout.Session> {
  const input = parseParams(expandOnlySchema, params);
  return expandObject(ledger, await expireSession(ledger, id, request), input.expand ?? []);
}

async function expandOutcome(ledger: Ledger, outcome: ConfirmOutcome, expand: string[] | undefined): Promise<ConfirmOutcome> {
  return outcome instanceof StripeApiError ? outcome : expandObject(ledger, outcome, expand ?? []);
}

async function newPaymentIntent(ledger: Ledger, { params, request, hostedBaseUrl }: Call): Promise<ConfirmOutcome> {
  const input = parseParams(createPaymentIntentSchema, params);
  return expandOutcome(ledger, await createPaymentIntent(ledger, input, request, hostedBaseUrl), input.expand);
}

async function changePaymentIntent(ledger: Ledger, { params, id }: Call): Promise<Stripe.PaymentIntent> {
  const input = parseParams(updatePaymentIntentSchema, params);
  return expandObject(ledger, await updatePaymentIntent(ledger, id, input), input.expand ?? []);
}

async function confirm(ledger: Ledger, { params, id, request, hostedBaseUrl }: Call): Promise<ConfirmOutcome> {
  const input = parseParams(confirmPaymentIntentSchema, params);
  return expandOutcome(ledger, await confirmPaymentIntent(ledger, id, input, request, hostedBaseUrl), input.expand);
}

async function getPaymentIntent(ledger: Ledger, { params, id }: Call): Promise<Stripe.PaymentIntent> {
  const input = parseParams(retrievePaymentIntentSchema, params);
  return expandObject(ledger, await retrievePaymentIntent(ledger, id), input.expand ?? []);
}

async function capture(ledger: Ledger, { params, id, request }: Call): Promise<Stripe.PaymentIntent> {
  const input = parseParams(captureSchema, params);
  return expandObject(ledger, await capturePaymentIntent(ledger, id, input.amount_to_capture, request), input.expand ?? []);
}

async function cancel(ledger: Ledger, { params, id, request }: Call): Promise<Stripe.PaymentIntent> {
  const input = parseParams(cancelSchema, params);
  return expandObject(ledger, await cancelPaymentIntent(ledger, id, input.cancellation_reason, request), input.expand ?? []);
}

async function getCharge(ledger: Ledger, { params, id }: Call): Promise<Stripe.Charge> {
  const input = parseParams(expandOnlySchema, params);
  return expandObject(ledger, await mustGetCharge(ledger, id), input.expand ?? []);
}

async function refund(ledger: Ledger, { params, request }: Call): Promise<Stripe.Refund> {
  const input = parseParams(createRefundSchema, params);
  return expandObject(ledger, await createRefund(ledger, input, request), input.expand ?? []);
}

async function getRefund(ledger: Ledger, { params, id }: Call): Promise<Stripe.Refund> {
  const input = parseParams(expandOnlySchema, params);
  return expandObject(ledger, await retrieveRefund(ledger, id), input.expand ?? []);
}

async function changeRefund(ledger: Ledger, { params, id, request }: Call): Promise<Stripe.Refund> {
  const input = parseParams(updateRefundSchema, params);
  return expandObject(ledger, await updateRefund(ledger, id, input.metadata, request), input.expand ?? []);
}

async function getEvent(ledger: Ledger, { params, id }: Call): Promise<Stripe.Event> {
  parseParams(expandOnlySchema, params);
  return retrieveEvent(ledger, id);
}

async function newProduct(ledger: Ledger, { params }: Call): Promise<Stripe.Product> {
  const { expand, ...input } = parseParams(createProductSchema, params);
  return expandObject(ledger, await createProduct(ledger, input), expand ?? []);
}

async function newPrice(ledger: Ledger, { params }: Call): Promise<Stripe.Price> {
  const input = parseParams(createPriceSchema, params);
  return expandObject(ledger, await createPrice(ledger, input), input.expand ?? []);
}

/** Every URL of the API, under /v1. */
export const apiEndpoints: readonly { method: 'get' | 'post' | 'delete'; path: string; endpoint: Endpoint }[] = [
  { method: 'post', path: '/checkout/sessions', endpoint: createCheckoutSession },
  { method: 'get', path: '/checkout/sessions', endpoint: (ledger, { params }) => listCheckoutSessions(ledger, params) },
  { method: 'get', path: '/checkout/sessions/:id', endpoint: retrieveCheckoutSession },
  { method: 'get', path: '/checkout/sessions/:id/line_items', endpoint: (ledger, { params, id }) => listLineItems(ledger, id, params) },
  { method: 'post', path: '/checkout/sessions/:id/expire', endpoint: expireCheckoutSession },
  { method: 'get', path: '/payment_intents', endpoint: (ledger, { params }) => listPaymentIntents(ledger, params) },
  { method: 'post', path: '/payment_intents', endpoint: newPaymentIntent },
  { method: 'get', path: '/payment_intents/:id', endpoint: getPaymentIntent },
  { method: 'post', path: '/payment_intents/:id', endpoint: changePaymentIntent },
  { method: 'post', path: '/payment_intents/:id/confirm', endpoint: confirm },
  { method: 'post', path: '/payment_intents/:id/capture', endpoint: capture },
  { method: 'post', path: '/payment_intents/:id/cancel', endpoint: cancel },
  { method: 'get', path: '/charges', endpoint: (ledger, { params }) => listCharges(ledger, params) },
  { method: 'get', path: '/charges/:id', endpoint: getCharge },
  { method: 'get', path: '/refunds', endpoint: (ledger, { params }) => listRefunds(ledger, params) },
  { method: 'post', path: '/refunds', endpoint: refund },
  { method: 'get', path: '/refunds/:id', endpoint: getRefund },
  { method: 'post', path: '/refunds/:id', endpoint: changeRefund },
  { method: 'post', path: '/products', endpoint: newProduct },
  {
    method: 'get',
    path: '/products/:id',
    endpoint: async (ledger, { params, id }) => (parseParams(expandOnlySchema, params), await retrieveProduct(ledger, id)),
  },
  { method: 'post', path: '/prices', endpoint: newPrice },
  {
    method: 'get',
    path: '/prices/:id',
    endpoint: async (ledger, { params, id }) =>
      expandObject(ledger, await retrievePrice(ledger, id), parseParams(expandOnlySchema, params).expand ?? []),
  },
  { method: 'get', path: '/events', endpoint: (ledger, { params }) => listEvents(ledger, params) },
  { method: 'get', path: '/events/:id', endpoint: getEvent },
  {
    method: 'post',
    path: '/webhook_endpoints',
    endpoint: (ledger, { params }) => createWebhookEndpoint(ledger, parseParams(createWebhookEndpointSchema, params)),
  },
  { method: 'get', path: '/webhook_endpoints', endpoint: (ledger, { params }) => listWebhookEndpoints(ledger, params) },
  {
    method: 'get',
    path: '/webhook_endpoints/:id',
    endpoint: async (ledger, { params, id }) => (parseParams(expandOnlySchema, params), await retrieveWebhookEndpoint(ledger, id)),
  },
  {
    method: 'post',
    path: '/webhook_endpoints/:id',
    endpoint: (ledger, { params, id }) => updateWebhookEndpoint(ledger, id, parseParams(updateWebhookEndpointSchema, params)),
  },
  {
    method: 'delete',
    path: '/webhook_endpoints/:id',
    endpoint: async (ledger, { params, id }) => (parseParams(expandOnlySchema, params), await deleteWebhookEndpoint(ledger, id)),
  },
];

export function createApiRouter(settings: ApiSettings): express.Router {
  const router = express.Router();
  router.use(stripeHeaders);
  router.use(loopbackOnly);
  router.use((req, res, next) => requireApiKey(settings.apiKey, req, res, next));
  router.use(formText('200kb'));
  for (const { method, path, endpoint } of apiEndpoints) {
    router[method](path, (req, res) => answer(settings, endpoint, req, res));
  }
  router.use(unrecognizedUrl);
  router.use(stripeErrors);
  return router;
}

function stripeHeaders(req: Request, res: Response, next: NextFunction): void {
  res.set('Request-Id', newId('req'));
  res.set('Stripe-Version', req.get('stripe-version') ?? '2026-10-28.endive');
  res.set('Cache-Control', 'no-cache, no-store');
  next();
}

/**
 * The API answers only connections from this machine: the app reaches it over loopback, while the
 * hosted card pages on the same port must stay reachable from the phones on the room's Wi-Fi. The
 * socket's own address decides (no forwarding header is believed).
 */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (isLoopbackAddress(req.socket.remoteAddress)) return next();
  sendError(
    res,
    new StripeApiError(403, {
      type: 'invalid_request_error',
      message: 'The PasarLatih payment sandbox API answers only on this computer (loopback); the app reaches it at 127.0.0.1.',
    }),
  );
}

function requireApiKey(apiKey: string, req: Request, res: Response, next: NextFunction): void {
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
  if (!sameSecret(key, apiKey)) {
    sendError(res, authenticationError(`Invalid API Key provided: ${maskKey(key)}`));
    return;
  }
  next();
}

async function answer(settings: ApiSettings, endpoint: Endpoint, req: Request, res: Response): Promise<void> {
  // The SDK sends a GET's and a DELETE's parameters in the query string, a POST's in the body.
  const raw = req.method === 'POST' ? rawForm(req.body) : queryString(req);
  const params = parseFormParams(raw, MAX_PARAMETERS);
  const idempotencyKey = req.method === 'POST' ? (req.get('idempotency-key') ?? null) : null;
  const call: Call = {
    params,
    id: String(req.params.id ?? ''),
    request: { id: res.get('Request-Id') ?? null, idempotencyKey },
    hostedBaseUrl: (settings.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, ''),
  };
  const requestHash = sha256(`${req.method} ${req.path} ${JSON.stringify([...new URLSearchParams(raw)].sort())}`);
  const outcome = await settings.store.transaction(() => runOnce(settings, idempotencyKey, requestHash, () => endpoint(settings, call)));
  if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
  if (idempotencyKey) res.set('Idempotency-Key', idempotencyKey);
  res.status(outcome.status).type('application/json').send(outcome.body);
  // A GET may have expired sessions whose time ran out (Stripe expires them on its own): their events are due too.
  settings.afterWrite();
}

/**
 * Runs an endpoint once per Idempotency-Key, inside the caller's transaction so the key's record
 * and the endpoint's writes commit together: a repeated key replays the first response, a key
 * reused with other parameters is refused.
 */
async function runOnce(
  settings: ApiSettings,
  idempotencyKey: string | null,
  requestHash: string,
  run: () => Promise<StripeObject | StripeApiError>,
): Promise<{ status: number; body: string; replayed: boolean }> {
  const { store } = settings;
  const apiKeyHash = sha256(settings.apiKey);
  const previous = idempotencyKey ? await store.getIdempotent(apiKeyHash, idempotencyKey) : null;
  if (previous) {
    if (previous.requestHash !== requestHash) {
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
      });
    }
    return { status: previous.status, body: previous.body, replayed: true };
  }
  const result = await run();
  const status = result instanceof StripeApiError ? result.status : 200;
  const body = JSON.stringify(result instanceof StripeApiError ? { error: result.body } : result);
  if (idempotencyKey) await store.putIdempotent(apiKeyHash, idempotencyKey, { requestHash, status, body }, settings.now());
  return { status, body, replayed: false };
}

function unrecognizedUrl(req: Request, res: Response): void {
  sendError(
    res,
    new StripeApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${req.method}: ${req.originalUrl.split('?')[0]}). The PasarLatih payment sandbox imitates only Checkout Sessions, PaymentIntents, Charges, Refunds, Events, Products, Prices and Webhook Endpoints (see its README section).`,
    }),
  );
}

/** Refusals in Stripe's wire format, unreadable parameters and bodies included; anything else is the sandbox's 500. */
const stripeErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (error instanceof StripeApiError) {
    sendError(res, error);
    return;
  }
  if (error instanceof FormParamsError) {
    sendError(res, invalidRequest(error.message, error.param));
    return;
  }
  const status = clientErrorStatus(error);
  if (status === 413) sendError(res, new StripeApiError(413, { type: 'invalid_request_error', message: 'The request body is too large.' }));
  else if (status !== null)
    sendError(res, new StripeApiError(status, { type: 'invalid_request_error', message: 'The request body could not be read.' }));
  else next(error);
};

function queryString(req: Request): string {
  const start = req.originalUrl.indexOf('?');
  return start === -1 ? '' : req.originalUrl.slice(start + 1);
}
