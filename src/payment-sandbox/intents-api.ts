// PaymentIntents created, updated and confirmed through the API, as a developer integrating
// without Checkout does, paid with Stripe's test PaymentMethods (`pm_card_visa`,
// `pm_card_chargeDeclined`, `pm_card_authenticationRequired`, …). A 3-D Secure card stops at
// requires_action; with a return_url its next_action is a sandbox page that completes or fails it.
import { timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { recordDeclinedCharge } from './card-payments.js';
import { declineMessages, testCardOfPaymentMethod, type TestCard } from './cards.js';
import { invalidRequest, StripeApiError, unexpectedState } from './errors.js';
import { newId, randomToken } from './ids.js';
import { automatic, emit, mustGetPaymentIntent, seconds, type Ledger, type RequestInfo } from './ledger.js';
import { buildCharge, buildPaymentIntent, type CardDetails } from './objects.js';
import {
  MAX_AMOUNT_SEN,
  MIN_AMOUNT_SEN,
  SEN_PER_RUPIAH,
  supportedCurrency,
  type ConfirmPaymentIntentParams,
  type CreatePaymentIntentParams,
  type UpdatePaymentIntentParams,
} from './schemas.js';

type PaymentIntent = Stripe.PaymentIntent;

/** The path of the 3-D Secure page of an API PaymentIntent (hosted.routes.ts serves it). */
export const authenticatePath = (paymentIntentId: string) => `/pi/${paymentIntentId}/authenticate`;

function checkAmount(amount: number, currency: string): void {
  if (currency !== supportedCurrency) {
    throw invalidRequest(`The PasarLatih sandbox only supports currency '${supportedCurrency}'.`, 'currency');
  }
  if (amount < MIN_AMOUNT_SEN) {
    throw invalidRequest(
      `Amount must be at least Rp ${MIN_AMOUNT_SEN / SEN_PER_RUPIAH} (idr ${MIN_AMOUNT_SEN}).`,
      'amount',
      'amount_too_small',
    );
  }
  if (amount > MAX_AMOUNT_SEN) {
    throw invalidRequest(`Amount must be no more than idr ${MAX_AMOUNT_SEN} (Rp 999.999.999.999).`, 'amount', 'amount_too_large');
  }
  if (amount % SEN_PER_RUPIAH !== 0) {
    throw invalidRequest(
      `IDR amounts are in sen (1/100 rupiah) and PasarLatih prices are whole rupiah: amount must be a multiple of ${SEN_PER_RUPIAH}.`,
      'amount',
      'invalid_charge_amount',
    );
  }
}

function checkPaymentMethod(paymentMethod: string): void {
  if (!testCardOfPaymentMethod(paymentMethod)) {
    throw invalidRequest(
      `No such PaymentMethod: '${paymentMethod}'. The sandbox knows Stripe's test PaymentMethods (pm_card_visa, pm_card_chargeDeclined, pm_card_authenticationRequired, …).`,
      'payment_method',
      'resource_missing',
    );
  }
}

/** PaymentIntents of Checkout Sessions are confirmed by the hosted page only. */
async function refuseCheckoutIntent(ledger: Ledger, pi: PaymentIntent, action: string): Promise<void> {
  if (await ledger.store.sessionIdForPaymentIntent(pi.id)) {
    throw unexpectedState(`You cannot ${action} this PaymentIntent because it was created by a Checkout Session.`);
  }
}

/** The answer of a confirm: the PaymentIntent, or the card error Stripe answers a decline with (the decline is kept). */
export type ConfirmOutcome = PaymentIntent | StripeApiError;

export async function createPaymentIntent(
  ledger: Ledger,
  params: CreatePaymentIntentParams,
  request: RequestInfo,
  hostedBaseUrl: string,
): Promise<ConfirmOutcome> {
  checkAmount(params.amount, params.currency);
  if (params.payment_method !== undefined) checkPaymentMethod(params.payment_method);
  if (params.return_url !== undefined && !params.confirm) {
    throw invalidRequest('You can only pass in return_url when confirm=true.', 'return_url');
  }
  const pi = buildPaymentIntent({
    amount: params.amount,
    currency: params.currency,
    created: seconds(ledger),
    captureMethod: params.capture_method ?? 'automatic',
    description: params.description ?? null,
    metadata: params.metadata ?? {},
  });
  Object.assign(pi, {
    payment_method: params.payment_method ?? null,
    status: params.payment_method === undefined ? 'requires_payment_method' : 'requires_confirmation',
    receipt_email: params.receipt_email ?? null,
    automatic_payment_methods: params.automatic_payment_methods
      ? { enabled: params.automatic_payment_methods.enabled, allow_redirects: params.automatic_payment_methods.allow_redirects ?? 'always' }
      : null,
  } satisfies Partial<PaymentIntent>);
  await ledger.store.insert('payment_intent', pi);
  await emit(ledger, { type: 'payment_intent.created', object: pi }, request);
  if (!params.confirm) return pi;
  return await confirm(
    ledger,
    pi,
    { ...(params.return_url === undefined ? {} : { return_url: params.return_url }) },
    request,
    hostedBaseUrl,
  );
}

const changeable = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export async function updatePaymentIntent(ledger: Ledger, id: string, params: UpdatePaymentIntentParams): Promise<PaymentIntent> {
  const pi = await mustGetPaymentIntent(ledger, id);
  await refuseCheckoutIntent(ledger, pi, 'update');
  if (!changeable.includes(pi.status)) {
    throw unexpectedState(
      `This PaymentIntent's amount could not be updated because it has a status of ${pi.status}. You may only update the amount of a PaymentIntent with one of the following statuses: ${changeable.join(', ')}.`,
    );
  }
  if (params.amount !== undefined || params.currency !== undefined) checkAmount(params.amount ?? pi.amount, params.currency ?? pi.currency);
  if (params.payment_method !== undefined) checkPaymentMethod(params.payment_method);
  if (params.amount !== undefined) pi.amount = params.amount;
  if (params.currency !== undefined) pi.currency = params.currency;
  if (params.capture_method !== undefined) pi.capture_method = params.capture_method;
  if (params.description !== undefined) pi.description = params.description;
  if (params.receipt_email !== undefined) pi.receipt_email = params.receipt_email;
  if (params.metadata !== undefined) {
    pi.metadata = Object.fromEntries(Object.entries({ ...pi.metadata, ...params.metadata }).filter(([, value]) => value !== ''));
  }
  if (params.payment_method !== undefined) {
    // A new payment method takes the intent back to waiting for confirmation.
    Object.assign(pi, {
      payment_method: params.payment_method,
      status: 'requires_confirmation',
      next_action: null,
    } satisfies Partial<PaymentIntent>);
  }
  await ledger.store.update('payment_intent', pi);
  return pi;
}

export async function confirmPaymentIntent(
  ledger: Ledger,
  id: string,
  params: ConfirmPaymentIntentParams,
  request: RequestInfo,
  hostedBaseUrl: string,
): Promise<ConfirmOutcome> {
  const pi = await mustGetPaymentIntent(ledger, id);
  await refuseCheckoutIntent(ledger, pi, 'confirm');
  if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
    );
  }
  if (params.payment_method !== undefined) {
    checkPaymentMethod(params.payment_method);
    pi.payment_method = params.payment_method;
  }
  if (params.capture_method !== undefined) pi.capture_method = params.capture_method;
  if (params.receipt_email !== undefined) pi.receipt_email = params.receipt_email;
  return await confirm(ledger, pi, params, request, hostedBaseUrl);
}

async function confirm(
  ledger: Ledger,
  pi: PaymentIntent,
  params: { return_url?: string | undefined },
  request: RequestInfo,
  hostedBaseUrl: string,
): Promise<ConfirmOutcome> {
  const paymentMethod = typeof pi.payment_method === 'string' ? pi.payment_method : null;
  const card = paymentMethod === null ? null : testCardOfPaymentMethod(paymentMethod);
  if (!card) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, pass a payment_method.",
    );
  }
  const details = cardDetails(card, false);
  const outcome = card.outcome;
  if (outcome.kind === 'succeed') {
    await chargeSucceeded(ledger, pi, details, request);
    return pi;
  }
  if (outcome.kind === 'decline') {
    const message = declineMessages[outcome.declineCode] ?? declineMessages.generic_decline!;
    return await chargeFailed(ledger, pi, details, { code: outcome.code, declineCode: outcome.declineCode, message }, request);
  }
  const returnUrl = params.return_url ?? null;
  const pageUrl = `${hostedBaseUrl}${authenticatePath(pi.id)}?token=${randomToken()}`;
  Object.assign(pi, {
    status: 'requires_action',
    // Without a return_url Stripe answers use_stripe_sdk, whose (opaque) hash Stripe.js opens as the
    // bank's page: three_d_secure_redirect with that page in stripe_js. With one, the buyer is sent there.
    next_action: returnUrl
      ? { type: 'redirect_to_url', redirect_to_url: { url: pageUrl, return_url: returnUrl } }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: pageUrl, source: newId('src') } },
  } satisfies Partial<PaymentIntent>);
  await ledger.store.update('payment_intent', pi);
  return pi;
}

function cardDetails(card: TestCard, threeDSecure: boolean): CardDetails {
  // The test PaymentMethods carry no name; their expiry is a year ahead, as Stripe's are.
  return {
    brand: card.brand,
    last4: card.number.slice(-4),
    expMonth: 12,
    expYear: new Date().getUTCFullYear() + 1,
    name: '',
    threeDSecure,
  };
}

async function chargeSucceeded(ledger: Ledger, pi: PaymentIntent, card: CardDetails, request: RequestInfo): Promise<void> {
  const pm = newId('pm');
  const manual = pi.capture_method === 'manual';
  const charge = buildCharge({ paymentIntent: pi, paymentMethodId: pm, card, created: seconds(ledger), failure: null, captured: !manual });
  await ledger.store.insert('charge', charge);
  Object.assign(pi, {
    status: manual ? 'requires_capture' : 'succeeded',
    amount_received: manual ? 0 : pi.amount,
    amount_capturable: manual ? pi.amount : 0,
    latest_charge: charge.id,
    payment_method: pm,
    last_payment_error: null,
    next_action: null,
  } satisfies Partial<PaymentIntent>);
  await ledger.store.update('payment_intent', pi);
  await emit(ledger, { type: 'charge.succeeded', object: charge }, request);
  await emit(ledger, { type: manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', object: pi }, request);
}

async function chargeFailed(
  ledger: Ledger,
  pi: PaymentIntent,
  card: CardDetails,
  failure: {
    code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error' | 'payment_intent_authentication_failure';
    declineCode: string | null;
    message: string;
  },
  request: RequestInfo,
): Promise<StripeApiError> {
  const charge = await recordDeclinedCharge(ledger, pi, card, failure, request);
  return new StripeApiError(402, {
    type: 'card_error',
    code: failure.code,
    ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
    message: failure.message,
    charge: charge.id,
    payment_intent: structuredClone(pi),
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token in a PaymentIntent's 3-D Secure URL (redirect_to_url or use_stripe_sdk's stripe_js), or null when it waits for none. */
export function authenticationToken(pi: PaymentIntent): string | null {
  if (pi.status !== 'requires_action') return null;
  const sdkUrl = pi.next_action?.use_stripe_sdk?.stripe_js;
  const url = pi.next_action?.redirect_to_url?.url ?? (typeof sdkUrl === 'string' ? sdkUrl : null);
  return url ? new URL(url).searchParams.get('token') : null;
}

/**
 * The bank's answer on the 3-D Secure page: the payment goes through or fails, and the buyer is
 * sent to the return_url with Stripe's query parameters (none with use_stripe_sdk: the page says
 * it is done, as Stripe.js's frame closes). Null when the intent waits for no answer.
 */
export async function answerAuthentication(
  ledger: Ledger,
  id: string,
  token: string,
  complete: boolean,
): Promise<{ redirectTo: string | null; succeeded: boolean } | null> {
  const pi = await ledger.store.get<PaymentIntent>('payment_intent', id);
  const expected = pi ? authenticationToken(pi) : null;
  if (!pi || expected === null || !sameToken(expected, token)) return null;
  const returnUrl = pi.next_action?.redirect_to_url?.return_url ?? null;
  const card = testCardOfPaymentMethod(String(pi.payment_method));
  const details = card
    ? cardDetails(card, true)
    : cardDetails({ number: '0000', brand: 'visa', outcome: { kind: 'three_d_secure' } }, true);
  if (complete) {
    await chargeSucceeded(ledger, pi, details, automatic);
  } else {
    await chargeFailed(
      ledger,
      pi,
      details,
      { code: 'payment_intent_authentication_failure', declineCode: null, message: declineMessages.authentication_failed! },
      automatic,
    );
  }
  if (returnUrl === null) return { redirectTo: null, succeeded: complete };
  const target = new URL(returnUrl);
  target.searchParams.set('payment_intent', pi.id);
  target.searchParams.set('payment_intent_client_secret', pi.client_secret ?? '');
  target.searchParams.set('redirect_status', complete ? 'succeeded' : 'failed');
  return { redirectTo: target.toString(), succeeded: complete };
}
