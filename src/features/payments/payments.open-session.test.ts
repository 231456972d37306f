// The open card payment of a checkout: one Checkout Session however many tabs press "Lanjut bayar"
// at once (held by the database), rows left by a crash recovered, and payments whose webhooks
// never came reconciled with the provider by the job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { isUniqueViolation, prisma } from '../../db.js';
import { jobs } from '../../jobs.js';
import { makeCardPayment, startSandboxForApp, type AppSandbox } from '../../test/app-payments.js';
import { type Agent, makeMarketplace, makeOrder, signedInAgent } from '../../test/builders/index.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { payWithCard } from '../../test/payment-sandbox.js';
import { sellerBalance } from '../orders/orders.service.js';
import { reconcileCardPayments } from './payments.service.js';

const app = createApp();
let sandbox: AppSandbox;

beforeAll(async () => {
  sandbox = await startSandboxForApp();
});
afterAll(() => sandbox.stop());

async function setup() {
  const m = await makeMarketplace();
  const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing });
  const agent = await signedInAgent(app, m.buyerUser.username);
  return { m, checkoutId, orderId, agent, payUrl: `/workshops/${m.workshopId}/checkouts/${checkoutId}/pay` };
}

/** The pay page as one browser tab loaded it: its CSRF token and its own idempotency key. */
async function openTab(agent: Agent, payUrl: string) {
  const page = await agent.get(payUrl);
  return { _csrf: csrfFrom(page.text), idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1]!, method: 'card' };
}

describe('one open Checkout Session per checkout', () => {
  it('when four tabs press "Lanjut bayar" by card at the same moment, then one session and one Payment exist and every tab goes to that card page', async () => {
    const s = await setup();
    const tabs = [];
    for (let i = 0; i < 4; i++) tabs.push(await openTab(s.agent, s.payUrl));

    const answers = await Promise.all(tabs.map((tab) => s.agent.post(s.payUrl).type('form').send(tab)));

    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303]);
    const targets = new Set(answers.map((a) => a.headers.location as string));
    expect(targets.size).toBe(1);
    const payments = await prisma.payment.findMany({ where: { checkoutId: s.checkoutId } });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ method: 'card', status: 'pending', openCardCheckoutId: s.checkoutId });
    expect([...targets][0]).toContain(`/c/pay/${payments[0]!.providerRef}`);
  });

  it('when a second open card payment is written for a checkout, then the database refuses it', async () => {
    const s = await setup();
    const row = { workshopId: s.m.workshopId, checkoutId: s.checkoutId, method: 'card', status: 'pending', amount: 1000 };
    await prisma.payment.create({ data: { ...row, providerRef: 'cs_test_first', openCardCheckoutId: s.checkoutId } });

    const second = await prisma.payment
      .create({ data: { ...row, providerRef: 'cs_test_second', openCardCheckoutId: s.checkoutId } })
      .catch((error: unknown) => error);

    expect(isUniqueViolation(second)).toBe(true);
  });

  it('when the open session was paid on another tab, then pressing again leads to the return page and opens no second session', async () => {
    const s = await setup();
    const first = await s.agent
      .post(s.payUrl)
      .type('form')
      .send(await openTab(s.agent, s.payUrl));
    await payWithCard(first.headers.location as string, { number: '4242 4242 4242 4242' });

    const again = await s.agent
      .post(s.payUrl)
      .type('form')
      .send(await openTab(s.agent, s.payUrl));

    expect(again.status).toBe(303);
    expect(again.headers.location).toContain(`/checkouts/${s.checkoutId}/return?session_id=`);
    expect(await prisma.payment.count({ where: { checkoutId: s.checkoutId } })).toBe(1);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } })).status).toBe('diproses');
  });
});

describe('a card payment row left by a crash', () => {
  /**
   * What kill -9 between writing the row and storing its session id leaves: a marker that holds the claim.
   * On SQLite one process owns the database, so a marker it is not working on is dead at once; on
   * PostgreSQL another instance may be creating that session, so a crash shows only once the marker
   * is older than any create can take (card.ts): there the crash was two minutes ago.
   */
  async function crashedRow(s: Awaited<ReturnType<typeof setup>>, idempotencyKey: string) {
    const order = await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } });
    return prisma.payment.create({
      data: {
        createdAt: new Date(Date.now() - (config.isSqlite ? 0 : 120_000)),
        workshopId: s.m.workshopId,
        checkoutId: s.checkoutId,
        method: 'card',
        status: 'pending',
        amount: order.total,
        providerRef: `pending:${s.checkoutId}:${idempotencyKey}`,
        openCardCheckoutId: s.checkoutId,
      },
    });
  }

  it('when the buyer resubmits the same form after the crash, then she reaches the card page at once and the pay page lists one card payment', async () => {
    const s = await setup();
    const tab = await openTab(s.agent, s.payUrl);
    const left = await crashedRow(s, tab.idempotencyKey);

    const startedAt = Date.now();
    const res = await s.agent.post(s.payUrl).type('form').send(tab);

    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\/c\/pay\/cs_test_/);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(await prisma.payment.findUnique({ where: { id: left.id } })).toBeNull();
    const page = await s.agent.get(s.payUrl);
    expect(page.text.match(/data-testid="payment-row"/g)).toHaveLength(1);
  });

  it('when the server starts again, then its first reconcile run removes the row and the pay page no longer lists a waiting card payment', async () => {
    const s = await setup();
    const left = await crashedRow(s, 'key-of-the-crashed-request-1');
    expect(text((await s.agent.get(s.payUrl)).text)).toContain('Menunggu');
    const atStart = jobs.find((job) => job.name === 'reconcile card payments');
    expect(atStart?.atStart).toBe(true);

    await atStart!.run();

    expect(await prisma.payment.findUnique({ where: { id: left.id } })).toBeNull();
    expect(text((await s.agent.get(s.payUrl)).text)).not.toContain('Menunggu');
  });
});

describe('reconciling card payments the webhooks never reported', () => {
  it('when the card was paid while the app heard no webhook, then the job marks the order paid and the seller sees the money held', async () => {
    const m = await makeMarketplace();
    const p = await makeCardPayment({ buyer: m.buyer, listing: m.listing });
    await payWithCard(p.hostedUrl, { number: '4242 4242 4242 4242' });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('menunggu_pembayaran');

    await reconcileCardPayments();

    expect((await prisma.order.findUniqueOrThrow({ where: { id: p.orderId } })).status).toBe('diproses');
    const payment = await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } });
    expect(payment).toMatchObject({ status: 'succeeded', openCardCheckoutId: null });
    expect(payment.paymentIntentId).toMatch(/^pi_/);
    expect(await sellerBalance(m.shop.id)).toEqual({ held: p.order.total, available: 0 });
  });

  it('when an open session outlives its order deadline, then the job closes it at the provider and the payment is expired', async () => {
    const m = await makeMarketplace();
    const p = await makeCardPayment({ buyer: m.buyer, listing: m.listing });

    await reconcileCardPayments(new Date(Date.now() + 48 * 3600_000));

    expect((await sandbox.stripe.checkout.sessions.retrieve(p.sessionId)).status).toBe('expired');
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).toMatchObject({
      status: 'expired',
      openCardCheckoutId: null,
    });
  });

  it('when an open session is still within its deadline and unpaid, then the job leaves it open', async () => {
    const m = await makeMarketplace();
    const p = await makeCardPayment({ buyer: m.buyer, listing: m.listing });

    await reconcileCardPayments();

    expect((await sandbox.stripe.checkout.sessions.retrieve(p.sessionId)).status).toBe('open');
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: p.payment.id } })).status).toBe('pending');
  });
});
