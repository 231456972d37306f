// The card flow end to end in one process: the app listening on an ephemeral port, the payment
// sandbox on another delivering signed webhooks to it, a trainee paying the hosted page over HTTP.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import {
  csrfFrom as sandboxCsrf,
  decodeEntities,
  getPage,
  payWithCard,
  postForm,
  startSandbox,
  stripeFor,
  tempDatabase,
  type RunningSandbox,
} from '../../test/payment-sandbox.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, makeMarketplace, makeOrder, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { sellerBalance } from '../orders/orders.service.js';
import { setStripeClient, toSen } from './stripe-client.js';

const app = createApp();
let server: Server;
let running: RunningSandbox;

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const appPort = (server.address() as AddressInfo).port;
  running = await startSandbox({
    database: await tempDatabase(),
    webhookUrl: `http://127.0.0.1:${appPort}/payments/webhook`,
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

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setup() {
  const m = await makeMarketplace();
  const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing });
  const agent = await signedInAgent(app, m.buyerUser.username);
  return { m, checkoutId, orderId, agent, payUrl: `/workshops/${m.workshopId}/checkouts/${checkoutId}/pay` };
}

async function payForm(agent: Agent, payUrl: string) {
  const page = await agent.get(payUrl);
  expect(page.status).toBe(200);
  return { _csrf: csrfFrom(page.text), idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1]!, html: page.text };
}

/** Chooses card on the pay page; returns the hosted page URL the app redirected to. */
async function chooseCard(agent: Agent, payUrl: string): Promise<string> {
  const form = await payForm(agent, payUrl);
  const res = await agent.post(payUrl).type('form').send({ _csrf: form._csrf, idempotencyKey: form.idempotencyKey, method: 'card' });
  expect(res.status).toBe(303);
  return res.headers.location as string;
}

const sdk = () => stripeFor(running.port, config.stripe.secretKey);

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

const orderStatus = async (id: number) => (await prisma.order.findUniqueOrThrow({ where: { id } })).status;

describe('paying by card through the sandbox', () => {
  it('when the buyer pays with 4242, then the hosted page is on the sandbox port of the host used, the return page says paid and the webhook arrives once', async () => {
    const s = await setup();
    const hosted = await chooseCard(s.agent, s.payUrl);
    expect(hosted).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${running.port}/c/pay/cs_test_`));

    const paid = await payWithCard(hosted, { number: '4242 4242 4242 4242' });
    expect(paid.status).toBe(303);
    expect(paid.location).toContain(`/workshops/${s.m.workshopId}/checkouts/${s.checkoutId}/return?session_id=cs_test_`);

    const back = await s.agent.get(pathOf(paid.location!));
    expect(back.status).toBe(200);
    expect(text(back.text)).toContain('Pembayaran berhasil');
    expect(await orderStatus(s.orderId)).toBe('diproses');

    await until(
      'both webhooks',
      async () =>
        (await prisma.webhookEvent.count({ where: { type: { in: ['checkout.session.completed', 'payment_intent.succeeded'] } } })) >= 2,
    );
    const payment = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId }, include: { attempts: true } });
    expect(payment).toMatchObject({ method: 'card', status: 'succeeded' });
    expect(payment.attempts.map((a) => a.outcome)).toEqual(['succeeded']);
    const pi = await sdk().paymentIntents.retrieve(payment.paymentIntentId!);
    expect(pi.amount_received).toBe(toSen(payment.amount));
    expect(await prisma.orderEvent.count({ where: { orderId: s.orderId, action: 'pay' } })).toBe(1);
  });

  it('when the card is declined (0002), then the order still awaits payment, the pay page says so, and 4242 on the same session pays once', async () => {
    const s = await setup();
    const hosted = await chooseCard(s.agent, s.payUrl);
    const declined = await payWithCard(hosted, { number: '4000 0000 0000 0002' });
    expect(declined.status).toBe(402);
    await until('the declined attempt', () =>
      prisma.paymentAttempt.findFirst({ where: { outcome: 'declined', payment: { checkoutId: s.checkoutId } } }),
    );
    expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');
    const page = await s.agent.get(s.payUrl);
    expect(text(page.text)).toContain('Pembayaran kartu terakhir ditolak');

    const again = await chooseCard(s.agent, s.payUrl);
    expect(again).toBe(hosted); // the open session is reused: one session, one PaymentIntent
    const paid = await payWithCard(again, { number: '4242424242424242' });
    await s.agent.get(pathOf(paid.location!));
    await until('the success webhook', () =>
      prisma.webhookEvent.findFirst({ where: { type: 'checkout.session.completed', id: { not: '' } } }),
    );

    expect(await orderStatus(s.orderId)).toBe('diproses');
    const payments = await prisma.payment.findMany({
      where: { checkoutId: s.checkoutId },
      include: { attempts: { orderBy: { id: 'asc' } } },
    });
    expect(payments).toHaveLength(1);
    expect(payments[0]!.attempts.map((a) => a.outcome)).toEqual(['declined', 'succeeded']);
  });

  it('when the card asks for 3-D Secure (3184), then the OTP page leads to paid', async () => {
    const s = await setup();
    const hosted = await chooseCard(s.agent, s.payUrl);
    const challenged = await payWithCard(hosted, { number: '4000 0027 6000 3184' });
    expect(challenged.location).toMatch(/\/3ds$/);
    const otpUrl = new URL(challenged.location!, hosted).toString();
    const otp = await getPage(otpUrl);
    const code = /Kode OTP: (\d{6})/.exec(decodeEntities(otp.html))?.[1];
    expect(code).toBeDefined();
    const verified = await postForm(otpUrl, { _csrf: sandboxCsrf(otp.html), code: code!, action: 'verify' });
    expect(verified.status).toBe(303);
    const back = await s.agent.get(pathOf(verified.location!));
    expect(text(back.text)).toContain('Pembayaran berhasil');
    expect(await orderStatus(s.orderId)).toBe('diproses');
  });

  it('when the pay button is pressed twice with the same form, then one session and one Payment exist', async () => {
    const s = await setup();
    const form = await payForm(s.agent, s.payUrl);
    const send = () => s.agent.post(s.payUrl).type('form').send({ _csrf: form._csrf, idempotencyKey: form.idempotencyKey, method: 'card' });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a.headers.location).toBe(b.headers.location);
    expect(await prisma.payment.count({ where: { checkoutId: s.checkoutId } })).toBe(1);
  });

  it('when the return page is opened before paying, then it says not finished and nothing is marked paid', async () => {
    const s = await setup();
    const hosted = await chooseCard(s.agent, s.payUrl);
    const sessionId = /cs_test_[A-Za-z0-9]+/.exec(hosted)![0];
    const res = await s.agent.get(`/workshops/${s.m.workshopId}/checkouts/${s.checkoutId}/return?session_id=${sessionId}`);
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('Pembayaran belum selesai');
    expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');
    // Another buyer's session id on this checkout's return page is a 404.
    const other = await setup();
    const otherHosted = await chooseCard(other.agent, other.payUrl);
    const otherId = /cs_test_[A-Za-z0-9]+/.exec(otherHosted)![0];
    expect((await s.agent.get(`/workshops/${s.m.workshopId}/checkouts/${s.checkoutId}/return?session_id=${otherId}`)).status).toBe(404);
  });

  it('when the seller cancels a paid order, then it is refunded through the provider and the buyer sees "Dana dikembalikan"', async () => {
    const s = await setup();
    const paid = await payWithCard(await chooseCard(s.agent, s.payUrl), { number: '4242424242424242' });
    await s.agent.get(pathOf(paid.location!));
    const seller = await signedInAgent(app, s.m.sellerUser.username);
    const detail = await seller.get(`/workshops/${s.m.workshopId}/seller/orders/${s.orderId}`);
    const cancel = await seller
      .post(`/workshops/${s.m.workshopId}/seller/orders/${s.orderId}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), reason: 'Stok rusak kena banjir' });
    expect(cancel.status).toBe(303);

    const refund = await until('the refund', () => prisma.refund.findFirst({ where: { orderId: s.orderId, status: 'succeeded' } }));
    expect(refund.providerRef).toMatch(/^re_/);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } });
    expect(refund.amount).toBe(order.total);
    const payment = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId } });
    const charge = await sdk().paymentIntents.retrieve(payment.paymentIntentId!, { expand: ['latest_charge'] });
    expect((charge.latest_charge as { amount_refunded: number }).amount_refunded).toBe(toSen(order.total));
    await until('charge.refunded', () => prisma.webhookEvent.findFirst({ where: { type: 'charge.refunded' } }));
    expect(await prisma.refund.count({ where: { orderId: s.orderId } })).toBe(1);
    const page = await s.agent.get(`/workshops/${s.m.workshopId}/orders/${s.orderId}`);
    expect(text(page.text)).toContain('Dana dikembalikan');
    expect(text(page.text)).toContain('Dibayar dengan: Kartu kredit/debit');
    expect(await sellerBalance(s.m.shop.id)).toEqual({ held: 0, available: 0 });
  });

  it('when the payment server is down, then the pay page says so plainly (503) and nothing changes', async () => {
    const s = await setup();
    setStripeClient(stripeFor(1, config.stripe.secretKey));
    try {
      const form = await payForm(s.agent, s.payUrl);
      const res = await s.agent
        .post(s.payUrl)
        .type('form')
        .send({ _csrf: form._csrf, idempotencyKey: form.idempotencyKey, method: 'card' });
      expect(res.status).toBe(503);
      expect(text(res.text)).toContain('Server pembayaran sedang tidak bisa dihubungi');
      expect(await prisma.payment.count({ where: { checkoutId: s.checkoutId } })).toBe(0);
      expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');
    } finally {
      setStripeClient(stripeFor(running.port, config.stripe.secretKey));
    }
  });

  it('when the payment server is down on the return page, then it says the status is not known yet and changes nothing', async () => {
    const s = await setup();
    const sessionId = /cs_test_[A-Za-z0-9]+/.exec(await chooseCard(s.agent, s.payUrl))![0];
    setStripeClient(stripeFor(1, config.stripe.secretKey));
    try {
      const res = await s.agent.get(`/workshops/${s.m.workshopId}/checkouts/${s.checkoutId}/return?session_id=${sessionId}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('data-outcome="unknown"');
      expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');
    } finally {
      setStripeClient(stripeFor(running.port, config.stripe.secretKey));
    }
  });

  it('when the pay page is rendered, then its CSP lets the card form redirect to the sandbox on the host used', async () => {
    const s = await setup();
    const res = await s.agent.get(s.payUrl).set('host', '192.168.1.20:3000');
    expect(res.headers['content-security-policy']).toContain(`form-action 'self' http://192.168.1.20:${config.paymentSandbox.port}`);
  });

  it('when someone else opens the card URLs, then each is a 404 (another buyer, another workshop, a tutor)', async () => {
    const s = await setup();
    const sessionId = /cs_test_[A-Za-z0-9]+/.exec(await chooseCard(s.agent, s.payUrl))![0];
    const w = s.m.workshopId;
    const urls = [s.payUrl, `/workshops/${w}/checkouts/${s.checkoutId}/return?session_id=${sessionId}`];
    const otherBuyer = await signedInAgent(app, s.m.trainees[0]!.username); // the seller is a trainee of this workshop too
    const tutor = await signedInAgent(app, s.m.tutor.username);
    const elsewhere = await makeWorkshop({ trainees: 1 });
    const outsider = await signedInAgent(app, elsewhere.trainees[0]!.username);
    for (const url of urls) {
      expect((await otherBuyer.get(url)).status).toBe(404);
      expect((await tutor.get(url)).status).toBe(404);
      expect((await outsider.get(url)).status).toBe(404);
      expect((await outsider.get(url.replace(`/workshops/${w}/`, `/workshops/${elsewhere.workshopId}/`))).status).toBe(404);
    }
    const csrf = await otherBuyer.csrf();
    expect(
      (await otherBuyer.post(s.payUrl).type('form').send({ _csrf: csrf, idempotencyKey: 'abcdefabcdefabcdef12', method: 'card' })).status,
    ).toBe(404);
    expect(await prisma.payment.count({ where: { checkoutId: s.checkoutId } })).toBe(1);
  });
});
