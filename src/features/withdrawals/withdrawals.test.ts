// "Tarik saldo" over HTTP: only the available balance, never more, never twice at once, a
// processing step on the workshop's clock, and a receipt stamped SIMULASI.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, makeMarketplace, makeOrderUpTo, type Marketplace, signedInAgent } from '../../test/builders/index.js';
import { sellerBalance } from '../orders/orders.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const account = { bankName: 'BCA', accountNumber: '1234 5678 90', accountHolder: 'Siti Aminah' };

/** A seller with one received order (available) and one shipped order (held). */
async function sellerWithSales() {
  const m = await makeMarketplace();
  const received = await makeOrderUpTo(m, 'selesai');
  const shipped = await makeOrderUpTo(m, 'dikirim');
  const total = async (orderId: number) => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).total;
  const seller = await signedInAgent(app, m.sellerUser);
  return { m, seller, available: await total(received.orderId), held: await total(shipped.orderId) };
}

const balanceUrl = (m: Marketplace) => `/workshops/${m.workshopId}/shop/balance`;

async function withdraw(agent: Agent, m: Marketplace, amount: number | string) {
  const page = await agent.get(balanceUrl(m));
  return agent
    .post(`${balanceUrl(m)}/withdraw`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), amount: String(amount), ...account });
}

describe('the seller balance page', () => {
  it('when a seller has a received order and a shipped one, then the page shows what is available and what is held, and the form offers the available amount', async () => {
    const s = await sellerWithSales();
    const page = await s.seller.get(balanceUrl(s.m));
    expect(page.status).toBe(200);
    const body = text(page.text);
    expect(body).toContain('Saldo dan penarikan');
    expect(page.text).toMatch(new RegExp(`data-testid="balance-available">Rp ${(s.available / 1000).toFixed(3)}`));
    expect(page.text).toMatch(new RegExp(`data-testid="balance-held">Rp ${(s.held / 1000).toFixed(3)}`));
    expect(page.text).toContain(`name="amount" type="text" value="${s.available}"`);
    expect(body).toContain('Belum pernah menarik saldo');
  });

  it('when the seller order list is opened, then it links to the balance page', async () => {
    const s = await sellerWithSales();
    const list = await s.seller.get(`/workshops/${s.m.workshopId}/seller/orders`);
    expect(list.text).toContain(`href="${balanceUrl(s.m)}"`);
    expect(text(list.text)).toContain('Saldo dan tarik saldo');
  });
});

describe('withdrawing', () => {
  it('when the seller withdraws her available balance, then she lands on a receipt stamped SIMULASI, processing, and her balance page lists it with nothing left to withdraw', async () => {
    const s = await sellerWithSales();
    const res = await withdraw(s.seller, s.m, s.available);
    expect(res.status).toBe(303);
    const withdrawal = await prisma.withdrawal.findFirstOrThrow({ where: { shopId: s.m.shop.id } });
    expect(res.headers.location).toBe(`${balanceUrl(s.m)}/${withdrawal.id}`);
    expect(withdrawal).toMatchObject({ amount: s.available, bankName: 'BCA', accountNumber: '1234567890', status: 'processing' });

    const receipt = await s.seller.get(res.headers.location!);
    const body = text(receipt.text);
    expect(body).toContain('SIMULASI');
    expect(body).toContain('Bukti penarikan dana');
    expect(body).toContain('Diproses bank');
    expect(body).toContain('••••••7890');
    expect(body).not.toContain('1234567890');
    expect(body).toContain(withdrawal.reference);

    expect(await sellerBalance(s.m.shop.id)).toEqual({ held: s.held, available: 0 });
    const page = text((await s.seller.get(balanceUrl(s.m))).text);
    expect(page).toContain('Riwayat penarikan');
    expect(page).toContain('Diproses bank');
    expect(page).toContain('Belum ada saldo yang bisa ditarik');
  });

  it('when the seller asks for more than the available balance (the held money included), then 422 says so and nothing is withdrawn', async () => {
    const s = await sellerWithSales();
    const res = await withdraw(s.seller, s.m, s.available + 1);
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Jumlah lebih besar dari saldo tersedia');
    expect(res.text).toContain('value="Siti Aminah"');
    expect(await prisma.withdrawal.count({ where: { shopId: s.m.shop.id } })).toBe(0);
  });

  it('when a seller has only held money, then there is no form and a posted withdrawal is refused', async () => {
    const m = await makeMarketplace();
    await makeOrderUpTo(m, 'dikirim');
    const seller = await signedInAgent(app, m.sellerUser);
    const page = await seller.get(balanceUrl(m));
    expect(text(page.text)).toContain('Belum ada saldo yang bisa ditarik');
    expect(page.text).not.toContain(`action="${balanceUrl(m)}/withdraw"`);
    const res = await withdraw(seller, m, 10_000);
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Jumlah lebih besar dari saldo tersedia');
    expect(await prisma.withdrawal.count({ where: { shopId: m.shop.id } })).toBe(0);
  });

  // Repeated: the race is a matter of timing. With the service's reads in the old order (balance,
  // then seq) 3 of 4 runs of this failed on PostgreSQL; two sends and no repeat failed once in CI.
  it(
    'when three withdrawals of the whole balance are sent at the same moment, then one is made and the others refused, and the balance never goes below zero',
    { repeats: 10 },
    async () => {
      const s = await sellerWithSales();
      const page = await s.seller.get(balanceUrl(s.m));
      const send = () =>
        s.seller
          .post(`${balanceUrl(s.m)}/withdraw`)
          .type('form')
          .send({ _csrf: csrfFrom(page.text), amount: String(s.available), ...account });
      const results = await Promise.all([send(), send(), send()]);
      const made = results.filter((r) => r.status === 303 && /\/shop\/balance\/\d+$/.test(r.headers.location ?? ''));
      expect(made).toHaveLength(1);
      // Each other one read the balance after the first (422, "more than available"), or raced it
      // for the same row number and was sent back to the balance page with a message.
      for (const refused of results.filter((r) => r !== made[0])) {
        if (refused.status === 422) expect(text(refused.text)).toContain('Jumlah lebih besar dari saldo tersedia');
        else expect([refused.status, refused.headers.location]).toEqual([303, balanceUrl(s.m)]);
      }
      expect(await prisma.withdrawal.count({ where: { shopId: s.m.shop.id } })).toBe(1);
      expect((await sellerBalance(s.m.shop.id)).available).toBe(0);
    },
  );

  it('when the amount is below Rp 10.000 or the account number has letters, then 422 with the field messages', async () => {
    const s = await sellerWithSales();
    const page = await s.seller.get(balanceUrl(s.m));
    const res = await s.seller
      .post(`${balanceUrl(s.m)}/withdraw`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), amount: '5.000', bankName: 'BCA', accountNumber: 'abc123', accountHolder: 'Siti' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Penarikan minimal Rp 10.000');
    expect(text(res.text)).toContain('Nomor rekening 6–20 angka');
    expect(await prisma.withdrawal.count({ where: { shopId: s.m.shop.id } })).toBe(0);
  });

  it("when someone else opens a seller's receipt or a tutor tries to withdraw, then 404 and 403", async () => {
    const s = await sellerWithSales();
    await withdraw(s.seller, s.m, s.available);
    const withdrawal = await prisma.withdrawal.findFirstOrThrow({ where: { shopId: s.m.shop.id } });
    const buyer = await signedInAgent(app, s.m.buyerUser);
    expect((await buyer.get(`${balanceUrl(s.m)}/${withdrawal.id}`)).status).toBe(404);
    const tutor = await signedInAgent(app, s.m.tutor);
    const res = await withdraw(tutor, s.m, 10_000);
    expect(res.status).toBe(403);
  });
});

describe('a withdrawal on the training clock', () => {
  it('when its processing time has not passed, then it stays processing; when the tutor moves the clock an hour, then the money has arrived', async () => {
    const s = await sellerWithSales();
    const made = await withdraw(s.seller, s.m, s.available);
    const receiptUrl = made.headers.location!;
    expect(text((await s.seller.get(receiptUrl)).text)).toContain('Perkiraan dana masuk');

    const tutor = await signedInAgent(app, s.m.tutor);
    const market = await tutor.get(`/workshops/${s.m.workshopId}/market`);
    const moved = await tutor
      .post(`/workshops/${s.m.workshopId}/market/clock`)
      .type('form')
      .send({ _csrf: csrfFrom(market.text), step: 'hour' });
    expect(moved.status).toBe(303);

    const withdrawal = await prisma.withdrawal.findFirstOrThrow({ where: { shopId: s.m.shop.id } });
    expect(withdrawal.status).toBe('completed');
    expect(withdrawal.completedAt).toEqual(withdrawal.completesAt);
    const receipt = text((await s.seller.get(receiptUrl)).text);
    expect(receipt).toContain('Dana masuk');
    expect(receipt).not.toContain('Perkiraan dana masuk');
  });
});
