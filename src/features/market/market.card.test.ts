// The card-paying demo buyer through the real path: the app listening, the payment sandbox
// sending signed webhooks to it, the bot paying the hosted page over HTTP with 4242; then the
// trainee ships, the buyer confirms receipt and reviews, and the trainee replies.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { startSandbox, stripeFor, tempDatabase, type RunningSandbox } from '../../test/payment-sandbox.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { listProductThroughForm, makeShop, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { setStripeClient } from '../payments/stripe-client.js';
import { demoBuyers } from '../sandbox/demo-accounts.js';
import { runNextTask } from './runner.js';

const app = createApp();
let server: Server;
let running: RunningSandbox;

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  running = await startSandbox({
    database: await tempDatabase(),
    webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/webhook`,
    apiKey: config.stripe.secretKey,
    webhookSecret: config.stripe.webhookSecret,
  });
  setStripeClient(stripeFor(running.port, config.stripe.secretKey));
});

afterAll(async () => {
  setStripeClient(null);
  await running.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the demo buyer who pays by card', () => {
  it('when her order runs, then she pays a Checkout Session on the hosted page with 4242 and the webhook marks it paid; after the trainee ships she confirms receipt and reviews, and the trainee replies', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const trainee = w.trainees[0]!;
    const shop = await makeShop({ workshop: w.workshopId, owner: trainee });
    const seller = await signedInAgent(app, trainee);
    await listProductThroughForm(seller, w.workshopId);
    // Only the card buyer here; the others are in market.test.ts.
    await prisma.botTask.deleteMany({ where: { workshopId: w.workshopId, kind: 'buyer.order', NOT: { method: 'card' } } });

    expect(await runNextTask(w.workshopId)).toEqual({ kind: 'buyer.order', status: 'done' });
    const order = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id }, include: { buyer: true } });
    expect(order.buyer.username).toBe(demoBuyers.ayu.username);
    const paid = await until('the webhook to mark the order paid', async () => {
      const o = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      return o.status === 'diproses' ? o : null;
    });
    expect(paid.paidAt).not.toBeNull();
    const payment = await prisma.payment.findFirstOrThrow({ where: { checkoutId: order.checkoutId }, include: { attempts: true } });
    expect(payment).toMatchObject({ method: 'card', status: 'succeeded' });
    expect(payment.providerRef).toMatch(/^cs_test_/);
    expect(payment.attempts.map((a) => a.outcome)).toEqual(['succeeded']);
    await until(
      'the webhook events',
      async () => (await prisma.webhookEvent.count({ where: { type: 'checkout.session.completed' } })) >= 1,
    );

    const page = await seller.get(`/workshops/${w.workshopId}/seller/orders/${order.id}`);
    await seller
      .post(`/workshops/${w.workshopId}/seller/orders/${order.id}/accept`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    await seller
      .post(`/workshops/${w.workshopId}/seller/orders/${order.id}/ship`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), trackingNumber: 'JNE0123456789' });

    expect(await runNextTask(w.workshopId)).toEqual({ kind: 'buyer.confirm', status: 'done' });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('selesai');
    expect(await runNextTask(w.workshopId)).toEqual({ kind: 'buyer.review', status: 'done' });
    const review = await prisma.review.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(review).toMatchObject({ rating: 5, buyerId: order.buyerId });

    const detail = await seller.get(`/workshops/${w.workshopId}/seller/orders/${order.id}`);
    expect(text(detail.text)).toContain(review.text);
    const replied = await seller
      .post(`/workshops/${w.workshopId}/seller/reviews/${review.id}/reply`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), reply: 'Terima kasih, Kak Ayu!' });
    expect(replied.status).toBe(303);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).reply).toBe('Terima kasih, Kak Ayu!');
    expect(await runNextTask(w.workshopId)).toBeNull();
  });
});
