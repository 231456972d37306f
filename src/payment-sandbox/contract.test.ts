// Contract tests of the sandbox's Stripe API, driven by the official SDK as the app drives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import {
  decodeEntities,
  getPage,
  payWithCard,
  postForm,
  SHOP,
  sessionParams,
  startSandbox,
  startSandboxAndReceiver,
  startWebhookReceiver,
  stopSandboxAndReceiver,
  stripeFor,
  tempDatabase,
  WEBHOOK_SECRET,
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
    const database = await tempDatabase();
    const first = await startSandbox({ database, webhookUrl: receiver.url });
    const paid = await first.stripe.checkout.sessions.create(sessionParams());
    await payWithCard(paid.url!, { number: '4242424242424242' });
    const open = await first.stripe.checkout.sessions.create(sessionParams());
    const pi = (await first.stripe.checkout.sessions.retrieve(paid.id)).payment_intent as string;
    const refund = await first.stripe.refunds.create(
      { payment_intent: pi, amount: 10_000_00 },
      { idempotencyKey: 'refund-before-restart' },
    );
    await first.stop();

    const second = await startSandbox({ database, webhookUrl: receiver.url });
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

/** The types of the events about any of these objects, in the order the sandbox sent them (the list is newest first). */
async function eventTypesAbout(client: Stripe, ...objectIds: string[]): Promise<string[]> {
  const events = await client.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
  return events
    .filter((e) => objectIds.includes((e.data.object as { id: string }).id))
    .reverse()
    .map((e) => e.type);
}

describe('Checkout Sessions: line items, ui_mode, amounts, expiry, list', () => {
  it('when ui_mode is not given or is hosted_page, then the session is hosted_page; another mode is refused', async () => {
    expect((await stripe.checkout.sessions.create(sessionParams())).ui_mode).toBe('hosted_page');
    expect((await stripe.checkout.sessions.create(sessionParams({ ui_mode: 'hosted_page' }))).ui_mode).toBe('hosted_page');
    await expect(stripe.checkout.sessions.create(sessionParams({ ui_mode: 'embedded_page' }))).rejects.toMatchObject({
      statusCode: 400,
      param: 'ui_mode',
    });
  });

  it('when its line items are listed, then each has its amounts and an inline Price, paged by limit', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const first = await stripe.checkout.sessions.listLineItems(session.id, { limit: 1 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: `/v1/checkout/sessions/${session.id}/line_items` });
    expect(first.data[0]).toMatchObject({
      object: 'item',
      description: 'Kopi Kintamani 250 g',
      quantity: 1,
      amount_total: 150_000_00,
      currency: 'idr',
      price: { object: 'price', unit_amount: 150_000_00, type: 'one_time', currency: 'idr' },
    });
    expect(first.data[0]!.id).toMatch(/^li_/);
    const all = await stripe.checkout.sessions.listLineItems(session.id, { limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(all.map((li) => [li.description, li.quantity, li.amount_total])).toEqual([
      ['Kopi Kintamani 250 g', 1, 150_000_00],
      ['Ongkos kirim', 2, 50_000_00],
    ]);
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data.map((li) => li.id)).toEqual(all.map((li) => li.id));
  });

  it('when a session is paid, then expand reaches its PaymentIntent and that intent charge (two levels)', async () => {
    const session = await paidSession();
    const deep = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge'] });
    const charge = (deep.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', status: 'succeeded', amount: 200_000_00 });
    await expect(stripe.checkout.sessions.retrieve(session.id, { expand: ['customer'] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'expand',
    });
  });

  it('when the total is below Stripe minimum or above its maximum, then amount_too_small or amount_too_large', async () => {
    const line = (unit_amount: number) => ({
      line_items: [{ price_data: { currency: 'idr', unit_amount, product_data: { name: 'Permen' } }, quantity: 1 }],
    });
    await expect(stripe.checkout.sessions.create(sessionParams(line(7_900_00)))).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_small',
    });
    expect((await stripe.checkout.sessions.create(sessionParams(line(8_000_00)))).amount_total).toBe(8_000_00);
    await expect(stripe.checkout.sessions.create(sessionParams(line(100_000_000_000_000)))).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
    });
  });

  it('when an amount or quantity is not a valid integer, then parameter_invalid_integer names it', async () => {
    const bad = (unit_amount: number, quantity: number) =>
      stripe.checkout.sessions.create(
        sessionParams({ line_items: [{ price_data: { currency: 'idr', unit_amount, product_data: { name: 'x' } }, quantity }] }),
      );
    await expect(bad(-100, 1)).rejects.toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'line_items[0][price_data][unit_amount]',
    });
    await expect(bad(10_000_00, 0)).rejects.toMatchObject({ code: 'parameter_invalid_integer', param: 'line_items[0][quantity]' });
    await expect(bad(10_000_50, 1)).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][price_data][unit_amount]' });
  });

  it('when an expired session is expired again, then 400 without a code outside Stripe list', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    const error = await stripe.checkout.sessions.expire(session.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, param: 'session', code: undefined });
  });

  it('when a session reaches expires_at unpaid, then it expires on its own and checkout.session.expired is sent', async () => {
    let offsetMs = 0;
    const clocked = await startSandbox({ database: await tempDatabase(), webhookUrl: receiver.url, now: () => Date.now() + offsetMs });
    try {
      const session = await clocked.stripe.checkout.sessions.create(sessionParams({ expires_at: Math.floor(Date.now() / 1000) + 31 * 60 }));
      offsetMs = 32 * 60 * 1000;
      expect(await clocked.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: 'expired', url: null });
      const hook = await receiver.waitFor((e) => e.type === 'checkout.session.expired' && e.data.object.id === session.id);
      expect(hook.event.request).toEqual({ id: null, idempotency_key: null });
    } finally {
      await clocked.stop();
    }
  });

  it('when sessions are listed by status or PaymentIntent, then only those come back', async () => {
    const session = await paidSession();
    const pi = (session.payment_intent as Stripe.PaymentIntent).id;
    const byIntent = await stripe.checkout.sessions.list({ payment_intent: pi });
    expect(byIntent.data.map((s) => s.id)).toEqual([session.id]);
    const complete = await stripe.checkout.sessions.list({ status: 'complete', limit: 100 });
    expect(complete.data.length).toBeGreaterThan(0);
    expect(complete.data.every((s) => s.status === 'complete')).toBe(true);
  });
});

describe('pagination of every list', () => {
  let fresh: RunningSandbox;
  const sessionIds: string[] = [];
  const intentIds: string[] = [];

  beforeAll(async () => {
    fresh = await startSandbox({ database: await tempDatabase(), webhookUrl: receiver.url });
    for (let i = 0; i < 25; i++) sessionIds.push((await fresh.stripe.checkout.sessions.create(sessionParams())).id);
    for (let i = 0; i < 12; i++) {
      const pi = await fresh.stripe.paymentIntents.create({
        amount: 10_000_00 + i * 100,
        currency: 'idr',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      intentIds.push(pi.id);
      await fresh.stripe.refunds.create({ payment_intent: pi.id, amount: 1_000_00 });
    }
  });

  afterAll(() => fresh.stop());

  it('when sessions are listed, then the newest come first, limit pages them and has_more says whether more follow', async () => {
    const first = await fresh.stripe.checkout.sessions.list({ limit: 10 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/checkout/sessions' });
    expect(first.data.map((s) => s.id)).toEqual(sessionIds.slice(-10).reverse());
    const second = await fresh.stripe.checkout.sessions.list({ limit: 10, starting_after: first.data.at(-1)!.id });
    expect(second.data.map((s) => s.id)).toEqual(sessionIds.slice(5, 15).reverse());
    const last = await fresh.stripe.checkout.sessions.list({ limit: 10, starting_after: second.data.at(-1)!.id });
    expect(last.has_more).toBe(false);
    expect(last.data.map((s) => s.id)).toEqual(sessionIds.slice(0, 5).reverse());
    const back = await fresh.stripe.checkout.sessions.list({ limit: 10, ending_before: last.data[0]!.id });
    expect(back.data.map((s) => s.id)).toEqual(second.data.map((s) => s.id));
    expect(back.has_more).toBe(true);
    expect((await fresh.stripe.checkout.sessions.list()).data).toHaveLength(10);
  });

  it('when the SDK auto-paginates, then every object of every list comes back once, newest first', async () => {
    const sessions = await fresh.stripe.checkout.sessions.list({ limit: 7 }).autoPagingToArray({ limit: 1000 });
    expect(sessions.map((s) => s.id)).toEqual([...sessionIds].reverse());
    const intents = await fresh.stripe.paymentIntents.list({ limit: 5 }).autoPagingToArray({ limit: 1000 });
    expect(intents.map((p) => p.id)).toEqual([...intentIds].reverse());
    const charges = await fresh.stripe.charges.list({ limit: 5 }).autoPagingToArray({ limit: 1000 });
    expect(charges.map((c) => c.payment_intent)).toEqual([...intentIds].reverse());
    const refunds = await fresh.stripe.refunds.list({ limit: 5 }).autoPagingToArray({ limit: 1000 });
    expect(refunds.map((r) => r.payment_intent)).toEqual([...intentIds].reverse());
    const events = await fresh.stripe.events.list({ limit: 9 }).autoPagingToArray({ limit: 1000 });
    // Per intent: payment_intent.created, charge.succeeded, payment_intent.succeeded, refund.created, charge.refunded.
    expect(events).toHaveLength(12 * 5);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('when lists are filtered, then only the matching objects come back', async () => {
    const pi = intentIds[3]!;
    expect((await fresh.stripe.charges.list({ payment_intent: pi })).data.map((c) => c.payment_intent)).toEqual([pi]);
    const refunds = await fresh.stripe.refunds.list({ payment_intent: pi, expand: ['data.charge'] });
    expect(refunds.data).toHaveLength(1);
    expect(refunds.data[0]!.charge).toMatchObject({ object: 'charge', payment_intent: pi });
    const created = await fresh.stripe.events.list({ type: 'payment_intent.created', limit: 100 });
    expect(created.data).toHaveLength(12);
    const charges = await fresh.stripe.events.list({ type: 'charge.*', limit: 100 });
    expect(new Set(charges.data.map((e) => e.type))).toEqual(new Set(['charge.succeeded', 'charge.refunded']));
    const two = await fresh.stripe.events.list({ types: ['refund.created', 'payment_intent.succeeded'], limit: 100 });
    expect(two.data).toHaveLength(24);
    const now = Math.floor(Date.now() / 1000);
    expect((await fresh.stripe.paymentIntents.list({ created: { gt: now + 60 } })).data).toEqual([]);
  });

  it('when paging parameters are wrong, then 400 names them', async () => {
    await expect(fresh.stripe.checkout.sessions.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
    await expect(fresh.stripe.checkout.sessions.list({ starting_after: 'cs_test_nope' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'starting_after',
    });
    await expect(fresh.stripe.paymentIntents.list({ starting_after: intentIds[1]!, ending_before: intentIds[2]! })).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameters_exclusive',
    });
  });
});

describe('PaymentIntents through the API, with test PaymentMethods', () => {
  it('when created and confirmed with pm_card_visa, then it succeeds with a charge, and the events come in Stripe order', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 50_000_00,
      currency: 'idr',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { orderId: '7' },
    });
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount_received: 50_000_00, metadata: { orderId: '7' } });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string, { expand: ['payment_intent'] });
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, payment_method_details: { card: { brand: 'visa', last4: '4242' } } });
    expect((charge.payment_intent as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(await eventTypesAbout(stripe, pi.id, charge.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  it('when created without a payment method, then updated and confirmed, then each step has Stripe status', async () => {
    const created = await stripe.paymentIntents.create({ amount: 20_000_00, currency: 'idr' });
    expect(created).toMatchObject({ status: 'requires_payment_method', payment_method: null });
    await expect(stripe.paymentIntents.confirm(created.id)).rejects.toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    const updated = await stripe.paymentIntents.update(created.id, {
      amount: 25_000_00,
      payment_method: 'pm_card_mastercard',
      metadata: { note: 'x' },
    });
    expect(updated).toMatchObject({ status: 'requires_confirmation', amount: 25_000_00, metadata: { note: 'x' } });
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 25_000_00 });
    await expect(stripe.paymentIntents.update(created.id, { amount: 30_000_00 })).rejects.toMatchObject({ statusCode: 400 });
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
  ])('when confirmed with %s, then 402 StripeCardError %s/%s and the intent waits for another method', async (pm, code, declineCode) => {
    const error = await stripe.paymentIntents
      .create({ amount: 15_000_00, currency: 'idr', payment_method: pm, confirm: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, code, decline_code: declineCode });
    const pi = (error as Stripe.errors.StripeCardError).payment_intent!;
    const stored = await stripe.paymentIntents.retrieve(pi.id);
    expect(stored).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code, decline_code: declineCode } });
    expect(await eventTypesAbout(stripe, pi.id, stored.latest_charge as string)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
    const retried = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
  });

  it('when pm_card_authenticationRequired is confirmed with a return_url, then requires_action leads to a page that completes it', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 30_000_00,
      currency: 'idr',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: `${SHOP}/after-3ds`,
    });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('redirect_to_url');
    const url = pi.next_action!.redirect_to_url!.url!;
    const page = await getPage(url);
    expect(page.status).toBe(200);
    expect(decodeEntities(page.html)).toContain('Selesaikan verifikasi');
    const token = new URL(url).searchParams.get('token')!;
    const forged = await postForm(new URL(url).pathname.replace(/^/, running.baseUrl), { token: 'wrong', action: 'complete' });
    expect(forged.status).toBe(404);
    const done = await postForm(url, { token, action: 'complete' });
    expect(done.status).toBe(303);
    const back = new URL(done.location!);
    expect(`${back.origin}${back.pathname}`).toBe(`${SHOP}/after-3ds`);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      payment_intent: pi.id,
      payment_intent_client_secret: pi.client_secret,
      redirect_status: 'succeeded',
    });
    const paid = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(paid.status).toBe('succeeded');
    expect((paid.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
    expect((await postForm(url, { token, action: 'complete' })).status).toBe(404);
  });

  it('when 3-D Secure is failed on that page, then the intent fails with payment_intent_authentication_failure', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 30_000_00,
      currency: 'idr',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: `${SHOP}/after-3ds`,
    });
    const url = pi.next_action!.redirect_to_url!.url!;
    const done = await postForm(url, { token: new URL(url).searchParams.get('token')!, action: 'fail' });
    expect(new URL(done.location!).searchParams.get('redirect_status')).toBe('failed');
    const failed = await stripe.paymentIntents.retrieve(pi.id);
    expect(failed).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
  });

  it('when pm_card_authenticationRequired is confirmed without a return_url, then next_action is use_stripe_sdk', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 30_000_00,
      currency: 'idr',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(pi).toMatchObject({
      status: 'requires_action',
      next_action: {
        type: 'use_stripe_sdk',
        use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: expect.any(String), source: expect.stringMatching(/^src_/) },
      },
    });
    expect(pi.next_action?.redirect_to_url).toBeUndefined();
    const canceled = await stripe.paymentIntents.cancel(pi.id);
    expect(canceled).toMatchObject({ status: 'canceled', next_action: null });
    await receiver.waitFor((e) => e.type === 'payment_intent.canceled' && e.data.object.id === pi.id);
  });

  it('when the page in use_stripe_sdk.stripe_js is completed, then the intent succeeds and the page says so, with no redirect', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 30_000_00,
      currency: 'idr',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const url = String(pi.next_action!.use_stripe_sdk!.stripe_js);
    expect(url.startsWith(`${running.baseUrl}/pi/${pi.id}/authenticate?token=`)).toBe(true);
    const page = await getPage(url);
    expect(page.status).toBe(200);
    const token = new URL(url).searchParams.get('token')!;
    const done = await postForm(`${running.baseUrl}${new URL(url).pathname}`, { token, action: 'complete' });
    expect(done.status).toBe(200);
    expect(done.location).toBeNull();
    expect(done.html).toContain('data-outcome="succeeded"');
    const paid = await stripe.paymentIntents.retrieve(pi.id);
    expect(paid).toMatchObject({ status: 'succeeded', next_action: null });
    expect((await postForm(`${running.baseUrl}/pi/${pi.id}/authenticate`, { token, action: 'complete' })).status).toBe(404);
  });

  it('when capture is manual through the API, then it waits for capture and capture pays it', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 40_000_00,
      currency: 'idr',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 40_000_00 });
    expect((await stripe.paymentIntents.capture(pi.id)).status).toBe('succeeded');
    expect(await eventTypesAbout(stripe, pi.id, pi.latest_charge as string)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.captured',
      'payment_intent.succeeded',
    ]);
  });

  it('when the amount, currency or payment method is not acceptable, then Stripe codes say why', async () => {
    const create = (params: Partial<Stripe.PaymentIntentCreateParams>) =>
      stripe.paymentIntents.create({ amount: 20_000_00, currency: 'idr', ...params }).catch((e: unknown) => e);
    expect(await create({ amount: 1_000_00 })).toMatchObject({ statusCode: 400, code: 'amount_too_small', param: 'amount' });
    expect(await create({ amount: 100_000_000_000_000 })).toMatchObject({ statusCode: 400, code: 'amount_too_large' });
    expect(await create({ amount: 20_000_50 })).toMatchObject({ statusCode: 400, code: 'invalid_charge_amount' });
    expect(await create({ amount: 0 })).toMatchObject({ statusCode: 400, code: 'parameter_invalid_integer' });
    expect(await create({ currency: 'usd' })).toMatchObject({ statusCode: 400, param: 'currency' });
    expect(await create({ payment_method: 'pm_card_unknown' })).toMatchObject({ statusCode: 400, code: 'resource_missing' });
  });

  it('when the intent belongs to a Checkout Session, then the API cannot confirm or update it', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4000000000000002' });
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await expect(stripe.paymentIntents.confirm(pi, { payment_method: 'pm_card_visa' })).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
    await expect(stripe.paymentIntents.update(pi, { amount: 1_000_000_00 })).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });
});

describe('Checkout events in Stripe order', () => {
  it('when a session is paid on the hosted page, then payment_intent.created, charge.succeeded, payment_intent.succeeded, checkout.session.completed', async () => {
    const session = await paidSession();
    const pi = session.payment_intent as Stripe.PaymentIntent;
    expect(await eventTypesAbout(stripe, session.id, pi.id, pi.latest_charge as string)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('when a card is declined on the hosted page, then charge.failed comes before payment_intent.payment_failed', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await payWithCard(session.url!, { number: '4000000000000002' });
    const pi = await stripe.paymentIntents.retrieve((await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string);
    expect(await eventTypesAbout(stripe, session.id, pi.id, pi.latest_charge as string)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
  });
});

describe('Charges and Refunds: retrieve, update, events', () => {
  it('when a refund is made and its metadata changed, then refund.created, charge.refunded, then refund.updated', async () => {
    const pi = (await paidSession()).payment_intent as Stripe.PaymentIntent;
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 10_000_00, expand: ['charge'] });
    expect(refund.charge).toMatchObject({ object: 'charge', amount_refunded: 10_000_00 });
    const updated = await stripe.refunds.update(refund.id, { metadata: { ticket: 'T-1' } });
    expect(updated.metadata).toEqual({ ticket: 'T-1' });
    const chargeId = pi.latest_charge as string;
    const types = await eventTypesAbout(stripe, refund.id, chargeId);
    expect(types).toEqual(['charge.succeeded', 'refund.created', 'charge.refunded', 'refund.updated']);
    const hook = await receiver.waitFor((e) => e.type === 'refund.updated' && e.data.object.id === refund.id);
    expect((hook.event.data.object as Stripe.Refund).metadata).toEqual({ ticket: 'T-1' });
  });

  it('when a refund amount is not whole rupiah, then invalid_charge_amount', async () => {
    const pi = (await paidSession()).payment_intent as Stripe.PaymentIntent;
    await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 10_050 })).rejects.toMatchObject({
      statusCode: 400,
      code: 'invalid_charge_amount',
    });
  });

  it('when a charge id is unknown, then 404 resource_missing', async () => {
    await expect(stripe.charges.retrieve('ch_unknown')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('Products and Prices', () => {
  it('when a Product and its Price are created, then a session can sell it by price id and lists that Price', async () => {
    const product = await stripe.products.create({ name: 'Keripik Tempe 200 g', description: 'Renyah' });
    expect(product).toMatchObject({ object: 'product', name: 'Keripik Tempe 200 g', active: true });
    const price = await stripe.prices.create({ product: product.id, currency: 'idr', unit_amount: 12_000_00 });
    expect(price).toMatchObject({ object: 'price', product: product.id, unit_amount: 12_000_00, type: 'one_time', active: true });
    expect(await stripe.products.retrieve(product.id)).toEqual(product);
    expect((await stripe.prices.retrieve(price.id, { expand: ['product'] })).product).toEqual(product);
    const session = await stripe.checkout.sessions.create(sessionParams({ line_items: [{ price: price.id, quantity: 2 }] }));
    expect(session.amount_total).toBe(24_000_00);
    const [item] = (await stripe.checkout.sessions.listLineItems(session.id)).data;
    expect(item).toMatchObject({ description: 'Keripik Tempe 200 g', quantity: 2, amount_total: 24_000_00, price: { id: price.id } });
  });

  it('when a Price is made with product_data, then its Product is created too; both or neither is refused', async () => {
    const price = await stripe.prices.create({ currency: 'idr', unit_amount: 9_000_00, product_data: { name: 'Sambal' } });
    expect((await stripe.products.retrieve(price.product as string)).name).toBe('Sambal');
    await expect(stripe.prices.create({ currency: 'idr', unit_amount: 9_000_00 })).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameters_exclusive',
    });
  });

  it('when a session names an unknown or inactive Price, then 400 names the line item', async () => {
    await expect(
      stripe.checkout.sessions.create(sessionParams({ line_items: [{ price: 'price_unknown', quantity: 1 }] })),
    ).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'line_items[0][price]' });
    const inactive = await stripe.prices.create({ currency: 'idr', unit_amount: 9_000_00, product_data: { name: 'Lama' }, active: false });
    await expect(
      stripe.checkout.sessions.create(sessionParams({ line_items: [{ price: inactive.id, quantity: 1 }] })),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][price]' });
  });
});

describe('Webhook endpoints', () => {
  let other: WebhookReceiver;

  beforeAll(async () => {
    other = await startWebhookReceiver();
  });

  afterAll(() => other.close());

  it('when an endpoint is created, then it is enabled and its whsec_ secret is returned by create only', async () => {
    const created = await stripe.webhookEndpoints.create({
      url: other.url,
      enabled_events: ['checkout.session.completed'],
      description: 'Latihan webhook',
      metadata: { team: 'it' },
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^we_/),
      object: 'webhook_endpoint',
      status: 'enabled',
      url: other.url,
      enabled_events: ['checkout.session.completed'],
      description: 'Latihan webhook',
      metadata: { team: 'it' },
      livemode: false,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9]{32}$/),
    });
    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    const { secret: _secret, ...withoutSecret } = created;
    expect(retrieved).toEqual(withoutSecret);
    await stripe.webhookEndpoints.del(created.id);
  });

  it('when an event the endpoint enables happens, then it receives it signed with its own secret, and events it does not enable never come', async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['checkout.session.completed'] });
    const session = await paidSession();
    const hook = await other.waitFor((e) => e.type === 'checkout.session.completed' && e.data.object.id === session.id);
    const event = stripe.webhooks.constructEvent(hook.body, hook.signature, endpoint.secret!);
    expect(event.type).toBe('checkout.session.completed');
    expect(() => stripe.webhooks.constructEvent(hook.body, hook.signature, WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    // The app's configured endpoint gets every event, signed with its own secret.
    const appHook = await receiver.waitFor((e) => e.id === event.id);
    expect(stripe.webhooks.constructEvent(appHook.body, appHook.signature, WEBHOOK_SECRET).id).toBe(event.id);
    expect(event.pending_webhooks).toBe(2);
    const piEvent = await receiver.waitFor(
      (e) => e.type === 'payment_intent.succeeded' && e.data.object.id === (session.payment_intent as Stripe.PaymentIntent).id,
    );
    expect(other.received.some((r) => r.event.id === piEvent.event.id)).toBe(false);
    expect(other.received.every((r) => r.event.type === 'checkout.session.completed')).toBe(true);
    await stripe.webhookEndpoints.del(endpoint.id);
  });

  it('when enabled_events is "*", then the endpoint receives every event', async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['*'] });
    const pi = await stripe.paymentIntents.create({ amount: 50_000_00, currency: 'idr', payment_method: 'pm_card_visa', confirm: true });
    for (const type of ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']) {
      const hook = await other.waitFor((e) => e.type === type && JSON.stringify(e.data.object).includes(pi.id));
      expect(stripe.webhooks.constructEvent(hook.body, hook.signature, endpoint.secret!).type).toBe(type);
    }
    await stripe.webhookEndpoints.del(endpoint.id);
  });

  it('when an endpoint is updated, disabled and listed, then it answers as Stripe does and a disabled one receives nothing', async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['charge.succeeded'] });
    const updated = await stripe.webhookEndpoints.update(endpoint.id, {
      enabled_events: ['payment_intent.succeeded', 'payment_intent.created'],
      description: 'dua event',
      disabled: true,
    });
    expect(updated).toMatchObject({
      status: 'disabled',
      enabled_events: ['payment_intent.succeeded', 'payment_intent.created'],
      description: 'dua event',
    });
    expect(updated.secret).toBeUndefined();
    const listed = await stripe.webhookEndpoints.list({ limit: 100 });
    expect(listed.data.map((e) => e.id)).toContain(endpoint.id);
    const before = other.received.length;
    const pi = await stripe.paymentIntents.create({ amount: 50_000_00, currency: 'idr', payment_method: 'pm_card_visa', confirm: true });
    await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi.id);
    expect(other.received.slice(before).some((r) => JSON.stringify(r.event.data.object).includes(pi.id))).toBe(false);
    expect((await stripe.webhookEndpoints.update(endpoint.id, { disabled: false })).status).toBe('enabled');
    await stripe.webhookEndpoints.del(endpoint.id);
  });

  it('when an endpoint is deleted, then it is gone and receives no further events', async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['*'] });
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted).toMatchObject({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
    await expect(stripe.webhookEndpoints.retrieve(endpoint.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const before = other.received.length;
    const pi = await stripe.paymentIntents.create({ amount: 50_000_00, currency: 'idr', payment_method: 'pm_card_visa', confirm: true });
    const appHook = await receiver.waitFor((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi.id);
    expect(appHook.event.pending_webhooks).toBe(1);
    expect(other.received.slice(before)).toEqual([]);
  });

  it('when the url or enabled_events is missing or wrong, then 400 names the parameter', async () => {
    await expect(stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'url',
    });
    await expect(stripe.webhookEndpoints.create({ url: other.url } as Stripe.WebhookEndpointCreateParams)).rejects.toMatchObject({
      statusCode: 400,
      param: 'enabled_events',
      code: 'parameter_missing',
    });
  });
});
