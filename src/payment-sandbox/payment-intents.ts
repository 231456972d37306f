// PaymentIntents as the app handles them after Checkout: retrieve, capture (manual capture)
// and cancel. Checkout creates them (card-payments.ts); the app never does.
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing, unexpectedState } from './errors.js';
import { emit, mustGetPaymentIntent, mustGetSession, seconds, type Ledger, type RequestInfo } from './ledger.js';

type PaymentIntent = Stripe.PaymentIntent;

export async function retrievePaymentIntent(ledger: Ledger, id: string): Promise<PaymentIntent> {
  return await mustGetPaymentIntent(ledger, id);
}

export async function mustGetCharge(ledger: Ledger, id: string): Promise<Stripe.Charge> {
  const charge = await ledger.store.get<Stripe.Charge>('charge', id);
  if (!charge) throw resourceMissing('charge', id, 'charge');
  return charge;
}

export async function capturePaymentIntent(
  ledger: Ledger,
  id: string,
  amountToCapture: number | undefined,
  request: RequestInfo,
): Promise<PaymentIntent> {
  const { store } = ledger;
  const pi = await mustGetPaymentIntent(ledger, id);
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  }
  const amount = amountToCapture ?? pi.amount_capturable;
  if (amount <= 0 || amount > pi.amount_capturable) {
    throw invalidRequest('The amount to capture must be positive and at most the amount capturable.', 'amount_to_capture');
  }
  const charge = await store.get<Stripe.Charge>('charge', String(pi.latest_charge));
  if (charge) {
    Object.assign(charge, { captured: true, amount_captured: amount, amount_refunded: pi.amount - amount, refunded: false });
    await store.update('charge', charge);
    await emit(ledger, { type: 'charge.captured', object: charge }, request);
  }
  Object.assign(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 } satisfies Partial<PaymentIntent>);
  await store.update('payment_intent', pi);
  const sessionId = await store.sessionIdForPaymentIntent(pi.id);
  if (sessionId) {
    const session = await mustGetSession(ledger, sessionId);
    session.payment_status = 'paid';
    await store.update('checkout.session', session);
  }
  await emit(ledger, { type: 'payment_intent.succeeded', object: pi }, request);
  return pi;
}

const cancelable = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'];

export async function cancelPaymentIntent(
  ledger: Ledger,
  id: string,
  reason: Stripe.PaymentIntent.CancellationReason | undefined,
  request: RequestInfo,
): Promise<PaymentIntent> {
  const { store } = ledger;
  const pi = await mustGetPaymentIntent(ledger, id);
  if (!cancelable.includes(pi.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(', ')}.`,
    );
  }
  const sessionId = await store.sessionIdForPaymentIntent(pi.id);
  if (sessionId && (await mustGetSession(ledger, sessionId)).status === 'open') {
    throw unexpectedState(
      'You cannot cancel this PaymentIntent because it was created by Checkout and its Checkout Session is still open. Expire the Checkout Session instead.',
    );
  }
  if (pi.status === 'requires_capture') {
    const charge = await store.get<Stripe.Charge>('charge', String(pi.latest_charge));
    if (charge) {
      Object.assign(charge, { amount_refunded: charge.amount, refunded: true });
      await store.update('charge', charge);
    }
  }
  Object.assign(pi, {
    status: 'canceled',
    canceled_at: seconds(ledger),
    cancellation_reason: reason ?? 'requested_by_customer',
    amount_capturable: 0,
    next_action: null,
  } satisfies Partial<PaymentIntent>);
  await store.update('payment_intent', pi);
  await emit(ledger, { type: 'payment_intent.canceled', object: pi }, request);
  return pi;
}
