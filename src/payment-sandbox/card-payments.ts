// A card typed on the hosted page, and its 3-D Secure step: the PaymentIntent is created on
// the first attempt (as Stripe Checkout does), then succeeds, is declined or waits for a code.
import { randomInt, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { declineMessages, type TestCard } from './cards.js';
import { newId } from './ids.js';
import { automatic, emit, mustGetPaymentIntent, mustGetSession, privateOf, seconds, type Ledger, type RequestInfo } from './ledger.js';
import { buildCharge, buildPaymentIntent, type CardDetails } from './objects.js';
import { supportedCurrency } from './schemas.js';
import { expireDueSessions, successRedirect } from './sessions.js';
import type { PendingAuth } from './store.js';

type Session = Stripe.Checkout.Session;
type PaymentIntent = Stripe.PaymentIntent;

export type CardAttempt = Omit<CardDetails, 'threeDSecure'> & { testCard: TestCard };

export type AttemptResult =
  | { kind: 'succeeded'; redirectTo: string }
  | { kind: 'declined'; code: string; declineCode: string | null }
  | { kind: 'requires_action' }
  | { kind: 'not_open'; session: Session };

/** A card typed on the hosted page. Only test cards reach this point. */
export async function attemptCard(ledger: Ledger, sessionId: string, attempt: CardAttempt): Promise<AttemptResult> {
  const { session, pi } = await openSessionAndIntent(ledger, sessionId);
  if (!pi) return { kind: 'not_open', session };
  const card: CardDetails = { ...attempt, threeDSecure: false };
  const outcome = attempt.testCard.outcome;
  if (outcome.kind === 'succeed') {
    await succeed(ledger, session, pi, card);
    return { kind: 'succeeded', redirectTo: successRedirect(session) };
  }
  if (outcome.kind === 'decline') {
    await decline(ledger, session, pi, card, {
      code: outcome.code,
      declineCode: outcome.declineCode,
      message: declineMessages[outcome.declineCode] ?? declineMessages.generic_decline!,
    });
    return { kind: 'declined', code: outcome.code, declineCode: outcome.declineCode };
  }
  const pending: PendingAuth = {
    otp: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    brand: attempt.brand,
    last4: attempt.last4,
    expMonth: attempt.expMonth,
    expYear: attempt.expYear,
    name: attempt.name,
    createdAt: ledger.now(),
  };
  await ledger.store.setPendingAuth(session.id, pending);
  Object.assign(pi, {
    status: 'requires_action',
    next_action: {
      type: 'redirect_to_url',
      redirect_to_url: { url: `${session.url ?? ''}/3ds`, return_url: successRedirect(session) },
    },
  } satisfies Partial<PaymentIntent>);
  await ledger.store.update('payment_intent', pi);
  return { kind: 'requires_action' };
}

/** The 3-D Secure step: the right code pays, a wrong code or a cancel fails the attempt. */
export async function answerThreeDSecure(
  ledger: Ledger,
  sessionId: string,
  answer: { kind: 'code'; code: string } | { kind: 'cancel' },
): Promise<AttemptResult | { kind: 'no_challenge' }> {
  const { session, pi } = await openSessionAndIntent(ledger, sessionId);
  if (!pi) return { kind: 'not_open', session };
  const pending = (await privateOf(ledger, sessionId)).pendingAuth;
  if (!pending || pi.status !== 'requires_action') return { kind: 'no_challenge' };
  const card: CardDetails = { ...pending, threeDSecure: true };
  if (answer.kind === 'code' && codesMatch(answer.code.trim(), pending.otp)) {
    await succeed(ledger, session, pi, card);
    return { kind: 'succeeded', redirectTo: successRedirect(session) };
  }
  const code = 'payment_intent_authentication_failure';
  await decline(ledger, session, pi, card, { code, declineCode: null, message: declineMessages.authentication_failed! });
  return { kind: 'declined', code, declineCode: null };
}

/** The session for a hosted-page action and its PaymentIntent, or pi null when it is not payable. */
async function openSessionAndIntent(ledger: Ledger, sessionId: string): Promise<{ session: Session; pi: PaymentIntent | null }> {
  await expireDueSessions(ledger);
  const session = await mustGetSession(ledger, sessionId);
  if (session.status !== 'open') return { session, pi: null };
  const pi = await ensurePaymentIntent(ledger, session);
  // Only these states can take a new card; anything else means the money already moved.
  if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_action') return { session, pi: null };
  return { session, pi };
}

async function ensurePaymentIntent(ledger: Ledger, session: Session): Promise<PaymentIntent> {
  if (typeof session.payment_intent === 'string') return await mustGetPaymentIntent(ledger, session.payment_intent);
  const data = (await privateOf(ledger, session.id)).paymentIntentData;
  const pi = buildPaymentIntent({
    amount: session.amount_total ?? 0,
    currency: session.currency ?? supportedCurrency,
    created: seconds(ledger),
    captureMethod: data.captureMethod,
    description: data.description,
    metadata: data.metadata,
  });
  await ledger.store.insert('payment_intent', pi);
  session.payment_intent = pi.id;
  await ledger.store.update('checkout.session', session);
  await emit(ledger, { type: 'payment_intent.created', object: pi }, automatic);
  return pi;
}

async function succeed(ledger: Ledger, session: Session, pi: PaymentIntent, card: CardDetails): Promise<void> {
  const { store } = ledger;
  const pm = newId('pm');
  const manual = pi.capture_method === 'manual';
  const charge = buildCharge({ paymentIntent: pi, paymentMethodId: pm, card, created: seconds(ledger), failure: null, captured: !manual });
  await store.insert('charge', charge);
  Object.assign(pi, {
    status: manual ? 'requires_capture' : 'succeeded',
    amount_received: manual ? 0 : pi.amount,
    amount_capturable: manual ? pi.amount : 0,
    latest_charge: charge.id,
    payment_method: pm,
    last_payment_error: null,
    next_action: null,
  } satisfies Partial<PaymentIntent>);
  await store.update('payment_intent', pi);
  Object.assign(session, {
    status: 'complete',
    payment_status: manual ? 'unpaid' : 'paid',
    url: null,
    customer_details: {
      address: null,
      business_name: null,
      email: session.customer_email,
      individual_name: null,
      name: card.name,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
  } satisfies Partial<Session>);
  await store.update('checkout.session', session);
  await store.setPendingAuth(session.id, null);
  // As Stripe does: the charge first (its payment_method_details say whether 3-D Secure authenticated it).
  await emit(ledger, { type: 'charge.succeeded', object: charge }, automatic);
  await emit(ledger, { type: manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', object: pi }, automatic);
  await emit(ledger, { type: 'checkout.session.completed', object: session }, automatic);
}

async function decline(
  ledger: Ledger,
  session: Session,
  pi: PaymentIntent,
  card: CardDetails,
  failure: { code: string; declineCode: string | null; message: string },
): Promise<void> {
  await ledger.store.setPendingAuth(session.id, null);
  await recordDeclinedCharge(ledger, pi, card, failure, automatic);
}

/**
 * A declined card on a PaymentIntent, as Stripe records it (the hosted page and the API's confirm
 * both): a failed charge, the intent back to requires_payment_method with its last_payment_error,
 * then charge.failed and payment_intent.payment_failed. Returns the charge.
 */
export async function recordDeclinedCharge(
  ledger: Ledger,
  pi: PaymentIntent,
  card: CardDetails,
  failure: { code: string; declineCode: string | null; message: string },
  request: RequestInfo,
): Promise<ReturnType<typeof buildCharge>> {
  const charge = buildCharge({
    paymentIntent: pi,
    paymentMethodId: newId('pm'),
    card,
    created: seconds(ledger),
    failure: { code: failure.code, declineCode: failure.declineCode ?? failure.code, message: failure.message },
    captured: false,
  });
  await ledger.store.insert('charge', charge);
  Object.assign(pi, {
    status: 'requires_payment_method',
    latest_charge: charge.id,
    payment_method: null,
    next_action: null,
    last_payment_error: {
      type: 'card_error',
      code: failure.code,
      ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
      message: failure.message,
      charge: charge.id,
      payment_method_type: 'card',
    },
  } satisfies Partial<PaymentIntent>);
  await ledger.store.update('payment_intent', pi);
  await emit(ledger, { type: 'charge.failed', object: charge }, request);
  await emit(ledger, { type: 'payment_intent.payment_failed', object: pi }, request);
  return charge;
}

function codesMatch(typed: string, expected: string): boolean {
  const a = Buffer.from(typed);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
