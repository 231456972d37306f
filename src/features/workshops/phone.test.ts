// The phone (issue 12): a compact top bar and a bottom tab bar, one set of seller words, the seller
// list opening where there are orders, one unit for the weight, and a wrong join code said at once.
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { projectRoot } from '../../config.js';
import { getT } from '../../i18n/index.js';
import { createTemplates } from '../../http/render.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { makeMarketplace, makeOrder, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { prisma } from '../../db.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const tabsOf = (html: string) => [...html.matchAll(/data-tab="(\w+)"( aria-current="page")?/g)].map((m) => (m[2] ? `[${m[1]}]` : m[1]));

describe('the tab bar', () => {
  it('when a trainee opens her pages, then five tabs (home, catalogue, cart, orders, shop) mark where she is; "Ganti pelatihan" appears only once she is in a second workshop', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const trainee = await signedInAgent(app, w.trainees[0]!.username);
    const base = `/workshops/${w.workshopId}`;
    const home = await trainee.get(base);
    expect(tabsOf(home.text)).toEqual(['[home]', 'catalog', 'cart', 'orders', 'shop']);
    expect(text(home.text)).toContain('Beranda Katalog Keranjang Pesanan Toko');
    expect(tabsOf((await trainee.get(`${base}/cart`)).text)).toEqual(['home', 'catalog', '[cart]', 'orders', 'shop']);
    expect(tabsOf((await trainee.get(`${base}/seller/orders`)).text)).toEqual(['home', 'catalog', 'cart', 'orders', '[shop]']);
    expect(text(home.text)).not.toContain('Ganti pelatihan');

    const second = await makeWorkshop({ trainees: 0 });
    await prisma.membership.create({ data: { workshopId: second.workshopId, userId: w.trainees[0]!.id, role: 'trainee' } });
    expect(text((await trainee.get(base)).text)).toContain('Ganti pelatihan');
  });

  it('when staff open a workshop, then their tabs lead to the progress board, the tools and the questionnaires', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const tutor = await signedInAgent(app, w.tutor.username);
    expect(tabsOf((await tutor.get(`/workshops/${w.workshopId}/progress`)).text)).toEqual([
      'home',
      'catalog',
      '[progress]',
      'tools',
      'forms',
    ]);
  });

  it('when a tab has an unread count, then it shows a badge (the slot chat will fill), and none without one', () => {
    const templates = createTemplates(path.join(projectRoot, 'views'), false);
    const locals = { t: getT('id'), ctx: { workshopId: 7, role: 'trainee' }, currentPath: '/workshops/7/orders' };
    const withBadge = templates.render('partials/tab-bar', { ...locals, tabBadges: { orders: 3 } });
    expect(withBadge).toContain('<span class="tab-badge" data-badge="orders">3<span class="visually-hidden"> belum dibaca</span></span>');
    expect(templates.render('partials/tab-bar', locals)).not.toContain('tab-badge');
  });
});

describe('the seller pages', () => {
  it('when the seller has no order to process but one awaiting payment, then her list opens on that tab, named with the one seller word', async () => {
    const m = await makeMarketplace();
    await makeOrder({ buyer: m.buyer, listing: m.listing });
    const seller = await signedInAgent(app, m.sellerUser.username);
    const list = await seller.get(`/workshops/${m.workshopId}/seller/orders`);
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/href="[^"]*status=menunggu_pembayaran"[^>]*aria-current="page"/);
    expect(text(list.text)).toContain('Penjualan');
    const shop = text((await seller.get(`/workshops/${m.workshopId}/shop`)).text);
    expect(shop).toContain('Lihat penjualan');
    for (const old of ['Pesanan toko', 'Pesanan dan saldo', 'Penjualan toko']) expect(shop).not.toContain(old);
  });

  it('when a product page shows the weight, then it says the unit once', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser.username);
    const page = text((await buyer.get(`/workshops/${m.workshopId}/catalog/${m.listing.id}`)).text);
    expect(page).toContain('Berat 400 gram');
    expect(page).not.toContain('Berat (gram)');
  });
});

describe('joining', () => {
  it('when the code is wrong and the other fields are too, then the first answer already says the code is wrong', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/join');
    const res = await agent
      .post('/join')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: 'ZZZ ZZZ', displayName: '', username: '', password: '' });
    expect(res.status).toBe(422);
    const shown = text(res.text);
    expect(shown).toContain('Kode ini tidak ditemukan');
    expect(shown).toContain('Terlalu pendek.'); // the name, in the same answer
  });
});
