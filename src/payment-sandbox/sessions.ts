// Checkout Sessions: created by the app, paid on the hosted page, expired by the app or by
// the sandbox's clock (Stripe expires them on its own at expires_at).
import type Stripe from 'stripe';
import { invalidRequest } from './errors.js';
import { newId, randomToken } from './ids.js';
import { automatic, emit, mustGetPaymentIntent, mustGetSession, privateOf, seconds, type Ledger, type RequestInfo } from './ledger.js';
import { buildSession } from './objects.js';
import { MAX_AMOUNT_SEN, MIN_AMOUNT_SEN, SEN_PER_RUPIAH, supportedCurrency, type CreateSessionParams } from './schemas.js';
import { retrievePrice, retrieveProduct } from './products.js';
import type { LineItemRecord, SessionPrivate } from './store.js';

type Session = Stripe.Checkout.Session;

const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;

export async function createSession(ledger: Ledger, params: CreateSessionParams, hostedBaseUrl: string): Promise<Session> {
  const created = seconds(ledger);
  const lines: (LineItemRecord & { param: string })[] = [];
  for (const [i, li] of params.line_items.entries()) lines.push(await resolveLine(ledger, li, i));
  const currencies = new Set(lines.map((li) => li.currency));
  if (currencies.size > 1) throw invalidRequest('All line items must use the same currency.', 'line_items');
  const currency = [...currencies][0]!;
  if (currency !== supportedCurrency) {
    throw invalidRequest(`The PasarLatih sandbox only supports currency '${supportedCurrency}'.`, `${lines[0]!.param}[currency]`);
  }
  lines.forEach((li) => {
    if (li.unitAmount % SEN_PER_RUPIAH !== 0) {
      throw invalidRequest(
        `IDR amounts are in sen (1/100 rupiah) and PasarLatih prices are whole rupiah: unit_amount must be a multiple of ${SEN_PER_RUPIAH}.`,
        `${li.param}[unit_amount]`,
      );
    }
  });
  const expiresAt = params.expires_at ?? created + MAX_EXPIRY_SECONDS;
  if (expiresAt < created + MIN_EXPIRY_SECONDS || expiresAt > created + MAX_EXPIRY_SECONDS) {
    throw invalidRequest(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      'expires_at',
    );
  }
  const amountTotal = lines.reduce((sum, li) => sum + li.unitAmount * li.quantity, 0);
  if (amountTotal < MIN_AMOUNT_SEN) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least Rp ${MIN_AMOUNT_SEN / SEN_PER_RUPIAH} (idr ${MIN_AMOUNT_SEN}).`,
      'line_items',
      'amount_too_small',
    );
  }
  if (!Number.isSafeInteger(amountTotal) || amountTotal > MAX_AMOUNT_SEN) {
    throw invalidRequest(`Amount must be no more than idr ${MAX_AMOUNT_SEN} (Rp 999.999.999.999).`, 'line_items', 'amount_too_large');
  }
  const id = newId('cs_test');
  const session = buildSession({
    id,
    created,
    expiresAt,
    url: `${hostedBaseUrl}/c/pay/${id}`,
    currency,
    amountTotal,
    successUrl: params.success_url,
    cancelUrl: params.cancel_url ?? null,
    clientReferenceId: params.client_reference_id ?? null,
    customerEmail: params.customer_email ?? null,
    locale: params.locale ?? null,
    metadata: params.metadata ?? {},
  });
  await ledger.store.insert('checkout.session', session);
  await ledger.store.insertPrivate({
    sessionId: id,
    csrfToken: randomToken(),
    lineItems: lines.map(({ param: _param, ...li }) => li),
    paymentIntentData: {
      captureMethod: params.payment_intent_data?.capture_method ?? 'automatic',
      description: params.payment_intent_data?.description ?? null,
      metadata: params.payment_intent_data?.metadata ?? {},
    },
  });
  return session;
}

/** A line item as stored, from its inline price_data or from a Price made through the API. */
async function resolveLine(
  ledger: Ledger,
  li: CreateSessionParams['line_items'][number],
  index: number,
): Promise<LineItemRecord & { param: string }> {
  if ((li.price === undefined) === (li.price_data === undefined)) {
    throw invalidRequest('You must specify exactly one of price or price_data.', `line_items[${index}]`, 'parameters_exclusive');
  }
  if (li.price_data) {
    return {
      ids: { lineItem: newId('li'), price: newId('price'), product: newId('prod') },
      name: li.price_data.product_data.name,
      description: li.price_data.product_data.description ?? null,
      unitAmount: li.price_data.unit_amount,
      quantity: li.quantity,
      currency: li.price_data.currency,
      param: `line_items[${index}][price_data]`,
    };
  }
  const param = `line_items[${index}][price]`;
  const price = await retrievePrice(ledger, li.price!, param);
  if (!price.active || price.unit_amount === null) throw invalidRequest(`The price specified is inactive or has no unit_amount.`, param);
  const product = await retrieveProduct(ledger, String(price.product), param);
  if (!product.active) throw invalidRequest(`The product of price ${price.id} is inactive.`, param, 'product_inactive');
  return {
    ids: { lineItem: newId('li'), price: price.id, product: product.id },
    name: product.name,
    description: product.description,
    unitAmount: price.unit_amount,
    quantity: li.quantity,
    currency: price.currency,
    param,
  };
}

export async function retrieveSession(ledger: Ledger, id: string): Promise<Session> {
  await expireDueSessions(ledger);
  return await mustGetSession(ledger, id);
}

export async function expireSession(ledger: Ledger, id: string, request: RequestInfo): Promise<Session> {
  await expireDueSessions(ledger);
  const session = await mustGetSession(ledger, id);
  if (session.status !== 'open') {
    throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired.`, 'session');
  }
  return await expire(ledger, session, request);
}

/** Expires open sessions whose expires_at has passed (Stripe does it on its own clock). Returns how many. */
export async function expireDueSessions(ledger: Ledger): Promise<number> {
  const ids = await ledger.store.openSessionIdsExpiredBy(seconds(ledger));
  for (const id of ids) await expire(ledger, await mustGetSession(ledger, id), automatic);
  return ids.length;
}

async function expire(ledger: Ledger, session: Session, request: RequestInfo): Promise<Session> {
  session.status = 'expired';
  session.url = null;
  if (typeof session.payment_intent === 'string') {
    const pi = await mustGetPaymentIntent(ledger, session.payment_intent);
    if (pi.status === 'requires_payment_method' || pi.status === 'requires_action') {
      pi.status = 'canceled';
      pi.canceled_at = seconds(ledger);
      pi.cancellation_reason = 'abandoned';
      pi.next_action = null;
      await ledger.store.update('payment_intent', pi);
      await emit(ledger, { type: 'payment_intent.canceled', object: pi }, request);
    }
  }
  await ledger.store.update('checkout.session', session);
  await ledger.store.setPendingAuth(session.id, null);
  await emit(ledger, { type: 'checkout.session.expired', object: session }, request);
  return session;
}

/** For the hosted page: the session and its private part, or null when there is no such session. */
export async function viewSession(ledger: Ledger, sessionId: string): Promise<{ session: Session; priv: SessionPrivate } | null> {
  await expireDueSessions(ledger);
  const session = await ledger.store.get<Session>('checkout.session', sessionId);
  if (!session) return null;
  return { session, priv: await privateOf(ledger, sessionId) };
}

/** Where the shop wants the buyer after paying: success_url with the session id filled in. */
export function successRedirect(session: Session): string {
  return (session.success_url ?? '').replaceAll('{CHECKOUT_SESSION_ID}', session.id);
}
