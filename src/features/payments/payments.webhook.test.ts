// The app's webhook over HTTP: signature, duplicates, the effects of each event type. The
// payments are real (a payment sandbox in this process, whose own webhooks go to a receiver, not
// to the app): the tests post events to the app themselves.
import request from 'supertest';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { payWithCard } from '../../test/payment-sandbox.js';
import { makeCardPayment, sentEvent, startSandboxForApp, type AppSandbox } from '../../test/app-payments.js';
import { ctxOf, makeMarketplace } from '../../test/builders/index.js';
import { expireUnpaidOrders, sellerBalance } from '../orders/orders.service.js';
import { getProgressBoard } from '../progress/progress.service.js';
import { toSen } from './stripe-client.js';

const app = createApp();
let sandbox: AppSandbox;

beforeAll(async () => {
  sandbox = await startSandboxForApp();
});
afterAll(() => sandbox.stop());

let seq = 0;
const eventId = () => `evt_test_${Date.now()}_${(seq += 1)}`;

function sign(payload: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret: config.stripe.webhookSecret, ...(timestamp ? { timestamp } : {}) });
}

function post(payload: string, signature: string) {
  return request(app).post('/payments/webhook').set('content-type', 'application/json').set('stripe-signature', signature).send(payload);
}

/** A placed order and its card payment, as "Lanjut bayar" leaves them: a pending Payment holding a real open session. */
async function pendingCardPayment() {
  const m = await makeMarketplace();
  return { m, ...(await makeCardPayment({ buyer: m.buyer, listing: m.listing })) };
}

function completedEvent(
  p: Awaited<ReturnType<typeof pendingCardPayment>>,
  overrides: { id?: string; amount?: number; paymentIntent?: string } = {},
): string {
  return JSON.stringify({
    id: overrides.id ?? eventId(),
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: p.sessionId,
        object: 'checkout.session',
        status: 'complete',
        payment_status: 'paid',
        amount_total: overrides.amount ?? toSen(p.order.total),
        currency: 'idr',
        payment_intent: overrides.paymentIntent ?? 'pi_test_1',
        metadata: p.metadata,
      },
    },
  });
}

function piEvent(
  p: Awaited<ReturnType<typeof pendingCardPayment>>,
  type: 'payment_intent.succeeded' | 'payment_intent.payment_failed',
  declineCode?: string,
): string {
  return JSON.stringify({
    id: eventId(),
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: 'pi_test_1',
        object: 'payment_intent',
        amount: toSen(p.order.total),
        amount_received: type === 'payment_intent.succeeded' ? toSen(p.order.total) : 0,
        currency: 'idr',
        metadata: p.metadata,
        last_payment_error: declineCode
          ? { type: 'card_error', code: 'card_declined', decline_code: declineCode, message: 'Your card was declined.' }
          : null,
      },
    },
  });
}

describe('POST /payments/webhook', () => {
  it('when the signature is forged, then it answers 400 and nothing changes', async () => {
    const p = await pendingCardPayment();
    const payload = completedEvent(p);
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' });

    const res = await post(payload, forged);

    expect(res.status).toBe(400);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('menunggu_pembayaran');
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).status).toBe('pending');
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it('when the body was changed after signing, or the signature header is missing, then it answers 400', async () => {
    const p = await pendingCardPayment();
    const payload = completedEvent(p);
    const header = sign(payload);
    expect((await post(payload.replace('"paid"', '"paid" '), header)).status).toBe(400);
    expect((await request(app).post('/payments/webhook').set('content-type', 'application/json').send(payload)).status).toBe(400);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('menunggu_pembayaran');
  });

  it('when the signature is older than the tolerance (5 minutes), then it is refused', async () => {
    const p = await pendingCardPayment();
    const payload = completedEvent(p);
    const res = await post(payload, sign(payload, Math.floor(Date.now() / 1000) - 600));
    expect(res.status).toBe(400);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('menunggu_pembayaran');
  });

  it('when checkout.session.completed arrives signed, then the payment succeeds, the order is diproses, stock and the seller balance are right', async () => {
    const p = await pendingCardPayment();
    const payload = completedEvent(p);

    const res = await post(payload, sign(payload));

    expect(res.status).toBe(200);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } });
    expect(order.status).toBe('diproses');
    expect(order.paidAt).not.toBeNull();
    const payment = await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id }, include: { attempts: true } });
    expect(payment).toMatchObject({ status: 'succeeded', paymentIntentId: 'pi_test_1' });
    expect(payment.attempts.map((a) => a.outcome)).toEqual(['succeeded']);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: p.m.listing.id } })).stock).toBe(9);
    expect(await sellerBalance(p.m.shop.id)).toEqual({ held: order.total, available: 0 });
    expect((await prisma.checkout.findUniqueOrThrow({ where: { id: p.checkoutId } })).paymentMethod).toBe('card');
  });

  it('when the same event is delivered twice, and payment_intent.succeeded follows, then the effect is applied once', async () => {
    const p = await pendingCardPayment();
    const payload = completedEvent(p);

    const first = await post(payload, sign(payload));
    const again = await post(payload, sign(payload));
    const pi = piEvent(p, 'payment_intent.succeeded');
    const third = await post(pi, sign(pi));

    expect([first.body.outcome, again.body.outcome, third.status]).toEqual(['applied', 'duplicate', 200]);
    expect(await prisma.paymentAttempt.count({ where: { paymentId: p.payment.id } })).toBe(1);
    expect(await prisma.orderEvent.count({ where: { orderId: p.orderId, action: 'pay' } })).toBe(1);
    expect(await prisma.webhookEvent.count({ where: { id: JSON.parse(payload).id } })).toBe(1);
    expect(await sellerBalance(p.m.shop.id)).toEqual({ held: p.order.total, available: 0 });
  });

  it('when the paid amount does not match the bill, then the orders stay awaiting payment', async () => {
    const p = await pendingCardPayment();
    const payload = completedEvent(p, { amount: toSen(p.order.total - 1000) });
    expect((await post(payload, sign(payload))).status).toBe(200);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('menunggu_pembayaran');
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).status).toBe('pending');
  });

  it('when a card is declined, then a declined attempt with its code is recorded and the order still awaits payment', async () => {
    const p = await pendingCardPayment();
    await payWithCard(p.hostedUrl, { number: '4000 0000 0000 9995' });
    const session = await sandbox.stripe.checkout.sessions.retrieve(p.sessionId);
    const payload = await sentEvent(sandbox.receiver, 'payment_intent.payment_failed', session.payment_intent as string);

    expect((await post(payload, sign(payload))).status).toBe(200);

    const attempts = await prisma.paymentAttempt.findMany({ where: { paymentId: p.payment.id } });
    expect(attempts).toMatchObject([{ outcome: 'declined', declineCode: 'insufficient_funds' }]);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).failureCode).toBe('insufficient_funds');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('menunggu_pembayaran');
    const tutor = await ctxOf({ workshop: p.m.workshopId, user: p.m.tutor });
    const missionsDone = async () => {
      const board = await getProgressBoard(tutor);
      const row = board.trainees.find((t) => t.id === p.m.buyerUser.id)!;
      const col = (id: string) => row.done[board.columns.findIndex((c) => c.missionId === id)];
      return [col('pay-card'), col('retry-declined')];
    };
    expect(await missionsDone()).toEqual([false, false]);

    const paid = completedEvent(p, { paymentIntent: session.payment_intent as string });
    await post(paid, sign(paid));
    expect(await missionsDone()).toEqual([true, true]);
  });

  it('when the charge of a card paid through 3-D Secure arrives, then the payment says so and the 3-D Secure mission ticks; a charge without it changes nothing', async () => {
    // Paid on the sandbox's card page (its own webhooks go to the test's receiver, not the app):
    // the session now names its PaymentIntent, as when the provider's charge.succeeded comes in.
    const intentOf = async (p: Awaited<ReturnType<typeof pendingCardPayment>>) => {
      await payWithCard(p.hostedUrl, { number: '4242 4242 4242 4242' });
      return (await sandbox.stripe.checkout.sessions.retrieve(p.sessionId)).payment_intent as string;
    };
    const chargeEvent = (
      p: Awaited<ReturnType<typeof pendingCardPayment>>,
      paymentIntent: string,
      threeDSecure: { result: string } | null,
    ) =>
      JSON.stringify({
        id: eventId(),
        object: 'event',
        type: 'charge.succeeded',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: `ch_test_${Math.random().toString(36).slice(2)}`,
            object: 'charge',
            payment_intent: paymentIntent,
            metadata: p.metadata,
            payment_method_details: { type: 'card', card: { brand: 'visa', last4: '3184', three_d_secure: threeDSecure } },
          },
        },
      });
    const plain = await pendingCardPayment();
    const withoutChallenge = chargeEvent(plain, await intentOf(plain), null);
    expect((await post(withoutChallenge, sign(withoutChallenge))).status).toBe(200);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: plain.payment.id } })).threeDSecure).toBe(false);

    const p = await pendingCardPayment();
    // A charge of another PaymentIntent naming this payment in its metadata is not this payment's.
    const forged = chargeEvent(p, 'pi_test_someone_else', { result: 'authenticated' });
    expect((await post(forged, sign(forged))).body.outcome).toBe('ignored');
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).threeDSecure).toBe(false);
    const intent = await intentOf(p);
    const charge = chargeEvent(p, intent, { result: 'authenticated' });
    expect((await post(charge, sign(charge))).body.outcome).toBe('applied');
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).threeDSecure).toBe(true);
    const completed = completedEvent(p, { paymentIntent: intent });
    await post(completed, sign(completed));
    const board = await getProgressBoard(await ctxOf({ workshop: p.m.workshopId, user: p.m.tutor }));
    const row = board.trainees.find((t) => t.id === p.m.buyerUser.id)!;
    expect(row.done[board.columns.findIndex((c) => c.missionId === 'pay-3ds')]).toBe(true);
  });

  it('when a second card payment succeeds for a checkout already paid, then it is recorded as refunded, pending a refund per order', async () => {
    const p = await pendingCardPayment();
    const first = completedEvent(p);
    await post(first, sign(first));
    const otherSession = `cs_test_dup_${Math.random().toString(36).slice(2)}`;
    const dup = await prisma.payment.create({
      data: {
        workshopId: p.m.workshopId,
        checkoutId: p.checkoutId,
        method: 'card',
        status: 'pending',
        amount: p.order.total,
        providerRef: otherSession,
      },
    });
    const second = completedEvent({ ...p, sessionId: otherSession, payment: dup, metadata: { ...p.metadata, paymentId: String(dup.id) } });

    expect((await post(second, sign(second))).status).toBe(200);

    expect((await prisma.payment.findUniqueOrThrow({ where: { id: dup.id } })).status).toBe('refunded');
    expect(await prisma.refund.findMany({ where: { paymentId: dup.id } })).toMatchObject([
      { orderId: p.orderId, amount: p.order.total, status: 'pending' },
    ]);
    expect(await prisma.orderEvent.count({ where: { orderId: p.orderId, action: 'pay' } })).toBe(1);
    expect(await sellerBalance(p.m.shop.id)).toEqual({ held: p.order.total, available: 0 });
  });

  it('when a card payment arrives after its order expired, then the order stays cancelled and the money is set to go back', async () => {
    const p = await pendingCardPayment();
    await expireUnpaidOrders(new Date(Date.now() + 48 * 3600_000), { workshopId: p.m.workshopId });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('dibatalkan');
    const payload = completedEvent(p);

    expect((await post(payload, sign(payload))).status).toBe(200);

    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('dibatalkan');
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).status).toBe('refunded');
    expect(await prisma.refund.findMany({ where: { orderId: p.orderId } })).toMatchObject([{ amount: p.order.total, status: 'pending' }]);
    expect(await sellerBalance(p.m.shop.id)).toEqual({ held: 0, available: 0 });
  });

  it('when checkout.session.expired arrives, then the pending payment is expired', async () => {
    const p = await pendingCardPayment();
    const payload = JSON.stringify({
      id: eventId(),
      object: 'event',
      type: 'checkout.session.expired',
      created: 1,
      data: { object: { id: p.sessionId, object: 'checkout.session', status: 'expired', metadata: p.metadata } },
    });
    expect((await post(payload, sign(payload))).status).toBe(200);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).status).toBe('expired');
  });

  it('when an event is about a payment this app does not know, then it is acknowledged and ignored', async () => {
    const payload = JSON.stringify({
      id: eventId(),
      object: 'event',
      type: 'customer.created',
      created: 1,
      data: { object: { id: 'cus_1', object: 'customer' } },
    });
    const res = await post(payload, sign(payload));
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('ignored');
  });
});
