// The simulated Indonesian methods over HTTP: virtual account, QRIS, cash on delivery.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { stripeFor } from '../../test/payment-sandbox.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, makeMarketplace, makeOrder, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { sellerBalance } from '../orders/orders.service.js';
import { SIMULATED_PIN } from './payments.service.js';
import { setStripeClient } from './stripe-client.js';

const app = createApp();
beforeAll(() => setStripeClient(stripeFor(1, config.stripe.secretKey))); // no card provider needed here
afterAll(() => setStripeClient(null));

async function setup() {
  const m = await makeMarketplace();
  const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing });
  const agent = await signedInAgent(app, m.buyerUser.username);
  const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
  return {
    m,
    checkoutId,
    orderId,
    order,
    agent,
    base: `/workshops/${m.workshopId}`,
    payUrl: `/workshops/${m.workshopId}/checkouts/${checkoutId}/pay`,
  };
}

async function choose(agent: Agent, payUrl: string, method: string) {
  const page = await agent.get(payUrl);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1]!;
  return agent
    .post(payUrl)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), idempotencyKey: key, method });
}

const orderStatus = async (id: number) => (await prisma.order.findUniqueOrThrow({ where: { id } })).status;

describe('virtual account', () => {
  it('when the buyer chooses a VA, then a number starting 8808 and the deadline are shown; a wrong amount is refused; the exact amount pays with a SIMULASI receipt', async () => {
    const s = await setup();
    const chosen = await choose(s.agent, s.payUrl, 'va');
    expect(chosen.headers.location).toBe(`${s.payUrl}/va`);
    const vaPage = await s.agent.get(`${s.payUrl}/va`);
    const va = /data-va="(\d+)"/.exec(vaPage.text)![1]!;
    expect(va).toMatch(/^8808\d{12}$/);
    expect(text(vaPage.text)).toContain(va.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(text(vaPage.text)).toContain('Bayar sebelum');

    const bank = await s.agent.get(`${s.base}/simulasi/m-banking?va=${va}`);
    expect(text(bank.text)).toContain('Simulasi m-banking');
    const csrf = csrfFrom(bank.text);
    const wrong = await s.agent
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrf, vaNumber: va, amount: String(s.order.total - 1000) });
    expect(wrong.status).toBe(422);
    expect(text(wrong.text)).toContain('Jumlah tidak sama dengan tagihan');
    expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');

    const unknown = await s.agent
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrf, vaNumber: '8808000000000000', amount: String(s.order.total) });
    expect(text(unknown.text)).toContain('tidak ditemukan');

    const paid = await s.agent
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrf, vaNumber: va.replace(/(\d{4})/g, '$1 '), amount: `Rp ${s.order.total.toLocaleString('id-ID')}` });
    expect(paid.status).toBe(303);
    expect(await orderStatus(s.orderId)).toBe('diproses');
    const receipt = await s.agent.get(paid.headers.location as string);
    expect(receipt.status).toBe(200);
    expect(text(receipt.text)).toContain('SIMULASI');
    expect(await prisma.payment.findFirst({ where: { checkoutId: s.checkoutId } })).toMatchObject({ method: 'va', status: 'succeeded' });
    expect(await sellerBalance(s.m.shop.id)).toEqual({ held: s.order.total, available: 0 });

    const twice = await s.agent
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrf, vaNumber: va, amount: String(s.order.total) });
    expect(twice.status).toBe(422);
    expect(text(twice.text)).toContain('sudah dibayar');
    expect(await prisma.orderEvent.count({ where: { orderId: s.orderId, action: 'pay' } })).toBe(1);
  });

  it('when the VA is chosen twice, then the same number is reused', async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'va');
    await choose(s.agent, s.payUrl, 'va');
    expect(await prisma.payment.count({ where: { checkoutId: s.checkoutId, method: 'va' } })).toBe(1);
  });

  it("when another buyer types someone else's VA number, then it is not found and nothing changes", async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'va');
    const va = (await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId } })).vaNumber!;
    const other = await signedInAgent(app, s.m.sellerUser.username);
    const bank = await other.get(`${s.base}/simulasi/m-banking`);
    const res = await other
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrfFrom(bank.text), vaNumber: va, amount: String(s.order.total) });
    expect(res.status).toBe(422);
    expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');
  });

  it('when the seller cancels an order paid by VA, then the money is returned at once (simulated) and the buyer sees it', async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'va');
    const bill = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId } });
    const bank = await s.agent.get(`${s.base}/simulasi/m-banking`);
    await s.agent
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrfFrom(bank.text), vaNumber: bill.vaNumber!, amount: String(bill.amount) });
    const seller = await signedInAgent(app, s.m.sellerUser.username);
    const detail = await seller.get(`${s.base}/seller/orders/${s.orderId}`);
    await seller
      .post(`${s.base}/seller/orders/${s.orderId}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), reason: 'Barang habis' });
    expect(await prisma.refund.findMany({ where: { orderId: s.orderId } })).toMatchObject([{ status: 'succeeded', amount: s.order.total }]);
    expect(text((await s.agent.get(`${s.base}/orders/${s.orderId}`)).text)).toContain('Dana dikembalikan');
  });
});

describe('QRIS', () => {
  it('when the buyer chooses QRIS, then a QR image is served; the e-wallet refuses a wrong PIN and pays with the right one', async () => {
    const s = await setup();
    expect((await choose(s.agent, s.payUrl, 'qris')).headers.location).toBe(`${s.payUrl}/qris`);
    const page = await s.agent.get(`${s.payUrl}/qris`);
    const ref = /data-testid="qris-ref">(QRIS-[A-Z0-9]{10})</.exec(page.text)![1]!;
    const svg = await s.agent.get(`${s.payUrl}/qris.svg`);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(String(svg.body ?? svg.text)).toContain('<svg');

    const wallet = await s.agent.get(`${s.base}/simulasi/e-wallet?ref=${ref}`);
    expect(text(wallet.text)).toContain('Simulasi dompet digital');
    const csrf = csrfFrom(wallet.text);
    const wrong = await s.agent.post(`${s.base}/simulasi/e-wallet`).type('form').send({ _csrf: csrf, ref, pin: '000000' });
    expect(wrong.status).toBe(422);
    expect(text(wrong.text)).toContain('PIN salah');
    expect(await orderStatus(s.orderId)).toBe('menunggu_pembayaran');

    const paid = await s.agent.post(`${s.base}/simulasi/e-wallet`).type('form').send({ _csrf: csrf, ref, pin: SIMULATED_PIN });
    expect(paid.status).toBe(303);
    expect(await orderStatus(s.orderId)).toBe('diproses');
    expect(text((await s.agent.get(paid.headers.location as string)).text)).toContain('SIMULASI');
  });

  it('when a VA was opened and the buyer then pays by QRIS, then the VA can no longer be paid', async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'va');
    await choose(s.agent, s.payUrl, 'qris');
    const qris = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId, method: 'qris' } });
    const wallet = await s.agent.get(`${s.base}/simulasi/e-wallet?ref=${qris.providerRef}`);
    await s.agent
      .post(`${s.base}/simulasi/e-wallet`)
      .type('form')
      .send({ _csrf: csrfFrom(wallet.text), ref: qris.providerRef, pin: SIMULATED_PIN });
    const va = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId, method: 'va' } });
    expect(va.status).toBe('cancelled');
    const bank = await s.agent.get(`${s.base}/simulasi/m-banking`);
    const res = await s.agent
      .post(`${s.base}/simulasi/m-banking`)
      .type('form')
      .send({ _csrf: csrfFrom(bank.text), vaNumber: va.vaNumber!, amount: String(va.amount) });
    expect(res.status).toBe(422);
    expect(await prisma.payment.count({ where: { checkoutId: s.checkoutId, status: 'succeeded' } })).toBe(1);
  });
});

describe('cash on delivery', () => {
  it('when the buyer chooses COD, then the order is diproses at once with a pending COD payment, recorded as paid when the buyer confirms receipt', async () => {
    const s = await setup();
    const res = await choose(s.agent, s.payUrl, 'cod');
    expect(res.headers.location).toBe(`${s.base}/checkouts/${s.checkoutId}`);
    expect(await orderStatus(s.orderId)).toBe('diproses');
    expect(await prisma.payment.findFirst({ where: { checkoutId: s.checkoutId } })).toMatchObject({ method: 'cod', status: 'pending' });

    const seller = await signedInAgent(app, s.m.sellerUser.username);
    let detail = await seller.get(`${s.base}/seller/orders/${s.orderId}`);
    await seller
      .post(`${s.base}/seller/orders/${s.orderId}/accept`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text) });
    detail = await seller.get(`${s.base}/seller/orders/${s.orderId}`);
    await seller
      .post(`${s.base}/seller/orders/${s.orderId}/ship`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), trackingNumber: 'JNE1234567890' });
    expect(await orderStatus(s.orderId)).toBe('dikirim');
    const mine = await s.agent.get(`${s.base}/orders/${s.orderId}`);
    await s.agent
      .post(`${s.base}/orders/${s.orderId}/confirm`)
      .type('form')
      .send({ _csrf: csrfFrom(mine.text) });

    expect(await orderStatus(s.orderId)).toBe('selesai');
    const cod = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId } });
    expect(cod).toMatchObject({ method: 'cod', status: 'succeeded', amount: s.order.total });
    expect(cod.paidAt).not.toBeNull();
  });

  it('when the buyer chooses COD, then nothing reads as paid until she receives it: the timeline, the seller card (COD), the held balance; then it is paid and available', async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'cod');

    const timeline = text((await s.agent.get(`${s.base}/orders/${s.orderId}`)).text);
    expect(timeline).toContain('Bayar di tempat (COD): dibayar tunai saat barang diterima');
    expect(timeline).not.toContain('Pembayaran diterima');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } })).paidAt).toBeNull();
    const seller = await signedInAgent(app, s.m.sellerUser.username);
    const list = await seller.get(`${s.base}/seller/orders?status=diproses`);
    expect(list.text).toContain('data-testid="cod-tag"');
    expect(text(list.text)).toMatch(/Saldo ditahan Rp 0 /);
    expect(await sellerBalance(s.m.shop.id)).toEqual({ held: 0, available: 0 });
    let detail = await seller.get(`${s.base}/seller/orders/${s.orderId}`);
    expect(text(detail.text)).toContain('belum dibayar');

    await seller
      .post(`${s.base}/seller/orders/${s.orderId}/accept`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text) });
    detail = await seller.get(`${s.base}/seller/orders/${s.orderId}`);
    await seller
      .post(`${s.base}/seller/orders/${s.orderId}/ship`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), trackingNumber: 'JNE1234567890' });
    expect(await sellerBalance(s.m.shop.id)).toEqual({ held: 0, available: 0 });
    const mine = await s.agent.get(`${s.base}/orders/${s.orderId}`);
    await s.agent
      .post(`${s.base}/orders/${s.orderId}/confirm`)
      .type('form')
      .send({ _csrf: csrfFrom(mine.text) });

    const received = text((await s.agent.get(`${s.base}/orders/${s.orderId}`)).text);
    expect(received).toContain('Pembayaran tunai (COD) diterima');
    expect(received).toContain('Dibayar dengan: Bayar di tempat (COD)');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: s.orderId } })).paidAt).not.toBeNull();
    expect(await sellerBalance(s.m.shop.id)).toEqual({ held: 0, available: s.order.total });
    expect(await prisma.orderEvent.count({ where: { orderId: s.orderId, action: 'codPaid' } })).toBe(1);
  });

  it('when a COD order is cancelled, then no refund is made and the COD payment is cancelled', async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'cod');
    const mine = await s.agent.get(`${s.base}/orders/${s.orderId}`);
    await s.agent
      .post(`${s.base}/orders/${s.orderId}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(mine.text), reason: '' });
    expect(await orderStatus(s.orderId)).toBe('dibatalkan');
    expect(await prisma.refund.count({ where: { orderId: s.orderId } })).toBe(0);
    expect((await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId } })).status).toBe('cancelled');
  });
});

describe('the boundary', () => {
  it('when someone else opens any payment URL, then it is a 404 (another buyer, a tutor, another workshop, signed out goes to login)', async () => {
    const s = await setup();
    await choose(s.agent, s.payUrl, 'va');
    await choose(s.agent, s.payUrl, 'qris');
    const qris = await prisma.payment.findFirstOrThrow({ where: { checkoutId: s.checkoutId, method: 'qris' } });
    const wallet = await s.agent.get(`${s.base}/simulasi/e-wallet?ref=${qris.providerRef}`);
    const paid = await s.agent
      .post(`${s.base}/simulasi/e-wallet`)
      .type('form')
      .send({ _csrf: csrfFrom(wallet.text), ref: qris.providerRef, pin: SIMULATED_PIN });
    const receipt = paid.headers.location as string;
    const urls = [
      s.payUrl,
      `${s.payUrl}/va`,
      `${s.payUrl}/qris`,
      `${s.payUrl}/qris.svg`,
      `${s.base}/simulasi/e-wallet?ref=${qris.providerRef}`,
      receipt,
    ];
    for (const url of urls) expect((await s.agent.get(url)).status, url).toBe(200);

    const otherBuyer = await signedInAgent(app, s.m.sellerUser.username);
    const tutor = await signedInAgent(app, s.m.tutor.username);
    const elsewhere = await makeWorkshop({ trainees: 1 });
    const outsider = await signedInAgent(app, elsewhere.trainees[0]!.username);
    for (const url of urls) {
      expect((await otherBuyer.get(url)).status, url).toBe(404);
      expect((await tutor.get(url)).status, url).toBe(404);
      expect((await outsider.get(url)).status, url).toBe(404);
      expect((await outsider.get(url.replace(s.base, `/workshops/${elsewhere.workshopId}`))).status, url).toBe(404);
      expect((await request(app).get(url)).status, url).toBe(303);
    }
    expect((await outsider.get(`/workshops/${s.m.workshopId}/simulasi/m-banking`)).status).toBe(404);
  });
});
