import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { type Agent, ctxOf, makeListing, makeReviewedOrder, makeShop, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { PAGE_SIZE, searchCatalog } from './catalog.service.js';
import { catalogQuerySchema } from './catalog.schemas.js';

const app = createApp();

let workshopId: number;
let buyerId: number;
let buyer: Agent;
let seller: Agent;
let base: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  const w = await makeWorkshop({ trainees: 2 });
  workshopId = w.workshopId;
  buyerId = w.trainees[1]!.id;
  base = `/workshops/${workshopId}`;
  const shop = await makeShop({ workshop: workshopId, owner: w.trainees[0]!, name: 'Kopi Bu Made' });
  ids.kopi = (
    await makeListing({
      shop,
      title: 'KOPI Arabika Kintamani Bubuk',
      description: 'Kopi dari Kintamani',
      price: 85_000,
      category: 'minuman-kopi',
    })
  ).id;
  ids.cafe = (
    await makeListing({ shop, title: 'Café Bali Crème Spesial', description: 'Kopi susu', price: 25_000, category: 'minuman-kopi' })
  ).id;
  ids.pie = (
    await makeListing({
      shop,
      title: 'Pie Susu Dhian isi 10',
      description: 'Camilan manis khas Bali',
      price: 40_000,
      category: 'makanan-camilan',
    })
  ).id;
  ids.endek = (
    await makeListing({ shop, title: 'Kain Endek Mastuli', description: 'Tenun Gianyar', price: 450_000, category: 'kain-tenun' })
  ).id;
  buyer = await signedInAgent(app, w.trainees[1]!.username);
  seller = await signedInAgent(app, w.trainees[0]!.username);
});

const titlesOf = (html: string) => [...html.matchAll(/<span class="product-title">([^<]*)<\/span>/g)].map((m) => m[1]);

describe('catalogue search, filter and sort', () => {
  it.each([
    ['kopi', ['Café Bali Crème Spesial', 'KOPI Arabika Kintamani Bubuk']],
    ['KINTAMANI', ['KOPI Arabika Kintamani Bubuk']],
    ['cafe creme', ['Café Bali Crème Spesial']],
    ['CAFÉ', ['Café Bali Crème Spesial']],
    ['  pie   SUSU ', ['Pie Susu Dhian isi 10']],
    ['tenun', ['Kain Endek Mastuli']],
    ['rendang', []],
    ['%', []],
    ['_', []],
  ])(
    'when a buyer searches "%s", then the catalogue shows %j (case and accents ignored, every word in any order, description searched)',
    async (q, expected) => {
      const res = await buyer.get(`${base}/catalog`).query({ q });
      expect(res.status).toBe(200);
      expect(titlesOf(res.text).sort()).toEqual([...expected].sort());
    },
  );

  it('when a category is chosen, then only its listings show', async () => {
    const res = await buyer.get(`${base}/catalog?category=minuman-kopi`);
    expect(titlesOf(res.text).sort()).toEqual(['Café Bali Crème Spesial', 'KOPI Arabika Kintamani Bubuk']);
  });

  it('when sorted by price, then low-high and high-low order the cards; newest is the default', async () => {
    expect(titlesOf((await buyer.get(`${base}/catalog?sort=price-asc`)).text)).toEqual([
      'Café Bali Crème Spesial',
      'Pie Susu Dhian isi 10',
      'KOPI Arabika Kintamani Bubuk',
      'Kain Endek Mastuli',
    ]);
    expect(titlesOf((await buyer.get(`${base}/catalog?sort=price-desc`)).text)).toEqual([
      'Kain Endek Mastuli',
      'KOPI Arabika Kintamani Bubuk',
      'Pie Susu Dhian isi 10',
      'Café Bali Crème Spesial',
    ]);
    expect(titlesOf((await buyer.get(`${base}/catalog`)).text)).toEqual([
      'Kain Endek Mastuli',
      'Pie Susu Dhian isi 10',
      'Café Bali Crème Spesial',
      'KOPI Arabika Kintamani Bubuk',
    ]);
  });

  it('when the query string is nonsense, then the catalogue falls back to the defaults instead of failing', async () => {
    const res = await buyer.get(`${base}/catalog?sort=drop&category=x&page=-3&q[]=a`);
    expect(res.status).toBe(200);
    expect(titlesOf(res.text)).toHaveLength(4);
  });

  it('when a card is shown, then it has the price as Rupiah, the shop name, the city and the rating from reviews', async () => {
    await makeReviewedOrder({ listing: ids.pie!, buyer: buyerId, rating: 5, text: 'Enak sekali!' });
    await makeReviewedOrder({ listing: ids.pie!, buyer: buyerId, rating: 4, text: 'Lumayan', reply: 'Terima kasih, Bu!' });
    const page = text((await buyer.get(`${base}/catalog?q=pie`)).text);
    expect(page).toContain('Rp 40.000');
    expect(page).toContain('Kopi Bu Made');
    expect(page).toContain('Denpasar');
    expect(page).toContain('★ 4.5 (2)');
  });
});

describe('catalogue pagination', () => {
  it('when a workshop has 30 listings, then page 1 shows 24, page 2 shows 6, and a page past the end shows the last page', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const owner = w.trainees[0]!;
    const shop = await makeShop({ workshop: w.workshop, owner });
    for (let i = 0; i < 30; i++) await makeListing({ shop, title: `Produk nomor ${String(i).padStart(2, '0')} untuk halaman` });
    const ctx = await ctxOf({ workshop: w.workshop, user: owner });
    const first = await searchCatalog(ctx, catalogQuerySchema.parse({}));
    expect(first).toMatchObject({ total: 30, page: 1, pages: 2 });
    expect(first.cards).toHaveLength(PAGE_SIZE);
    const second = await searchCatalog(ctx, catalogQuerySchema.parse({ page: '2' }));
    expect(second.cards).toHaveLength(6);
    expect(new Set([...first.cards, ...second.cards].map((c) => c.id)).size).toBe(30);
    expect((await searchCatalog(ctx, catalogQuerySchema.parse({ page: '9' }))).page).toBe(2);

    const agent = await signedInAgent(app, owner.username);
    const html = (await agent.get(`/workshops/${w.workshopId}/catalog?q=produk`)).text;
    expect(html).toContain(`href="/workshops/${w.workshopId}/catalog?q=produk&amp;page=2"`);
    expect(text(html)).toContain('Halaman 1 dari 2');
  });
});

describe('product page', () => {
  it('when a buyer opens a product, then they see photos area, price, stock, condition, weight, minimum order, the shop link, the rating, reviews with the reply and the add-to-cart form', async () => {
    const res = await buyer.get(`${base}/catalog/${ids.pie}`);
    expect(res.status).toBe(200);
    const page = text(res.text);
    for (const expected of [
      'Pie Susu Dhian isi 10',
      'Rp 40.000',
      'Baru',
      '400 gram',
      'Minimal beli',
      'Kopi Bu Made',
      'Enak sekali!',
      'Balasan penjual',
      'Terima kasih, Bu!',
      'Ulasan (2)',
    ]) {
      expect(page).toContain(expected);
    }
    expect(res.text).toContain(`action="/workshops/${workshopId}/cart/items"`);
    const shop = await prisma.shop.findFirstOrThrow({ where: { workshopId } });
    expect(res.text).toContain(`href="${base}/shops/${shop.id}"`);
  });

  it('when the seller opens their own product, then it says "this is your product" and offers no add-to-cart form', async () => {
    const res = await seller.get(`${base}/catalog/${ids.pie}`);
    expect(text(res.text)).toContain('Ini produk Anda.');
    expect(res.text).not.toContain('/cart/items');
  });

  it('when an id is not a number or does not exist, then 404', async () => {
    expect((await buyer.get(`${base}/catalog/abc`)).status).toBe(404);
    expect((await buyer.get(`${base}/catalog/999999`)).status).toBe(404);
  });
});

describe('catalogue pages kept in memory', () => {
  // Written straight to the database, as another app instance or any other code would: the
  // triggers move the workshop's catalogVersion, so no page shown afterwards is stale.
  it('when anything on a card changes, in whatever way, then the next catalogue page shows it; buying (stock) keeps the cached pages', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const [owner, reader] = w.trainees;
    const shop = await makeShop({ workshop: w.workshop, owner: owner!, name: 'Tenun Ibu Ayu' });
    const { id: listingId } = await makeListing({ shop, title: 'Selendang Songket', price: 150_000 });
    const agent = await signedInAgent(app, reader!.username);
    const page = async () => text((await agent.get(`/workshops/${w.workshopId}/catalog`)).text);
    const version = async () => (await prisma.workshop.findUniqueOrThrow({ where: { id: w.workshopId } })).catalogVersion;

    expect(await page()).toContain('Selendang Songket');
    await prisma.listing.update({ where: { id: listingId }, data: { title: 'Selendang Songket Emas' } });
    expect(await page()).toContain('Selendang Songket Emas');
    await prisma.listing.update({ where: { id: listingId }, data: { price: 175_000 } });
    expect(await page()).toContain('Rp 175.000');
    await prisma.shop.update({ where: { id: shop.id }, data: { name: 'Songket Ibu Ayu', city: 'Klungkung' } });
    expect(await page()).toMatch(/Songket Ibu Ayu Klungkung/);

    const html = async () => (await agent.get(`/workshops/${w.workshopId}/catalog`)).text;
    expect(await html()).toContain('thumb-empty');
    await prisma.listingPhoto.create({
      data: {
        workshopId: w.workshopId,
        listingId,
        path: 'listings/x.webp',
        thumbPath: 'listings/x-t.webp',
        width: 10,
        height: 10,
        position: 0,
      },
    });
    expect(await html()).toContain('src="/uploads/listings/x-t.webp"');

    const before = await version();
    await prisma.listing.update({ where: { id: listingId }, data: { stock: { decrement: 1 } } });
    expect(await version()).toBe(before);

    await prisma.listing.update({ where: { id: listingId }, data: { hidden: true } });
    expect(await page()).not.toContain('Selendang');
    await prisma.listing.update({ where: { id: listingId }, data: { hidden: false } });
    expect(await page()).toContain('Selendang Songket Emas');
    await prisma.listing.delete({ where: { id: listingId } });
    expect(await page()).not.toContain('Selendang');
    expect(await version()).toBeGreaterThan(before);
  });
});
