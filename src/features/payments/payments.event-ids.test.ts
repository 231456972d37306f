// Signed events that name someone else's payment. Whoever holds the webhook secret can sign any
// event; it must still carry the ids the payment row stored (session, PaymentIntent) and its amount
// and currency, or it changes nothing. The attacker here is a trainee of another workshop who paid
// a cheap order of her own and re-signs the sandbox's real events with the victim's payment id.
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { makeCardPayment, postWebhook, sentEvent, startSandboxForApp, type AppSandbox } from '../../test/app-payments.js';
import { makeListing, makeMarketplace } from '../../test/builders/index.js';
import { payWithCard } from '../../test/payment-sandbox.js';
import { toSen } from './stripe-client.js';

const app = createApp();
let sandbox: AppSandbox;

beforeAll(async () => {
  sandbox = await startSandboxForApp();
});
afterAll(() => sandbox.stop());

let seq = 0;

/** The victim: a buyer in one workshop whose card payment is pending (Rp 150.000 + shipping). */
async function victim() {
  const m = await makeMarketplace();
  return { m, ...(await makeCardPayment({ buyer: m.buyer, listing: m.listing })) };
}

/** The attacker: a buyer in another workshop who really paid her own Rp 1.000 order with 4242. */
async function attackerWhoPaid() {
  const m = await makeMarketplace();
  const cheap = await makeListing({ shop: m.shop, price: 1_000 });
  const own = await makeCardPayment({ buyer: m.buyer, listing: cheap });
  await payWithCard(own.hostedUrl, { number: '4242 4242 4242 4242' });
  const session = await sandbox.stripe.checkout.sessions.retrieve(own.sessionId);
  const paymentIntentId = session.payment_intent as string;
  return {
    ...own,
    paymentIntentId,
    succeeded: JSON.parse(await sentEvent(sandbox.receiver, 'payment_intent.succeeded', paymentIntentId)) as Stripe.Event,
    completed: JSON.parse(await sentEvent(sandbox.receiver, 'checkout.session.completed', own.sessionId)) as Stripe.Event,
  };
}

/** A real event rewritten: a new id, and its object changed as the attacker likes. */
function forge(event: Stripe.Event, change: Record<string, unknown>, type = event.type): string {
  const object = { ...(event.data.object as unknown as Record<string, unknown>), ...change };
  return JSON.stringify({ ...event, id: `evt_forged_${Date.now()}_${(seq += 1)}`, type, data: { object } });
}

async function stateOf(v: Awaited<ReturnType<typeof victim>>) {
  const order = await prisma.order.findUniqueOrThrow({ where: { id: v.orderId } });
  const payment = await prisma.payment.findUniqueOrThrow({ where: { id: v.payment.id }, include: { attempts: true } });
  return { order: order.status, payment: payment.status, paymentIntentId: payment.paymentIntentId, attempts: payment.attempts.length };
}

const untouched = { order: 'menunggu_pembayaran', payment: 'pending', paymentIntentId: null, attempts: 0 };

describe('signed events naming another payment', () => {
  it('when payment_intent.succeeded of her own charge carries another workshop payment id and amount, then that order stays unpaid', async () => {
    const v = await victim();
    const x = await attackerWhoPaid();
    const amount = toSen(v.order.total);

    const res = await postWebhook(app, forge(x.succeeded, { metadata: v.metadata, amount, amount_received: amount }));

    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('ignored');
    expect(await stateOf(v)).toEqual(untouched);
    expect(await prisma.orderEvent.count({ where: { orderId: v.orderId, action: 'pay' } })).toBe(0);
  });

  it('when checkout.session.completed carries another payment id, or the payment session with another PaymentIntent than the one it stored, then it is ignored', async () => {
    const v = await victim();
    const x = await attackerWhoPaid();
    const amount = toSen(v.order.total);
    // The victim's card was declined once: her row now stores her own PaymentIntent.
    await payWithCard(v.hostedUrl, { number: '4000 0000 0000 0002' });
    const victimIntent = (await sandbox.stripe.checkout.sessions.retrieve(v.sessionId)).payment_intent as string;
    await postWebhook(app, await sentEvent(sandbox.receiver, 'payment_intent.payment_failed', victimIntent));
    expect((await stateOf(v)).paymentIntentId).toBe(victimIntent);

    const ownSession = await postWebhook(app, forge(x.completed, { metadata: v.metadata, amount_total: amount }));
    const victimSession = await postWebhook(app, forge(x.completed, { id: v.sessionId, metadata: v.metadata, amount_total: amount }));

    expect([ownSession.body.outcome, victimSession.body.outcome]).toEqual(['ignored', 'ignored']);
    expect(await stateOf(v)).toEqual({ order: 'menunggu_pembayaran', payment: 'pending', paymentIntentId: victimIntent, attempts: 1 });
  });

  it('when payment_intent.payment_failed names a payment whose session has another PaymentIntent, then no decline is recorded and her real payment still goes through', async () => {
    const v = await victim();
    const x = await attackerWhoPaid();

    const res = await postWebhook(
      app,
      forge(x.succeeded, { metadata: v.metadata, status: 'requires_payment_method' }, 'payment_intent.payment_failed'),
    );

    expect(res.body.outcome).toBe('ignored');
    expect(await stateOf(v)).toEqual(untouched);
    // Her PaymentIntent was not taken over: paying for real is applied from both events.
    await payWithCard(v.hostedUrl, { number: '4242 4242 4242 4242' });
    const paidIntent = (await sandbox.stripe.checkout.sessions.retrieve(v.sessionId)).payment_intent as string;
    expect((await postWebhook(app, await sentEvent(sandbox.receiver, 'payment_intent.succeeded', paidIntent))).body.outcome).toBe(
      'applied',
    );
    expect(await stateOf(v)).toEqual({ order: 'diproses', payment: 'succeeded', paymentIntentId: paidIntent, attempts: 1 });
  });

  it('when checkout.session.expired names a pending payment but carries another session, then that payment stays pending and open', async () => {
    const v = await victim();
    const x = await attackerWhoPaid();

    const res = await postWebhook(
      app,
      forge(x.completed, { id: 'cs_test_forged_session', metadata: v.metadata, status: 'expired' }, 'checkout.session.expired'),
    );

    expect(res.body.outcome).toBe('ignored');
    expect(await stateOf(v)).toEqual(untouched);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: v.payment.id } })).openCardCheckoutId).toBe(v.checkoutId);
  });

  it('when charge.refunded names a paid payment but the provider has no such refund, or the amount differs, then its pending refund stays pending', async () => {
    const v = await victim();
    await payWithCard(v.hostedUrl, { number: '4242 4242 4242 4242' });
    const paidIntent = (await sandbox.stripe.checkout.sessions.retrieve(v.sessionId)).payment_intent as string;
    await postWebhook(app, await sentEvent(sandbox.receiver, 'checkout.session.completed', v.sessionId));
    // A refund the app recorded as sent, which the provider never confirmed.
    const refund = await prisma.refund.create({
      data: { paymentId: v.payment.id, orderId: v.orderId, amount: v.order.total, status: 'pending', providerRef: 're_forged_1' },
    });
    const charge = { id: 'ch_forged', object: 'charge', payment_intent: paidIntent, currency: 'idr', refunded: true };
    const event = (object: Record<string, unknown>) =>
      JSON.stringify({ id: `evt_forged_${(seq += 1)}`, object: 'event', type: 'charge.refunded', created: 1, data: { object } });

    const listed = await postWebhook(
      app,
      event({ ...charge, amount: toSen(v.order.total), refunds: { object: 'list', data: [{ id: 're_forged_1' }] } }),
    );
    const unlisted = await postWebhook(app, event({ ...charge, amount: toSen(v.order.total) }));
    const otherAmount = await postWebhook(app, event({ ...charge, amount: 100 }));

    expect([listed.status, unlisted.status, otherAmount.status]).toEqual([200, 200, 200]);
    expect((await prisma.refund.findUniqueOrThrow({ where: { id: refund.id } })).status).toBe('pending');
    expect(await prisma.orderEvent.count({ where: { orderId: v.orderId, action: 'refund' } })).toBe(0);
  });
});
