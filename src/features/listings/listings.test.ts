import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import {
  type Agent,
  hugePng,
  jpegWithGps,
  makeListing,
  makeShop,
  makeWorkshop,
  signedInAgent,
  smallPng,
  textPretendingToBeJpeg,
} from '../../test/builders/index.js';

const app = createApp();

type Seller = { agent: Agent; userId: number; workshopId: number; shop: { id: number; workshopId: number }; base: string };

async function seller(): Promise<Seller> {
  const { workshopId, trainees } = await makeWorkshop({ trainees: 2 });
  const user = trainees[0]!;
  const shop = await makeShop({ workshop: workshopId, owner: user });
  return { agent: await signedInAgent(app, user.username), userId: user.id, workshopId, shop, base: `/workshops/${workshopId}` };
}

const fields = {
  title: 'Pie Susu Bali Original isi 10',
  description: 'Pie susu renyah buatan rumah, isi 10 buah, tahan 7 hari di suhu ruang. Cocok untuk oleh-oleh.',
  price: '150.000',
  stock: '12',
  weightGrams: '350',
  minOrder: '1',
  condition: 'new',
  category: 'makanan-camilan',
};

function postListing(
  s: Seller,
  csrf: string,
  files: { bytes: Buffer; name: string }[],
  url = `${s.base}/shop/listings/new`,
  extra: Record<string, string> = {},
) {
  let req = s.agent.post(`${url}?_csrf=${encodeURIComponent(csrf)}`);
  for (const [key, value] of Object.entries({ ...fields, ...extra })) req = req.field(key, value);
  for (const file of files) req = req.attach('photos', file.bytes, file.name);
  return req;
}

const storedFile = (relative: string) => path.join(config.uploadDir, relative);

// The GPS IFD pointer tag (0x8825) in either byte order.
const hasGpsPointer = (exif: Buffer) => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

describe('listing photos', () => {
  let s: Seller;
  let csrf: string;
  beforeAll(async () => {
    s = await seller();
    csrf = await s.agent.csrf();
  });

  it('when a seller lists a product with a photo carrying EXIF and GPS, then the stored photo and thumbnail carry no metadata and are bounded', async () => {
    const photo = await jpegWithGps({ width: 2400, height: 1800 });
    const inputMeta = await sharp(photo).metadata();
    expect(inputMeta.exif && hasGpsPointer(inputMeta.exif)).toBe(true);

    const res = await postListing(s, csrf, [{ bytes: photo, name: 'IMG_0001.JPG' }]);
    expect(res.status).toBe(303);
    const listing = await prisma.listing.findFirstOrThrow({
      where: { workshopId: s.workshopId, title: fields.title },
      include: { photos: true },
    });
    expect(listing.price).toBe(150_000);
    expect(listing.photos).toHaveLength(1);
    const [stored] = listing.photos;
    for (const file of [stored!.path, stored!.thumbPath]) {
      const bytes = fs.readFileSync(storedFile(file));
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(file === stored!.path ? 1200 : 400);
    }
    expect(path.basename(stored!.path)).not.toContain('IMG_0001');

    const served = await s.agent.get(`/uploads/${stored!.thumbPath}`);
    expect(served.status).toBe(200);
    expect(served.headers['cache-control']).toContain('max-age=31536000');
  });

  it('when a ".jpg" file is really text, then the form comes back with 422, a clear message and every typed value', async () => {
    const before = await prisma.listing.count();
    const res = await postListing(s, csrf, [{ bytes: textPretendingToBeJpeg, name: 'foto.jpg' }], undefined, {
      title: 'Kacang Disco Bali Pedas 250 g',
    });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('File ini bukan foto JPG, PNG atau WebP');
    expect(res.text).toContain('value="Kacang Disco Bali Pedas 250 g"');
    expect(res.text).toContain('value="150.000"');
    expect(res.text).toContain(fields.description);
    expect(res.text).toMatch(/value="makanan-camilan" selected/);
    expect(await prisma.listing.count()).toBe(before);
  });

  it('when a PNG is renamed to .gif with a wrong mimetype, then it is judged by its content and accepted', async () => {
    const res = await s.agent
      .post(`${s.base}/shop/listings/new?_csrf=${encodeURIComponent(csrf)}`)
      .field({ ...fields, title: 'Kopi Kintamani Arabika Bubuk 200 g' })
      .attach('photos', await smallPng(), { filename: 'kopi.gif', contentType: 'image/gif' });
    expect(res.status).toBe(303);
  });

  it('when a photo has more pixels than a phone camera makes (27 MP, under the old 60 MP limit), then 422 names the 24-megapixel limit and keeps the typed values', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [{ bytes: await hugePng(), name: 'scan.png' }]);
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('paling besar 24 megapiksel');
    expect(res.text).toContain(`value="${fields.title}"`);
    expect(await prisma.listing.count({ where: { workshopId: s.workshopId } })).toBe(0);
  });

  it('when a photo is larger than 5 MB, then the form comes back with 422, the size message and the typed values', async () => {
    const big = Buffer.concat([await smallPng(), Buffer.alloc(5 * 1024 * 1024 + 10, 1)]);
    const res = await postListing(s, csrf, [{ bytes: big, name: 'besar.png' }], undefined, { title: 'Keranjang Ata Anyaman Besar' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('paling besar 5 MB per foto');
    expect(res.text).toContain('value="Keranjang Ata Anyaman Besar"');
  });

  it('when six photos are sent, then the form comes back with 422 and the "at most 5" message', async () => {
    const png = await smallPng();
    const res = await postListing(
      s,
      csrf,
      Array.from({ length: 6 }, (_, i) => ({ bytes: png, name: `f${i}.png` })),
      undefined,
      { title: 'Dupa Bali Aroma Cendana isi 50' },
    );
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('paling banyak 5 foto');
    expect(res.text).toContain('value="Dupa Bali Aroma Cendana isi 50"');
  });

  it('when a listing has 4 photos and 2 more are added, then the edit is refused with 422 and nothing changes', async () => {
    const png = await smallPng();
    const created = await postListing(
      s,
      csrf,
      Array.from({ length: 4 }, (_, i) => ({ bytes: png, name: `f${i}.png` })),
      undefined,
      { title: 'Canang Sari Set Isi 20 Buah' },
    );
    expect(created.status).toBe(303);
    const listing = await prisma.listing.findFirstOrThrow({ where: { title: 'Canang Sari Set Isi 20 Buah' } });
    const res = await postListing(
      s,
      csrf,
      [png, png].map((bytes, i) => ({ bytes, name: `g${i}.png` })),
      `${s.base}/shop/listings/${listing.id}/edit`,
      { title: 'Canang Sari Set Isi 20 Buah' },
    );
    expect(res.status).toBe(422);
    expect(await prisma.listingPhoto.count({ where: { listingId: listing.id } })).toBe(4);
  });

  it('when a photo is ticked for removal on edit, then its row and its files are gone and the rest is renumbered', async () => {
    const png = await smallPng();
    await postListing(
      s,
      csrf,
      [png, png].map((bytes, i) => ({ bytes, name: `h${i}.png` })),
      undefined,
      { title: 'Perak Celuk Anting Bunga Jepun' },
    );
    const listing = await prisma.listing.findFirstOrThrow({
      where: { title: 'Perak Celuk Anting Bunga Jepun' },
      include: { photos: { orderBy: { position: 'asc' } } },
    });
    const [first, second] = listing.photos;
    const res = await postListing(s, csrf, [], `${s.base}/shop/listings/${listing.id}/edit`, {
      title: 'Perak Celuk Anting Bunga Jepun',
      removePhotoIds: String(first!.id),
    });
    expect(res.status).toBe(303);
    const photos = await prisma.listingPhoto.findMany({ where: { listingId: listing.id } });
    expect(photos.map((p) => [p.id, p.position])).toEqual([[second!.id, 0]]);
    expect(fs.existsSync(storedFile(first!.path))).toBe(false);
    expect(fs.existsSync(storedFile(first!.thumbPath))).toBe(false);
    expect(fs.existsSync(storedFile(second!.path))).toBe(true);
  });
});

describe('listing CRUD and visibility', () => {
  it('when the price is typed as "Rp 75.000" and the stock as "1.000", then they are stored as integers and the search text is normalized', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [], undefined, {
      title: 'Kain Tenun Ikat Sumbâ Édition',
      price: 'Rp 75.000',
      stock: '1.000',
    });
    expect(res.status).toBe(303);
    const listing = await prisma.listing.findFirstOrThrow({ where: { workshopId: s.workshopId } });
    expect(listing).toMatchObject({ price: 75_000, stock: 1000, searchText: expect.stringContaining('kain tenun ikat sumba edition') });
  });

  it('when the price is not a number, then 422 with the price message and the values kept', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [], undefined, { price: 'seratus ribu' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Tulis harga dengan angka');
    expect(res.text).toContain('value="seratus ribu"');
  });

  it('when a listing is new without photo, then the seller lands on its edit page with the coach hints', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [], undefined, { title: 'Kopi' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\/shop\/listings\/\d+\/edit$/);
    const page = await s.agent.get(res.headers.location!);
    expect(text(page.text)).toContain('Nama produk terlalu pendek');
    expect(text(page.text)).toContain('Belum ada foto');
    const mine = await s.agent.get(`${s.base}/shop`);
    expect(text(mine.text)).toContain('Belum ada foto');
  });

  it('when the seller edits a listing, then the fields and the search text change', async () => {
    const s = await seller();
    const { id } = await makeListing({ shop: s.shop });
    const res = await postListing(s, await s.agent.csrf(), [], `${s.base}/shop/listings/${id}/edit`, {
      title: 'Kopi Kintamani Natural Process',
      price: '95.000',
    });
    expect(res.status).toBe(303);
    const listing = await prisma.listing.findUniqueOrThrow({ where: { id } });
    expect(listing).toMatchObject({ title: 'Kopi Kintamani Natural Process', price: 95_000 });
    expect(listing.searchText).toContain('kopi kintamani natural process');
  });

  it('when the seller hides a listing, then it leaves the catalogue and its page is 404 for others, and comes back when shown', async () => {
    const s = await seller();
    const { id } = await makeListing({ shop: s.shop, title: 'Tas Anyaman Ata Lombok Bulat' });
    const { trainees } = {
      trainees: await prisma.membership.findMany({
        where: { workshopId: s.workshopId, role: 'trainee', userId: { not: s.userId } },
        include: { user: true },
      }),
    };
    const buyer = await signedInAgent(app, trainees[0]!.user.username);
    const csrf = await s.agent.csrf();

    expect((await s.agent.post(`${s.base}/shop/listings/${id}/visibility`).type('form').send({ _csrf: csrf, hidden: '1' })).status).toBe(
      303,
    );
    expect(text((await buyer.get(`${s.base}/catalog`)).text)).not.toContain('Tas Anyaman Ata');
    expect((await buyer.get(`${s.base}/catalog/${id}`)).status).toBe(404);
    const own = await s.agent.get(`${s.base}/catalog/${id}`);
    expect(own.status).toBe(200);
    expect(text(own.text)).toContain('Disembunyikan');
    expect(text((await s.agent.get(`${s.base}/shop`)).text)).toContain('Tas Anyaman Ata');

    await s.agent.post(`${s.base}/shop/listings/${id}/visibility`).type('form').send({ _csrf: csrf, hidden: '0' });
    expect(text((await buyer.get(`${s.base}/catalog`)).text)).toContain('Tas Anyaman Ata');
  });

  it('when the seller deletes a listing, then it is soft-deleted, vanishes from the catalogue, my shop and its pages', async () => {
    const s = await seller();
    const { id } = await makeListing({ shop: s.shop, title: 'Endek Sutra Motif Cepuk' });
    const res = await s.agent
      .post(`${s.base}/shop/listings/${id}/delete`)
      .type('form')
      .send({ _csrf: await s.agent.csrf() });
    expect(res.status).toBe(303);
    const listing = await prisma.listing.findUniqueOrThrow({ where: { id } });
    expect(listing.deletedAt).not.toBeNull();
    expect(text((await s.agent.get(`${s.base}/catalog`)).text)).not.toContain('Endek Sutra');
    expect(text((await s.agent.get(`${s.base}/shop`)).text)).not.toContain('Endek Sutra');
    expect((await s.agent.get(`${s.base}/catalog/${id}`)).status).toBe(404);
    expect((await s.agent.get(`${s.base}/shop/listings/${id}/edit`)).status).toBe(404);
  });

  it('when another trainee of the same workshop tries to edit, hide or delete a listing, then 403 and nothing changes', async () => {
    const s = await seller();
    const { id } = await makeListing({ shop: s.shop });
    const other = await prisma.membership.findFirstOrThrow({
      where: { workshopId: s.workshopId, role: 'trainee', userId: { not: s.userId } },
      include: { user: true },
    });
    const agent = await signedInAgent(app, other.user.username);
    await makeShop({ workshop: s.workshopId, owner: other.userId, name: 'Toko Lain' });
    const csrf = await agent.csrf();
    expect((await agent.get(`${s.base}/shop/listings/${id}/edit`)).status).toBe(403);
    expect((await agent.post(`${s.base}/shop/listings/${id}/visibility`).type('form').send({ _csrf: csrf, hidden: '1' })).status).toBe(403);
    expect((await agent.post(`${s.base}/shop/listings/${id}/delete`).type('form').send({ _csrf: csrf })).status).toBe(403);
    expect(await prisma.listing.findUniqueOrThrow({ where: { id } })).toMatchObject({ hidden: false, deletedAt: null });
  });

  it('when a trainee without a shop opens the new listing page and posts, then the post is refused with 403', async () => {
    const { workshopId, trainees } = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, trainees[0]!.username);
    const res = await agent
      .post(`/workshops/${workshopId}/shop/listings/new?_csrf=${encodeURIComponent(await agent.csrf())}`)
      .field(fields);
    expect(res.status).toBe(403);
  });
});

describe('listing rules', () => {
  it.each(['0', '00', 'Rp 0', 'Rp 0.000'])(
    'when the price is typed as "%s", then 422 says a listing must cost more than Rp 0 and nothing is stored',
    async (price) => {
      const s = await seller();
      const res = await postListing(s, await s.agent.csrf(), [], undefined, { price });
      expect(res.status).toBe(422);
      expect(text(res.text)).toContain('Harga harus lebih dari Rp 0');
      expect(await prisma.listing.count({ where: { workshopId: s.workshopId } })).toBe(0);
    },
  );

  it('when the weight is 0 grams, then 422 says at least 1 gram and nothing is stored', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [], undefined, { weightGrams: '0' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Berat minimal 1 gram');
    expect(await prisma.listing.count({ where: { workshopId: s.workshopId } })).toBe(0);
  });

  it('when a title or description carries NUL or right-to-left override characters, then they are stored without them', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [], undefined, {
      title: 'Kopi\u0000 Bali \u202eilab\u202c Asli\u2066',
      description: 'Baris satu\r\nbaris\u0007 dua \u200f',
    });
    expect(res.status).toBe(303);
    const listing = await prisma.listing.findFirstOrThrow({ where: { workshopId: s.workshopId } });
    expect(listing.title).toBe('Kopi Bali ilab Asli');
    expect(listing.description).toBe('Baris satu\nbaris dua');
  });

  it('when the minimum order is above the stock, then 422 on the minimum order field', async () => {
    const s = await seller();
    const res = await postListing(s, await s.agent.csrf(), [], undefined, { stock: '3', minOrder: '5' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Minimal beli tidak boleh lebih dari stok');
  });

  it('when two open-shop requests race, then one shop is made and the other gets the "already open" form', async () => {
    const { workshopId, trainees } = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, trainees[0]!.username);
    const csrf = await agent.csrf();
    const post = (name: string) =>
      agent.post(`/workshops/${workshopId}/shop/new?_csrf=${encodeURIComponent(csrf)}`).field({ name, city: 'Denpasar', description: '' });
    const results = await Promise.all([post('Toko Balapan Satu'), post('Toko Balapan Dua')]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 422]);
    expect(await prisma.shop.count({ where: { workshopId } })).toBe(1);
  });
});
