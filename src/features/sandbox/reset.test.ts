import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import {
  jpegWithGps,
  makeMarketplace,
  makeResponse,
  makeReviewedOrder,
  makeWorkshop,
  openShopChat,
  sendChatPhoto,
  signedInAgent,
  smallPng,
} from '../../test/builders/index.js';
import { DEMO_PASSWORD, demoShopOwners } from './demo-accounts.js';
import { demoShops, loadDemoShops } from './demo-shops.js';
import { countSandbox, type SnapshotFile } from './reset.service.js';

const app = createApp();

/**
 * A workshop with a trainee's shop (logo + photo listing: the market's demo buyers plan their
 * orders), a cart, an order with payment, refund and review, a chat with a photo, a withdrawal, a
 * training clock moved a day forward, and a questionnaire answer.
 */
async function busyWorkshop() {
  const w = await makeWorkshop({ trainees: 2 });
  const [seller, buyer] = w.trainees as [(typeof w.trainees)[0], (typeof w.trainees)[0]];
  const agent = await signedInAgent(app, seller.username);
  const csrf = await agent.csrf();
  await agent
    .post(`/workshops/${w.workshopId}/shop/new?_csrf=${encodeURIComponent(csrf)}`)
    .field({ name: `Toko ${w.workshopId}`, city: 'Denpasar', description: '' })
    .attach('logo', await smallPng(), 'l.png');
  await agent
    .post(`/workshops/${w.workshopId}/shop/listings/new?_csrf=${encodeURIComponent(csrf)}`)
    .field({
      title: 'Kain Endek Latihan Peserta',
      description: 'Kain',
      price: '100.000',
      stock: '5',
      weightGrams: '300',
      minOrder: '1',
      condition: 'new',
      category: 'kain-tenun',
    })
    .attach('photos', await smallPng(), 'p.png');
  const listing = await prisma.listing.findFirstOrThrow({ where: { workshopId: w.workshopId }, include: { photos: true } });
  await prisma.cartItem.create({ data: { workshopId: w.workshopId, userId: buyer.id, listingId: listing.id, quantity: 1 } });
  const { checkout, order } = await makeReviewedOrder({ listing, buyer, rating: 5, text: 'Mantap' });
  const payment = await prisma.payment.create({
    data: { workshopId: w.workshopId, checkoutId: checkout.id, method: 'card', status: 'refunded', amount: order.total },
  });
  await prisma.paymentAttempt.create({ data: { paymentId: payment.id, outcome: 'succeeded' } });
  await prisma.refund.create({ data: { paymentId: payment.id, orderId: order.id, amount: order.total, status: 'succeeded' } });
  const form = await prisma.form.create({
    data: {
      workshopId: w.workshopId,
      kind: 'pre',
      titleId: 'Pra',
      titleEn: 'Pre',
      questions: { create: { key: 'q1', type: 'yesno', position: 0, textId: 'Ya?', textEn: 'Yes?' } },
    },
  });
  await makeResponse({ form, user: buyer, answers: { q1: 'yes' } });
  const shop = await prisma.shop.findFirstOrThrow({ where: { workshopId: w.workshopId, ownerId: seller.id } });
  await prisma.withdrawal.create({
    data: {
      workshopId: w.workshopId,
      shopId: shop.id,
      seq: 1,
      amount: 50_000,
      bankName: 'BCA',
      accountNumber: '1234567890',
      accountHolder: seller.displayName,
      reference: `SIM-WD-RESET${w.workshopId}`,
      requestedAt: new Date(),
      completesAt: new Date(),
    },
  });
  await prisma.workshop.update({ where: { id: w.workshopId }, data: { clockOffsetSeconds: 86_400 } });
  const buyerAgent = await signedInAgent(app, buyer.username);
  await sendChatPhoto(buyerAgent, await openShopChat(buyerAgent, { workshop: w.workshopId, shop }), {
    photo: await jpegWithGps({ width: 400, height: 300 }),
    body: 'Warnanya seperti ini?',
  });
  const chatPhoto = await prisma.chatMessage.findFirstOrThrow({ where: { thread: { workshopId: w.workshopId } } });
  return { ...w, seller, buyer, listing, shop, chatPhoto };
}

const uploaded = (relative: string) => fs.existsSync(path.join(config.uploadDir, relative));

describe('tutor reset', () => {
  let a: Awaited<ReturnType<typeof busyWorkshop>>;
  let b: Awaited<ReturnType<typeof busyWorkshop>>;
  let bBefore: Awaited<ReturnType<typeof countSandbox>>;

  beforeAll(async () => {
    a = await busyWorkshop();
    b = await busyWorkshop();
    bBefore = await countSandbox(b.workshopId);
  });

  it('when the typed word is not RESET (the workshop name, say), then 422 with a message and nothing is deleted nor snapshotted', async () => {
    const tutor = await signedInAgent(app, a.tutor.username);
    const before = await countSandbox(a.workshopId);
    const res = await tutor
      .post(`/workshops/${a.workshopId}/sandbox/reset`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), confirmWord: a.workshop.name });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Kata yang diketik bukan RESET');
    expect(await countSandbox(a.workshopId)).toEqual(before);
    expect(fs.existsSync(config.snapshotDir) ? fs.readdirSync(config.snapshotDir) : []).toEqual([]);
  });

  it('when a trainee opens or posts the reset, then 403', async () => {
    const trainee = await signedInAgent(app, a.seller.username);
    expect((await trainee.get(`/workshops/${a.workshopId}/sandbox/reset`)).status).toBe(403);
    const res = await trainee
      .post(`/workshops/${a.workshopId}/sandbox/reset`)
      .type('form')
      .send({ _csrf: await trainee.csrf(), confirmWord: 'RESET' });
    expect(res.status).toBe(403);
    expect((await countSandbox(a.workshopId)).shops).toBe(1);
  });

  it('when the tutor types reset, then a snapshot holds every deleted row, the marketplace is emptied, photo files moved into the snapshot, demo shops loaded, and accounts, questionnaires and the other workshop stay', async () => {
    const tutor = await signedInAgent(app, a.tutor.username);
    const page = await tutor.get(`/workshops/${a.workshopId}/sandbox/reset`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('1 toko');
    expect(text(page.text)).toContain('Ketik RESET untuk memastikan');
    const before = await countSandbox(a.workshopId);
    expect(Object.values(before).every((n) => n >= 1)).toBe(true);
    const membersBefore = (await prisma.membership.findMany({ where: { workshopId: a.workshopId }, orderBy: { id: 'asc' } })).map((m) => [
      m.id,
      m.userId,
      m.role,
    ]);

    const res = await tutor
      .post(`/workshops/${a.workshopId}/sandbox/reset`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), confirmWord: ' reset ' });
    expect(res.status).toBe(303);
    const after = await tutor.get(res.headers.location!);
    const flash = /Cadangan: (workshop-[\w-]+\.json)/.exec(text(after.text));
    expect(flash).not.toBeNull();

    const snapshot = JSON.parse(fs.readFileSync(path.join(config.snapshotDir, flash![1]!), 'utf8')) as SnapshotFile;
    expect(snapshot.workshop).toEqual({ id: a.workshopId, name: a.workshop.name });
    expect(snapshot.counts).toEqual(before);
    expect(snapshot.rows.shops.map((s) => s.name)).toEqual([a.shop.name]);
    expect(snapshot.rows.listings.map((l) => l.title)).toEqual(['Kain Endek Latihan Peserta']);
    expect(snapshot.rows.reviews.map((r) => r.text)).toEqual(['Mantap']);
    for (const table of Object.keys(snapshot.rows) as (keyof SnapshotFile['rows'])[]) {
      for (const row of snapshot.rows[table]) if ('workshopId' in row) expect(row.workshopId).toBe(a.workshopId);
    }

    // The trainee's marketplace is gone; only the demo shops are back.
    expect(await prisma.shop.count({ where: { workshopId: a.workshopId, ownerId: a.seller.id } })).toBe(0);
    const shops = await prisma.shop.findMany({ where: { workshopId: a.workshopId } });
    expect(shops.map((s) => s.name).sort()).toEqual(demoShops.map((d) => d.name).sort());
    expect(shops.every((s) => s.isDemo)).toBe(true);
    const now = await countSandbox(a.workshopId);
    expect(now).toMatchObject({
      orders: 0,
      orderItems: 0,
      orderEvents: 0,
      checkouts: 0,
      cartItems: 0,
      reviews: 0,
      payments: 0,
      paymentAttempts: 0,
      refunds: 0,
      withdrawals: 0,
      botTasks: 0,
    });
    // The market starts again from real time.
    expect((await prisma.workshop.findUniqueOrThrow({ where: { id: a.workshopId } })).clockOffsetSeconds).toBe(0);
    expect(now.listings).toBe(demoShops.reduce((n, d) => n + d.products.length, 0));
    expect(uploaded(a.listing.photos[0]!.path)).toBe(false);
    expect(uploaded(a.listing.photos[0]!.thumbPath)).toBe(false);
    expect(uploaded(a.shop.logoPath!)).toBe(false);
    expect(uploaded(a.chatPhoto.photoPath!)).toBe(false);
    expect(uploaded(a.chatPhoto.photoThumbPath!)).toBe(false);
    expect(await prisma.chatThread.count({ where: { workshopId: a.workshopId } })).toBe(0);
    expect(snapshot.rows.chatMessages.map((m) => m.body)).toEqual(['Warnanya seperti ini?']);
    const kept = path.join(config.snapshotDir, flash![1]!.replace(/\.json$/, '.files'));
    expect(fs.existsSync(path.join(kept, a.listing.photos[0]!.path))).toBe(true);
    expect(fs.existsSync(path.join(kept, a.chatPhoto.photoPath!))).toBe(true);

    // What stays.
    expect(await prisma.user.count({ where: { id: { in: [a.seller.id, a.buyer.id, a.tutor.id] } } })).toBe(3);
    const membersAfter = (await prisma.membership.findMany({ where: { workshopId: a.workshopId }, orderBy: { id: 'asc' } })).map((m) => [
      m.id,
      m.userId,
      m.role,
    ]);
    expect(membersAfter.slice(0, membersBefore.length)).toEqual(membersBefore); // plus the demo sellers, who join as trainees
    expect(await prisma.form.count({ where: { workshopId: a.workshopId } })).toBe(1);
    expect(await prisma.question.count({ where: { form: { workshopId: a.workshopId } } })).toBe(1);
    expect(await prisma.response.count({ where: { workshopId: a.workshopId } })).toBe(1);
    expect(await prisma.answer.count({ where: { response: { workshopId: a.workshopId } } })).toBe(1);

    // The other workshop is untouched, files included.
    expect(await countSandbox(b.workshopId)).toEqual(bBefore);
    expect(uploaded(b.listing.photos[0]!.path)).toBe(true);
    expect(uploaded(b.shop.logoPath!)).toBe(true);
    expect(uploaded(b.chatPhoto.photoPath!)).toBe(true);

    // The catalogue shows the demo shops.
    const catalog = text((await tutor.get(`/workshops/${a.workshopId}/catalog`)).text);
    expect(catalog).toContain('Pie Susu Bali Original isi 10');
    expect(catalog).not.toContain('Kain Endek Latihan Peserta');
  });
});

describe('chat photos and the reset', () => {
  it("when the tutor resets the market, then the chat's photo file leaves the uploads; when she restores that snapshot, then the chat is back and both parties load the photo again", async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await sendChatPhoto(buyer, threadUrl, { photo: await jpegWithGps({ width: 400, height: 300 }), body: 'Ini fotonya, Kak' });
    const message = await prisma.chatMessage.findFirstOrThrow({ where: { thread: { workshopId: m.workshopId } } });
    const photoUrl = `${threadUrl}/photos/${message.id}`;
    const sent = (await seller.get(photoUrl).buffer(true)).body as Buffer;
    expect(uploaded(message.photoPath!)).toBe(true);

    const tutor = await signedInAgent(app, m.tutor.username);
    const reset = await tutor
      .post(`/workshops/${m.workshopId}/sandbox/reset`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), confirmWord: 'RESET' });
    expect(reset.status).toBe(303);
    expect(uploaded(message.photoPath!)).toBe(false);
    expect(uploaded(message.photoThumbPath!)).toBe(false);
    expect((await buyer.get(threadUrl)).status).toBe(404);
    expect((await buyer.get(photoUrl)).status).toBe(404);

    const file = /data-snapshot="(workshop-[\w-]+\.json)"/.exec((await tutor.get(`/workshops/${m.workshopId}/sandbox`)).text)![1]!;
    const restored = await tutor
      .post(`/workshops/${m.workshopId}/sandbox/restore`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), file });
    expect(restored.status).toBe(303);
    expect(uploaded(message.photoPath!)).toBe(true);
    expect(text((await seller.get(threadUrl)).text)).toContain('Ini fotonya, Kak');
    const again = await seller.get(photoUrl).buffer(true);
    expect(again.status).toBe(200);
    expect(again.headers['content-type']).toBe('image/webp');
    expect(Buffer.compare(again.body as Buffer, sent)).toBe(0);
    expect((await buyer.get(`${photoUrl}?size=thumb`)).status).toBe(200);
  });
});

describe('demo shops', () => {
  it('when loaded into a workshop twice, then each demo seller has one shop with 3–5 products that all have photos, and the sellers are trainees marked as demo accounts', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const started = Date.now();
    await loadDemoShops(w.workshopId);
    await loadDemoShops(w.workshopId);
    const shops = await prisma.shop.findMany({
      where: { workshopId: w.workshopId },
      include: { listings: { include: { photos: true } }, owner: true },
    });
    expect(shops).toHaveLength(demoShops.length);
    expect(demoShops.length).toBeGreaterThanOrEqual(4);
    for (const shop of shops) {
      expect(shop.listings.length).toBeGreaterThanOrEqual(2);
      expect(shop.listings.length).toBeLessThanOrEqual(5);
      expect(uploaded(shop.logoPath!)).toBe(true);
      for (const listing of shop.listings) {
        expect(listing.photos.length).toBeGreaterThanOrEqual(1);
        expect(uploaded(listing.photos[0]!.thumbPath)).toBe(true);
        expect(listing.searchText).toBe(listing.searchText.toLowerCase());
      }
      const membership = await prisma.membership.findUniqueOrThrow({
        where: { workshopId_userId: { workshopId: w.workshopId, userId: shop.ownerId } },
      });
      expect(membership.role).toBe('trainee');
      expect(shop.owner.role).toBe('trainee');
      expect(shop.owner.demoKind).toBe('shop'); // a demo account: never counted as a participant
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('when a demo seller signs in with the demo password, then it works', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    await loadDemoShops(w.workshopId);
    const agent = await signedInAgent(app, demoShopOwners.kopi, DEMO_PASSWORD);
    expect(text((await agent.get(`/workshops/${w.workshopId}/shop`)).text)).toContain('Kopi Kintamani Pak Nyoman');
  });
});
