import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import {
  jpegWithGps,
  makeListing,
  makeReviewedOrder,
  makeShop,
  makeWorkshop,
  signedInAgent,
  textPretendingToBeJpeg,
} from '../../test/builders/index.js';

const app = createApp();

async function trainee() {
  const w = await makeWorkshop({ trainees: 2 });
  const user = w.trainees[0]!;
  const agent = await signedInAgent(app, user.username);
  return { ...w, user, agent, base: `/workshops/${w.workshopId}`, csrf: await agent.csrf() };
}

describe('opening and editing a shop', () => {
  it('when a trainee opens a shop with a logo, then the shop exists with a stripped logo and "my shop" shows it with the orders link', async () => {
    const t = await trainee();
    expect(text((await t.agent.get(`${t.base}/shop`)).text)).toContain('Anda belum punya toko');
    const res = await t.agent
      .post(`${t.base}/shop/new?_csrf=${encodeURIComponent(t.csrf)}`)
      .field({ name: 'Tenun Ibu Sari', city: 'Gianyar', description: 'Endek dari Sidemen' })
      .attach('logo', await jpegWithGps({ width: 800, height: 800 }), 'logo.jpg');
    expect(res.status).toBe(303);
    const shop = await prisma.shop.findFirstOrThrow({ where: { workshopId: t.workshopId, ownerId: t.user.id } });
    expect(shop).toMatchObject({ name: 'Tenun Ibu Sari', city: 'Gianyar' });
    const logo = fs.readFileSync(path.join(config.uploadDir, shop.logoPath!));
    expect((await sharp(logo).metadata()).exif).toBeUndefined();

    const mine = await t.agent.get(`${t.base}/shop`);
    expect(text(mine.text)).toContain('Tenun Ibu Sari');
    expect(mine.text).toContain(`href="${t.base}/seller/orders"`);
    expect(text(mine.text)).toContain('Lihat penjualan');
  });

  it('when a trainee tries to open a second shop, then the form says they already have one and no shop is added', async () => {
    const t = await trainee();
    await makeShop({ workshop: t.workshop, owner: t.user, name: 'Toko Pertama' });
    expect((await t.agent.get(`${t.base}/shop/new`)).status).toBe(303);
    const res = await t.agent
      .post(`${t.base}/shop/new?_csrf=${encodeURIComponent(t.csrf)}`)
      .field({ name: 'Toko Kedua', city: 'Denpasar', description: '' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('sudah punya toko');
    expect(await prisma.shop.count({ where: { workshopId: t.workshopId, ownerId: t.user.id } })).toBe(1);
  });

  it('when the shop name is taken in the workshop, or the logo is not an image, then 422 with the values kept', async () => {
    const t = await trainee();
    await makeShop({ workshop: t.workshop, owner: t.trainees[1]!, name: 'Kopi Kintamani' });
    const taken = await t.agent
      .post(`${t.base}/shop/new?_csrf=${encodeURIComponent(t.csrf)}`)
      .field({ name: 'Kopi Kintamani', city: 'Bangli', description: 'Kopi' });
    expect(taken.status).toBe(422);
    expect(text(taken.text)).toContain('Nama toko ini sudah dipakai');
    expect(taken.text).toContain('value="Bangli"');

    const notImage = await t.agent
      .post(`${t.base}/shop/new?_csrf=${encodeURIComponent(t.csrf)}`)
      .field({ name: 'Kopi Bangli', city: 'Bangli', description: 'Kopi' })
      .attach('logo', textPretendingToBeJpeg, 'logo.jpg');
    expect(notImage.status).toBe(422);
    expect(text(notImage.text)).toContain('bukan foto');
    expect(notImage.text).toContain('value="Kopi Bangli"');
  });

  it('when the owner edits the shop and removes the logo, then the details change and the logo files are deleted', async () => {
    const t = await trainee();
    await t.agent
      .post(`${t.base}/shop/new?_csrf=${encodeURIComponent(t.csrf)}`)
      .field({ name: 'Ata Karangasem', city: 'Amlapura', description: '' })
      .attach('logo', await jpegWithGps({ width: 300, height: 300 }), 'l.jpg');
    const before = await prisma.shop.findFirstOrThrow({ where: { ownerId: t.user.id } });
    const edit = await t.agent.get(`${t.base}/shop/edit`);
    expect(edit.text).toContain('value="Ata Karangasem"');
    const res = await t.agent
      .post(`${t.base}/shop/edit?_csrf=${encodeURIComponent(t.csrf)}`)
      .field({ name: 'Ata Tenganan', city: 'Karangasem', description: 'Anyaman ata', removeLogo: '1' });
    expect(res.status).toBe(303);
    const after = await prisma.shop.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({ name: 'Ata Tenganan', city: 'Karangasem', logoPath: null });
    expect(fs.existsSync(path.join(config.uploadDir, before.logoPath!))).toBe(false);
  });

  it('when a tutor tries to open a shop, then 403', async () => {
    const t = await trainee();
    const tutor = await signedInAgent(app, t.tutor.username);
    expect((await tutor.get(`${t.base}/shop/new`)).status).toBe(403);
    const res = await tutor
      .post(`${t.base}/shop/new?_csrf=${encodeURIComponent(await tutor.csrf())}`)
      .field({ name: 'Toko Tutor', city: 'Denpasar' });
    expect(res.status).toBe(403);
  });
});

describe('shop page', () => {
  it('when a member opens a shop page, then it shows the description, city, average rating and only visible listings', async () => {
    const t = await trainee();
    const shop = await makeShop({
      workshop: t.workshop,
      owner: t.user,
      name: 'Camilan Bu Komang',
      description: 'Kacang dan pie susu rumahan',
      city: 'Tabanan',
    });
    const shown = await makeListing({ shop, title: 'Kacang Kapri Pedas Manis' });
    await makeListing({ shop, title: 'Produk Rahasia Tersembunyi', hidden: true });
    await makeListing({ shop, title: 'Produk Sudah Dihapus', deletedAt: new Date() });
    await makeReviewedOrder({ listing: shown, buyer: t.trainees[1]!, rating: 4, text: 'Bagus' });
    await makeReviewedOrder({ listing: shown, buyer: t.trainees[1]!, rating: 3, text: 'Oke' });

    const buyer = await signedInAgent(app, t.trainees[1]!.username);
    const page = text((await buyer.get(`${t.base}/shops/${shop.id}`)).text);
    expect(page).toContain('Camilan Bu Komang');
    expect(page).toContain('Kacang dan pie susu rumahan');
    expect(page).toContain('Tabanan');
    expect(page).toContain('★ 3.5 (2)');
    expect(page).toContain('Kacang Kapri Pedas Manis');
    expect(page).not.toContain('Produk Rahasia');
    expect(page).not.toContain('Produk Sudah Dihapus');
  });
});
