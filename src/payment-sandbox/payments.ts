// The sandbox's rules: what happens to Checkout Sessions, PaymentIntents, charges and refunds,
// and which events each change emits. Every function here runs inside one SQLite transaction
// (the caller opens it), so a payment and its events are written together or not at all.
import { randomInt, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { declineMessages, type TestCard } from './cards.js';
import { invalidRequest, resourceMissing, unexpectedState } from './errors.js';
import { newId, randomToken } from './ids.js';
import {
  buildCharge,
  buildEvent,
  buildPaymentIntent,
  buildRefund,
  buildSession,
  type CardDetails,
  type SandboxEventInput,
} from './objects.js';
import { SEN_PER_RUPIAH, supportedCurrency, type CreateRefundParams, type CreateSessionParams } from './schemas.js';
import type { PendingAuth, SessionPrivate, Store } from './store.js';

type Session = Stripe.Checkout.Session;
type PaymentIntent = Stripe.PaymentIntent;

export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

const automatic: RequestInfo = { id: null, idempotencyKey: null };

const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;

export type CardAttempt = Omit<CardDetails, 'threeDSecure'> & { testCard: TestCard };

export type AttemptResult =
  | { kind: 'succeeded'; redirectTo: string }
  | { kind: 'declined'; code: string; declineCode: string | null }
  | { kind: 'requires_action' }
  | { kind: 'not_open'; session: Session };

export type Payments = ReturnType<typeof createPayments>;

export function createPayments(store: Store, now: () => number) {
  const seconds = () => Math.floor(now() / 1000);

  function emit(input: SandboxEventInput, request: RequestInfo): void {
    const event = buildEvent({ ...input, object: structuredClone(input.object) } as SandboxEventInput, seconds(), request);
    store.insert('event', event);
    store.insertDelivery(event.id, now());
  }

  function mustGetSession(id: string): Session {
    const session = store.get<Session>('checkout.session', id);
    if (!session) throw resourceMissing('checkout.session', id, 'session');
    return session;
  }

  function mustGetPaymentIntent(id: string): PaymentIntent {
    const pi = store.get<PaymentIntent>('payment_intent', id);
    if (!pi) throw resourceMissing('payment_intent', id, 'intent');
    return pi;
  }

  function privateOf(sessionId: string): SessionPrivate {
    const p = store.getPrivate(sessionId);
    if (!p) throw new Error(`session_private missing for ${sessionId}`);
    return p;
  }

  function expire(session: Session, request: RequestInfo): Session {
    session.status = 'expired';
    session.url = null;
    if (typeof session.payment_intent === 'string') {
      const pi = mustGetPaymentIntent(session.payment_intent);
      if (pi.status === 'requires_payment_method' || pi.status === 'requires_action') {
        pi.status = 'canceled';
        pi.canceled_at = seconds();
        pi.cancellation_reason = 'abandoned';
        pi.next_action = null;
        store.update('payment_intent', pi);
        emit({ type: 'payment_intent.canceled', object: pi }, request);
      }
    }
    store.update('checkout.session', session);
    store.setPendingAuth(session.id, null);
    emit({ type: 'checkout.session.expired', object: session }, request);
    return session;
  }

  /** Expires open sessions whose expires_at has passed (Stripe does it on its own clock). */
  function expireDueSessions(): number {
    const ids = store.openSessionIdsExpiredBy(seconds());
    for (const id of ids) expire(mustGetSession(id), automatic);
    return ids.length;
  }

  function ensurePaymentIntent(session: Session): PaymentIntent {
    if (typeof session.payment_intent === 'string') return mustGetPaymentIntent(session.payment_intent);
    const data = privateOf(session.id).paymentIntentData;
    const pi = buildPaymentIntent({
      amount: session.amount_total ?? 0,
      currency: session.currency ?? supportedCurrency,
      created: seconds(),
      captureMethod: data.captureMethod,
      description: data.description,
      metadata: data.metadata,
    });
    store.insert('payment_intent', pi);
    session.payment_intent = pi.id;
    store.update('checkout.session', session);
    return pi;
  }

  function succeed(session: Session, pi: PaymentIntent, card: CardDetails): void {
    const pm = newId('pm');
    const manual = pi.capture_method === 'manual';
    const charge = buildCharge({ paymentIntent: pi, paymentMethodId: pm, card, created: seconds(), failure: null, captured: !manual });
    store.insert('charge', charge);
    Object.assign(pi, {
      status: manual ? 'requires_capture' : 'succeeded',
      amount_received: manual ? 0 : pi.amount,
      amount_capturable: manual ? pi.amount : 0,
      latest_charge: charge.id,
      payment_method: pm,
      last_payment_error: null,
      next_action: null,
    } satisfies Partial<PaymentIntent>);
    store.update('payment_intent', pi);
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
    store.update('checkout.session', session);
    store.setPendingAuth(session.id, null);
    emit({ type: manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', object: pi }, automatic);
    emit({ type: 'checkout.session.completed', object: session }, automatic);
  }

  function decline(
    session: Session,
    pi: PaymentIntent,
    card: CardDetails,
    failure: { code: string; declineCode: string | null; message: string },
  ): void {
    const pm = newId('pm');
    const charge = buildCharge({
      paymentIntent: pi,
      paymentMethodId: pm,
      card,
      created: seconds(),
      failure: { code: failure.code, declineCode: failure.declineCode ?? failure.code, message: failure.message },
      captured: false,
    });
    store.insert('charge', charge);
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
    store.update('payment_intent', pi);
    store.setPendingAuth(session.id, null);
    emit({ type: 'payment_intent.payment_failed', object: pi }, automatic);
  }

  /** Opens the session for a hosted-page action, or says why it is not payable. */
  function openSessionAndIntent(sessionId: string): { session: Session; pi: PaymentIntent } | { session: Session; pi: null } {
    expireDueSessions();
    const session = mustGetSession(sessionId);
    if (session.status !== 'open') return { session, pi: null };
    const pi = ensurePaymentIntent(session);
    // Only these states can take a new card; anything else means the money already moved.
    if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_action') return { session, pi: null };
    return { session, pi };
  }

  function successRedirect(session: Session): string {
    return (session.success_url ?? '').replaceAll('{CHECKOUT_SESSION_ID}', session.id);
  }

  return {
    expireDueSessions,

    createSession(params: CreateSessionParams, hostedBaseUrl: string, request: RequestInfo): Session {
      const created = seconds();
      const currencies = new Set(params.line_items.map((li) => li.price_data.currency));
      if (currencies.size > 1) throw invalidRequest('All line items must use the same currency.', 'line_items');
      const currency = [...currencies][0]!;
      if (currency !== supportedCurrency) {
        throw invalidRequest(
          `The PasarLatih sandbox only supports currency '${supportedCurrency}'.`,
          'line_items[0][price_data][currency]',
        );
      }
      params.line_items.forEach((li, i) => {
        if (li.price_data.unit_amount % SEN_PER_RUPIAH !== 0) {
          throw invalidRequest(
            `IDR amounts are in sen (1/100 rupiah) and PasarLatih prices are whole rupiah: unit_amount must be a multiple of ${SEN_PER_RUPIAH}.`,
            `line_items[${i}][price_data][unit_amount]`,
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
      const amountTotal = params.line_items.reduce((sum, li) => sum + li.price_data.unit_amount * li.quantity, 0);
      if (!Number.isSafeInteger(amountTotal) || amountTotal > 99_999_999_999_900) {
        throw invalidRequest('Amount must be no more than Rp 999.999.999.999.', 'line_items');
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
      store.insert('checkout.session', session);
      store.insertPrivate({
        sessionId: id,
        csrfToken: randomToken(),
        lineItems: params.line_items.map((li) => ({
          name: li.price_data.product_data.name,
          description: li.price_data.product_data.description ?? null,
          unitAmount: li.price_data.unit_amount,
          quantity: li.quantity,
          currency,
        })),
        paymentIntentData: {
          captureMethod: params.payment_intent_data?.capture_method ?? 'automatic',
          description: params.payment_intent_data?.description ?? null,
          metadata: params.payment_intent_data?.metadata ?? {},
        },
      });
      void request;
      return session;
    },

    retrieveSession(id: string): Session {
      expireDueSessions();
      return mustGetSession(id);
    },

    expireSession(id: string, request: RequestInfo): Session {
      expireDueSessions();
      const session = mustGetSession(id);
      if (session.status !== 'open') {
        throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired.`, 'session', 'checkout_session_not_open');
      }
      return expire(session, request);
    },

    retrievePaymentIntent(id: string): PaymentIntent {
      return mustGetPaymentIntent(id);
    },

    retrieveCharge(id: string): Stripe.Charge | null {
      return store.get<Stripe.Charge>('charge', id);
    },

    capturePaymentIntent(id: string, amountToCapture: number | undefined, request: RequestInfo): PaymentIntent {
      const pi = mustGetPaymentIntent(id);
      if (pi.status !== 'requires_capture') {
        throw unexpectedState(
          `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        );
      }
      const amount = amountToCapture ?? pi.amount_capturable;
      if (amount <= 0 || amount > pi.amount_capturable) {
        throw invalidRequest('The amount to capture must be positive and at most the amount capturable.', 'amount_to_capture');
      }
      const charge = store.get<Stripe.Charge>('charge', String(pi.latest_charge));
      if (charge) {
        Object.assign(charge, { captured: true, amount_captured: amount, amount_refunded: pi.amount - amount, refunded: false });
        store.update('charge', charge);
      }
      Object.assign(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 } satisfies Partial<PaymentIntent>);
      store.update('payment_intent', pi);
      const sessionId = store.sessionIdForPaymentIntent(pi.id);
      if (sessionId) {
        const session = mustGetSession(sessionId);
        session.payment_status = 'paid';
        store.update('checkout.session', session);
      }
      emit({ type: 'payment_intent.succeeded', object: pi }, request);
      return pi;
    },

    cancelPaymentIntent(id: string, reason: Stripe.PaymentIntent.CancellationReason | undefined, request: RequestInfo): PaymentIntent {
      const pi = mustGetPaymentIntent(id);
      const cancelable = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'];
      if (!cancelable.includes(pi.status)) {
        throw unexpectedState(
          `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(', ')}.`,
        );
      }
      const sessionId = store.sessionIdForPaymentIntent(pi.id);
      if (sessionId && mustGetSession(sessionId).status === 'open') {
        throw unexpectedState(
          'You cannot cancel this PaymentIntent because it was created by Checkout and its Checkout Session is still open. Expire the Checkout Session instead.',
        );
      }
      if (pi.status === 'requires_capture') {
        const charge = store.get<Stripe.Charge>('charge', String(pi.latest_charge));
        if (charge) {
          Object.assign(charge, { amount_refunded: charge.amount, refunded: true });
          store.update('charge', charge);
        }
      }
      Object.assign(pi, {
        status: 'canceled',
        canceled_at: seconds(),
        cancellation_reason: reason ?? 'requested_by_customer',
        amount_capturable: 0,
        next_action: null,
      } satisfies Partial<PaymentIntent>);
      store.update('payment_intent', pi);
      emit({ type: 'payment_intent.canceled', object: pi }, request);
      return pi;
    },

    createRefund(params: CreateRefundParams, request: RequestInfo): Stripe.Refund {
      let charge: Stripe.Charge | null;
      if (params.payment_intent) {
        const pi = mustGetPaymentIntent(params.payment_intent);
        if (pi.status !== 'succeeded' || typeof pi.latest_charge !== 'string') {
          throw invalidRequest(
            `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
            'payment_intent',
            'charge_not_refundable',
          );
        }
        charge = store.get<Stripe.Charge>('charge', pi.latest_charge);
      } else if (params.charge) {
        charge = store.get<Stripe.Charge>('charge', params.charge);
        if (!charge) throw resourceMissing('charge', params.charge, 'charge');
      } else {
        throw invalidRequest(
          'One of the following params should be provided for this request: payment_intent or charge.',
          'payment_intent',
          'parameter_missing',
        );
      }
      if (!charge || !charge.captured) {
        throw invalidRequest('This charge cannot be refunded because it was not captured.', 'charge', 'charge_not_refundable');
      }
      const refundable = charge.amount_captured - charge.amount_refunded;
      if (refundable <= 0) {
        throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
      }
      const amount = params.amount ?? refundable;
      if (amount <= 0 || amount % SEN_PER_RUPIAH !== 0) {
        throw invalidRequest('The refund amount must be a positive whole-rupiah amount in sen.', 'amount', 'parameter_invalid_integer');
      }
      if (amount > refundable) {
        throw invalidRequest(
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`,
          'amount',
          'amount_too_large',
        );
      }
      const refund = buildRefund({ amount, charge, created: seconds(), metadata: params.metadata ?? {}, reason: params.reason ?? null });
      store.insert('refund', refund);
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded >= charge.amount_captured;
      store.update('charge', charge);
      emit({ type: 'charge.refunded', object: charge }, request);
      return refund;
    },

    retrieveRefund(id: string): Stripe.Refund {
      const refund = store.get<Stripe.Refund>('refund', id);
      if (!refund) throw resourceMissing('refund', id, 'refund');
      return refund;
    },

    retrieveEvent(id: string): Stripe.Event {
      const event = store.get<Stripe.Event>('event', id);
      if (!event) throw resourceMissing('event', id, 'id');
      return event;
    },

    /** For the hosted page: the session, its private part, and its PaymentIntent if any. */
    viewSession(sessionId: string): { session: Session; priv: SessionPrivate } | null {
      expireDueSessions();
      const session = store.get<Session>('checkout.session', sessionId);
      if (!session) return null;
      return { session, priv: privateOf(sessionId) };
    },

    successRedirect,

    /** A card typed on the hosted page. Only test cards reach this point. */
    attemptCard(sessionId: string, attempt: CardAttempt): AttemptResult {
      const { session, pi } = openSessionAndIntent(sessionId);
      if (!pi) return { kind: 'not_open', session };
      const card: CardDetails = { ...attempt, threeDSecure: false };
      const outcome = attempt.testCard.outcome;
      if (outcome.kind === 'succeed') {
        succeed(session, pi, card);
        return { kind: 'succeeded', redirectTo: successRedirect(session) };
      }
      if (outcome.kind === 'decline') {
        decline(session, pi, card, {
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
        createdAt: now(),
      };
      store.setPendingAuth(session.id, pending);
      Object.assign(pi, {
        status: 'requires_action',
        next_action: {
          type: 'redirect_to_url',
          redirect_to_url: { url: `${session.url ?? ''}/3ds`, return_url: successRedirect(session) },
        },
      } satisfies Partial<PaymentIntent>);
      store.update('payment_intent', pi);
      return { kind: 'requires_action' };
    },

    /** The 3-D Secure step: the right code pays, a wrong code or a cancel fails the attempt. */
    answerThreeDSecure(
      sessionId: string,
      answer: { kind: 'code'; code: string } | { kind: 'cancel' },
    ): AttemptResult | { kind: 'no_challenge' } {
      const { session, pi } = openSessionAndIntent(sessionId);
      if (!pi) return { kind: 'not_open', session };
      const pending = privateOf(sessionId).pendingAuth;
      if (!pending || pi.status !== 'requires_action') return { kind: 'no_challenge' };
      const card: CardDetails = { ...pending, threeDSecure: true };
      if (answer.kind === 'code' && codesMatch(answer.code.trim(), pending.otp)) {
        succeed(session, pi, card);
        return { kind: 'succeeded', redirectTo: successRedirect(session) };
      }
      const code = 'payment_intent_authentication_failure';
      decline(session, pi, card, { code, declineCode: null, message: declineMessages.authentication_failed! });
      return { kind: 'declined', code, declineCode: null };
    },
  };
}

function codesMatch(typed: string, expected: string): boolean {
  const a = Buffer.from(typed);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
