// Contract tests of the sandbox's Stripe API, driven by the official SDK as the app drives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import {
  payWithCard,
  sessionParams,
  startSandbox,
  startSandboxAndReceiver,
  stopSandboxAndReceiver,
  stripeFor,
  tempDbFile,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';

let receiver: WebhookReceiver;
let running: RunningSandbox;
let stripe: Stripe;

beforeAll(async () => {
  ({ receiver, running } = await startSandboxAndReceiver());
  stripe = running.stripe;
});

afterAll(() => stopSandboxAndReceiver({ receiver, running }));

async function paidSession(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  const session = await stripe.checkout.sessions.create(sessionParams(overrides));
  const page = await payWithCard(session.url!, { number: '4242424242424242' });
  expect(page.status).toBe(303);
  return stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
}

describe('Checkout Sessions', () => {
  it('when a session is created, then it is open, unpaid, priced in IDR sen and points at the hosted page', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.object).toBe('checkout.session');
    expect(session).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
      mode: 'payment',
      currency: 'idr',
      amount_total: 200_000_00,
      client_reference_id: 'order-42',
      metadata: { orderId: '42', workshopId: 'w1' },
      payment_intent: null,
      livemode: false,
    });
    expect(session.url).toBe(`${running.baseUrl}/c/pay/${session.id}`);
    expect(session.expires_at - session.created).toBe(24 * 3600);
  });

  it('when a session is retrieved, then it is the same object', async () => {
    const created = await stripe.checkout.sessions.create(sessionParams());
    const retrieved = await stripe.checkout.sessions.retrieve(created.id);
    expect(retrieved).toEqual(created);
  });

  it('when an open session is expired, then it is expired, has no url, and checkout.session.expired is sent', async () => {
    const created = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(created.id);
    expect(expired.status).toBe('expired');
    expect(expired.url).toBeNull();
    const hook = await receiver.waitFor((e) => e.type === 'checkout.session.expired' && e.data.object.id === created.id);
    expect((hook.event.data.object as Stripe.Checkout.Session).metadata).toEqual({ orderId: '42', workshopId: 'w1' });
    await expect(stripe.checkout.sessions.expire(created.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
    });
  });

  it('when the session is paid, then retrieve can expand its succeeded PaymentIntent', async () => {
    const session = await paidSession();
    expect(session.status).toBe('complete');
    expect(session.payment_status).toBe('paid');
    const pi = session.payment_intent as Stripe.PaymentIntent;
    expect(pi.object).toBe('payment_intent');
    expect(pi).toMatchObject({ status: 'succeeded', amount: 200_000_00, amount_received: 200_000_00, currency: 'idr' });
    const again = await stripe.paymentIntents.retrieve(pi.id);
    expect(again.latest_charge).toMatch(/^ch_/);
  });

  it('when expires_at is less than 30 minutes away, then Stripe-style 400 names the param', async () => {
    const error = await stripe.checkout.sessions
      .create(sessionParams({ expires_at: Math.floor(Date.now() / 1000) + 60 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'expires_at' });
  });

  it('when a required param is missing or unknown, then 400 says which one', async () => {
    const missing = await stripe.checkout.sessions
      .create({ mode: 'payment', success_url: 'http://shop.test/ok' } as Stripe.Checkout.SessionCreateParams)
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param: 'line_items' });
    const unknown = await stripe.checkout.sessions
      .create({ ...sessionParams(), shoe_size: '42' } as Stripe.Checkout.SessionCreateParams)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, param: 'shoe_size', message: 'Received unknown parameter: shoe_size' });
    const currency = await stripe.checkout.sessions
      .create(
        sessionParams({ line_items: [{ price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'x' } }, quantity: 1 }] }),
      )
      .catch((e: unknown) => e);
    expect(currency).toMatchObject({ statusCode: 400, param: 'line_items[0][price_data][currency]' });
  });
});

describe('errors in Stripe format', () => {
  it('when the API key is wrong or missing, then 401 and the SDK throws StripeAuthenticationError', async () => {
    const wrong = await stripeFor(running.port, 'sk_test_wrong_key_123456')
      .checkout.sessions.create(sessionParams())
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(wrong).toMatchObject({ statusCode: 401 });
    expect((wrong as Error).message).not.toContain('wrong_key');
    const missing = await fetch(`${running.baseUrl}/v1/checkout/sessions/cs_test_x`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('when an id is unknown, then 404 resource_missing and the SDK throws StripeInvalidRequestError', async () => {
    for (const call of [
      () => stripe.checkout.sessions.retrieve('cs_test_unknown'),
      () => stripe.paymentIntents.retrieve('pi_unknown'),
      () => stripe.refunds.retrieve('re_unknown'),
      () => stripe.paymentIntents.capture('pi_unknown'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    }
    const raw = await fetch(`${running.baseUrl}/v1/checkout/sessions/cs_test_unknown`, {
      headers: { authorization: `Bearer ${'sk_test_contract_tests'}` },
    });
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such checkout.session: 'cs_test_unknown'",
        param: 'session',
      },
    });
  });
});

describe('Idempotency-Key', () => {
  it('when a POST is repeated with the same key, then the first response is replayed and nothing is created twice', async () => {
    const key = `order-42-attempt-${Date.now()}`;
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    const second = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    expect(second).toEqual(first);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('when a refund is repeated with the same key, then one refund and one charge.refunded event exist', async () => {
    const session = await paidSession();
    const pi = session.payment_intent as Stripe.PaymentIntent;
    const key = `refund-${pi.id}`;
    const [a, b] = await Promise.all([
      stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: key }),
      stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: key }),
    ]);
    expect(b).toEqual(a);
    await receiver.waitFor((e) => e.type === 'charge.refunded' && e.data.object.payment_intent === pi.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      receiver.received.filter((r) => r.event.type === 'charge.refunded' && r.event.data.object.payment_intent === pi.id),
    ).toHaveLength(1);
  });

  it('when a key is reused with other parameters, then 400 idempotency_error', async () => {
    const key = `reuse-${Date.now()}`;
    await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    const error = await stripe.checkout.sessions
      .create(sessionParams({ client_reference_id: 'another-order' }), { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });
});

describe('Refunds', () => {
  it('when a paid PaymentIntent is refunded in full, then the refund succeeds and charge.refunded carries the refunded charge', async () => {
    const session = await paidSession();
    const pi = session.payment_intent as Stripe.PaymentIntent;
    const refund = await stripe.refunds.create({ payment_intent: pi.id, metadata: { reason: 'seller cancelled' } });
    expect(refund).toMatchObject({ object: 'refund', amount: 200_000_00, status: 'succeeded', payment_intent: pi.id, currency: 'idr' });
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(refund);
    const hook = await receiver.waitFor((e) => e.type === 'charge.refunded' && e.data.object.payment_intent === pi.id);
    const charge = hook.event.data.object as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', refunded: true, amount_refunded: 200_000_00, amount: 200_000_00 });
    const again = await stripe.refunds.create({ payment_intent: pi.id }).catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
  });

  it('when part is refunded, then the rest stays refundable and more than the rest is refused', async () => {
    const pi = (await paidSession()).payment_intent as Stripe.PaymentIntent;
    await stripe.refunds.create({ payment_intent: pi.id, amount: 50_000_00 });
    const tooMuch = await stripe.refunds.create({ payment_intent: pi.id, amount: 200_000_00 }).catch((e: unknown) => e);
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(150_000_00);
  });

  it('when the PaymentIntent was never paid, then the refund is refused', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4000000000000002' });
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    const error = await stripe.refunds.create({ payment_intent: pi }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'charge_not_refundable' });
  });
});

describe('PaymentIntents: capture and cancel', () => {
  it('when capture is manual, then the paid session waits for capture, and capture sends payment_intent.succeeded', async () => {
    const session = await paidSession({ payment_intent_data: { capture_method: 'manual', metadata: { orderId: '42' } } });
    const pi = session.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 200_000_00, metadata: { orderId: '42' } });
    const captured = await stripe.paymentIntents.capture(pi.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 200_000_00, amount_capturable: 0 });
    await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi.id);
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe('paid');
    await expect(stripe.paymentIntents.capture(pi.id)).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('when an authorised PaymentIntent is cancelled, then it is canceled and cannot be captured', async () => {
    const pi = (await paidSession({ payment_intent_data: { capture_method: 'manual' } })).payment_intent as Stripe.PaymentIntent;
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    await expect(stripe.paymentIntents.capture(pi.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('when the PaymentIntent of an open session is cancelled, then the sandbox says to expire the session instead', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4000000000009995' });
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await expect(stripe.paymentIntents.cancel(pi)).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    await stripe.checkout.sessions.expire(session.id);
    expect((await stripe.paymentIntents.retrieve(pi)).status).toBe('canceled');
  });
});

describe('persistence', () => {
  it('when the sandbox restarts on the same file, then sessions, payments and refunds are all still there', async () => {
    const dbFile = tempDbFile();
    const first = await startSandbox({ dbFile, webhookUrl: receiver.url });
    const paid = await first.stripe.checkout.sessions.create(sessionParams());
    await payWithCard(paid.url!, { number: '4242424242424242' });
    const open = await first.stripe.checkout.sessions.create(sessionParams());
    const pi = (await first.stripe.checkout.sessions.retrieve(paid.id)).payment_intent as string;
    const refund = await first.stripe.refunds.create(
      { payment_intent: pi, amount: 10_000_00 },
      { idempotencyKey: 'refund-before-restart' },
    );
    await first.stop();

    const second = await startSandbox({ dbFile, webhookUrl: receiver.url });
    try {
      expect(await second.stripe.checkout.sessions.retrieve(paid.id)).toMatchObject({ status: 'complete', payment_status: 'paid' });
      expect((await second.stripe.paymentIntents.retrieve(pi)).status).toBe('succeeded');
      expect(await second.stripe.refunds.retrieve(refund.id)).toEqual(refund);
      const replay = await second.stripe.refunds.create(
        { payment_intent: pi, amount: 10_000_00 },
        { idempotencyKey: 'refund-before-restart' },
      );
      expect(replay.id).toBe(refund.id);
      const page = await payWithCard(`${second.baseUrl}/c/pay/${open.id}`, { number: '4242424242424242' });
      expect(page.status).toBe(303);
    } finally {
      await second.stop();
    }
  });
});
