import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import type { CurrentUser } from '../../users.js';
import { text } from '../../test/helpers.js';
import {
  ctxOf,
  makeListing,
  makeOrder,
  makePayment,
  makeShop,
  makeUser,
  makeWorkshop,
  shippingAddress,
  signedInAgent,
  smallPng,
  type MadeWorkshop,
} from '../../test/builders/index.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { addToCart } from '../cart/cart.service.js';
import { placeOrders, saveShipping } from '../checkout/checkout.service.js';
import { buyerCancelOrder } from '../orders/orders.service.js';
import { countSandbox } from './reset.service.js';
import { resetTrainee } from './trainee-reset.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const uploaded = (relative: string) => fs.existsSync(path.join(config.uploadDir, relative));

type Person = CurrentUser;

/**
 * Siti sells and buys: her shop (a listing with a photo file), her cart, an order at a demo shop,
 * an order from a demo buyer, and an order with Dewi (another participant) each way. Dewi has her
 * own shop, listing, cart and orders.
 */
async function market() {
  const w = await makeWorkshop({ trainees: 2 });
  const [siti, dewi] = w.trainees as [Person, Person];
  const demoSeller = await makeUser({ memberOf: w.workshopId, demoKind: 'shop' });
  const demoBuyer = await makeUser({ memberOf: w.workshopId, demoKind: 'buyer' });
  const demoShop = await makeShop({ workshop: w.workshopId, owner: demoSeller, isDemo: true });
  const demoListing = await makeListing({ shop: demoShop, stock: 10 });

  const sitiAgent = await signedInAgent(app, siti.username);
  const csrf = await sitiAgent.csrf();
  await sitiAgent
    .post(`/workshops/${w.workshopId}/shop/new?_csrf=${encodeURIComponent(csrf)}`)
    .field({ name: `Toko Siti ${w.workshopId}`, city: 'Denpasar', description: '' })
    .attach('logo', await smallPng(), 'l.png');
  await sitiAgent
    .post(`/workshops/${w.workshopId}/shop/listings/new?_csrf=${encodeURIComponent(csrf)}`)
    .field({
      title: 'Kain Endek Siti',
      description: 'Kain',
      price: '100.000',
      stock: '5',
      weightGrams: '300',
      minOrder: '1',
      condition: 'new',
      category: 'kain-tenun',
    })
    .attach('photos', await smallPng(), 'p.png');
  const sitiShop = await prisma.shop.findFirstOrThrow({ where: { workshopId: w.workshopId, ownerId: siti.id } });
  const sitiListing = await prisma.listing.findFirstOrThrow({ where: { shopId: sitiShop.id }, include: { photos: true } });
  const sitiSpare = await makeListing({ shop: sitiShop, title: 'Selendang Siti' });

  const dewiShop = await makeShop({ workshop: w.workshopId, owner: dewi });
  const dewiListing = await makeListing({ shop: dewiShop });

  const as = (user: Person | { id: number }) => ctxOf({ workshop: w.workshopId, user });
  const atDemo = await makeOrder({ buyer: await as(siti), listing: demoListing, quantity: 2, paid: true });
  await makePayment({ checkout: atDemo.checkoutId, method: 'card' });
  const fromDemoBuyer = await makeOrder({ buyer: await as(demoBuyer), listing: sitiSpare, paid: true });
  const sitiFromDewi = await makeOrder({ buyer: await as(siti), listing: dewiListing, paid: true });
  const dewiFromSiti = await makeOrder({ buyer: await as(dewi), listing: sitiListing, paid: true });
  await prisma.cartItem.create({ data: { workshopId: w.workshopId, userId: siti.id, listingId: dewiListing.id, quantity: 1 } });
  await prisma.cartItem.create({ data: { workshopId: w.workshopId, userId: dewi.id, listingId: demoListing.id, quantity: 1 } });
  return {
    ...w,
    siti,
    dewi,
    demoBuyer,
    demoListing,
    sitiShop,
    sitiListing,
    sitiSpare,
    dewiShop,
    dewiListing,
    atDemo,
    fromDemoBuyer,
    sitiFromDewi,
    dewiFromSiti,
  };
}

/** Everything of Dewi's, to compare before and after Siti's reset. */
async function dewisRows(m: Awaited<ReturnType<typeof market>>) {
  return {
    shops: await prisma.shop.findMany({ where: { ownerId: m.dewi.id }, orderBy: { id: 'asc' } }),
    listings: await prisma.listing.findMany({ where: { shop: { ownerId: m.dewi.id } }, orderBy: { id: 'asc' } }),
    cart: await prisma.cartItem.findMany({ where: { userId: m.dewi.id }, orderBy: { id: 'asc' } }),
    bought: await prisma.order.findMany({ where: { buyerId: m.dewi.id }, orderBy: { id: 'asc' } }),
    sold: await prisma.order.findMany({ where: { shop: { ownerId: m.dewi.id } }, orderBy: { id: 'asc' } }),
  };
}

/** Siti's shop with one product (stock 5), Dewi who may buy it, and their tutor. */
async function sitiSellsToDewi() {
  const w = await makeWorkshop({ trainees: 2 });
  const [siti, dewi] = [w.trainees[0]!, w.trainees[1]!];
  const listing = await makeListing({ shop: await makeShop({ workshop: w.workshopId, owner: siti }), stock: 5 });
  return {
    siti,
    dewi,
    listing,
    dewiCtx: await ctxOf({ workshop: w.workshopId, user: dewi }),
    tutorCtx: await ctxOf({ workshop: w.workshopId, user: w.tutor }),
  };
}

describe("resetting one trainee's market data", () => {
  it('when the tutor resets Siti while Siti cancels her order at a demo shop, then its stock comes back once', { repeats: 5 }, async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const siti = w.trainees[0]!;
    const demoSeller = await makeUser({ memberOf: w.workshopId, demoKind: 'shop' });
    const demoShop = await makeShop({ workshop: w.workshopId, owner: demoSeller, isDemo: true });
    const demoListing = await makeListing({ shop: demoShop, stock: 10 });
    const sitiCtx = await ctxOf({ workshop: w.workshopId, user: siti });
    const { orderId } = await makeOrder({ buyer: sitiCtx, listing: demoListing, quantity: 2 });
    const tutorCtx = await ctxOf({ workshop: w.workshopId, user: w.tutor });

    await Promise.allSettled([resetTrainee(tutorCtx, siti.id), buyerCancelOrder(sitiCtx, orderId)]);

    expect((await prisma.listing.findUniqueOrThrow({ where: { id: demoListing.id } })).stock).toBe(10);
  });

  it(
    "when the tutor resets Siti while Dewi buys Siti's product, then Dewi's order keeps its item (the product hidden) or she is told it is gone",
    { repeats: 10 },
    async () => {
      const { siti, dewi, dewiCtx, tutorCtx, listing } = await sitiSellsToDewi();
      // Dewi's address is saved (from an earlier cart); she now taps "Beli sekarang" on Siti's product.
      await addToCart(dewiCtx, { listingId: listing.id, quantity: 1 });
      await saveShipping(dewiCtx, shippingAddress, { [listing.shopId]: 'jne-reg' });
      await prisma.cartItem.deleteMany({ where: { userId: dewi.id } });

      const [reset, bought] = await Promise.allSettled([
        resetTrainee(tutorCtx, siti.id),
        placeOrders(dewiCtx, {
          idempotencyKey: `buy-now-${listing.id}`,
          choices: { [listing.shopId]: 'jne-reg' },
          buyNow: { listingId: listing.id, quantity: 1 },
        }),
      ]);
      expect(reset.status).toBe('fulfilled');
      const orders = await prisma.order.findMany({ where: { buyerId: dewi.id }, select: { items: { select: { listingId: true } } } });
      const kept = await prisma.listing.findUnique({ where: { id: listing.id } });
      if (bought.status === 'fulfilled') {
        // Her order came first: it keeps its item, so Siti's product is hidden, not deleted.
        expect(orders).toEqual([{ items: [{ listingId: listing.id }] }]);
        expect(kept).toMatchObject({ hidden: true, stock: 4 });
      } else {
        // The reset came first: the product is gone and Dewi is told so (not found, or sold out
        // when it went while her order was being placed).
        expect([NotFoundError, RefusedError].some((kind) => bought.reason instanceof kind)).toBe(true);
        expect(orders).toEqual([]);
        expect(kept).toBeNull();
      }
    },
  );

  it(
    "when the tutor resets Siti while Dewi adds Siti's product to her cart, then it is in Dewi's cart (the product hidden) or she is told it is gone",
    { repeats: 10 },
    async () => {
      const { siti, dewi, dewiCtx, tutorCtx, listing } = await sitiSellsToDewi();

      const [reset, added] = await Promise.allSettled([
        resetTrainee(tutorCtx, siti.id),
        addToCart(dewiCtx, { listingId: listing.id, quantity: 1 }),
      ]);
      expect(reset.status).toBe('fulfilled');
      const cart = await prisma.cartItem.findMany({ where: { userId: dewi.id }, select: { listingId: true } });
      const kept = await prisma.listing.findUnique({ where: { id: listing.id } });
      if (added.status === 'rejected') expect(added.reason).toBeInstanceOf(NotFoundError);
      if (kept) {
        expect(cart).toEqual([{ listingId: listing.id }]);
        expect(kept.hidden).toBe(true);
      } else {
        expect(cart).toEqual([]);
      }
    },
  );

  it("when the tutor resets Siti, then what is hers alone goes, what she shares with Dewi stays for both, demo stock comes back, and nothing of Dewi's changes", async () => {
    const m = await market();
    const dewiBefore = await dewisRows(m);
    const tutor = await signedInAgent(app, m.tutor.username);

    const preview = await tutor.get(`/workshops/${m.workshopId}/sandbox/trainees/${m.siti.id}/reset`);
    expect(preview.status).toBe(200);
    expect(text(preview.text)).toContain('2 pesanan dengan toko contoh atau pembeli contoh');
    expect(text(preview.text)).toContain('2 pesanan dengan peserta lain (1 produk disembunyikan, tidak dihapus)');

    const res = await tutor
      .post(`/workshops/${m.workshopId}/sandbox/trainees/${m.siti.id}/reset`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/workshops/${m.workshopId}/sandbox`);
    expect(text((await tutor.get(res.headers.location!)).text)).toContain(`Data pasar ${m.siti.displayName} sudah direset.`);

    // Hers alone: gone.
    expect(await prisma.order.count({ where: { id: { in: [m.atDemo.orderId, m.fromDemoBuyer.orderId] } } })).toBe(0);
    expect(await prisma.checkout.count({ where: { id: { in: [m.atDemo.checkoutId, m.fromDemoBuyer.checkoutId] } } })).toBe(0);
    expect(await prisma.payment.count({ where: { checkoutId: m.atDemo.checkoutId } })).toBe(0);
    expect(await prisma.cartItem.count({ where: { userId: m.siti.id } })).toBe(0);
    expect(await prisma.listing.count({ where: { id: m.sitiSpare.id } })).toBe(0);
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: m.demoListing.id } })).stock).toBe(10); // 2 held by her order, given back

    // Shared with Dewi: both orders stay; the listing Dewi bought is hidden, so the shop stays.
    expect(await prisma.order.count({ where: { id: { in: [m.sitiFromDewi.orderId, m.dewiFromSiti.orderId] } } })).toBe(2);
    const kept = await prisma.listing.findUniqueOrThrow({ where: { id: m.sitiListing.id } });
    expect([kept.hidden, kept.deletedAt !== null]).toEqual([true, true]);
    expect(uploaded(m.sitiListing.photos[0]!.path)).toBe(true);
    expect(await prisma.shop.count({ where: { id: m.sitiShop.id } })).toBe(1);

    // Dewi: exactly as before.
    expect(await dewisRows(m)).toEqual(dewiBefore);
    expect(await prisma.staffAction.findFirst({ where: { workshopId: m.workshopId, action: 'trainee.reset' } })).toMatchObject({
      staffId: m.tutor.id,
      detail: `@${m.siti.username}`,
    });
  });

  it("when a trainee has nothing shared, then her shop, listings and their photo files go too, with her shop's chats and their photos", async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const [ani] = w.trainees as [Person];
    const shop = await makeShop({ workshop: w.workshopId, owner: ani });
    const listing = await makeListing({ shop });
    await prisma.listingPhoto.create({
      data: {
        workshopId: w.workshopId,
        listingId: listing.id,
        path: 'listings/none.webp',
        thumbPath: 'listings/none-t.webp',
        width: 1,
        height: 1,
        position: 0,
      },
    });
    fs.mkdirSync(path.join(config.uploadDir, 'listings'), { recursive: true });
    fs.writeFileSync(path.join(config.uploadDir, 'listings/none.webp'), 'x');
    const chat = await prisma.chatThread.create({ data: { workshopId: w.workshopId, shopId: shop.id, buyerId: w.tutor.id } });
    const chatPhoto = `chat/reset-${chat.id}.webp`;
    await prisma.chatMessage.create({
      data: { threadId: chat.id, senderId: w.tutor.id, fromShop: false, body: '', photoPath: chatPhoto, photoThumbPath: chatPhoto },
    });
    fs.mkdirSync(path.join(config.uploadDir, 'chat'), { recursive: true });
    fs.writeFileSync(path.join(config.uploadDir, chatPhoto), 'x');
    const tutor = await signedInAgent(app, w.tutor.username);
    await tutor
      .post(`/workshops/${w.workshopId}/sandbox/trainees/${ani.id}/reset`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect(await prisma.shop.count({ where: { ownerId: ani.id } })).toBe(0);
    expect(await prisma.listing.count({ where: { id: listing.id } })).toBe(0);
    expect(uploaded('listings/none.webp')).toBe(false);
    expect(await prisma.chatThread.count({ where: { id: chat.id } })).toBe(0);
    expect(uploaded(chatPhoto)).toBe(false);
  });

  it("when someone other than this workshop's staff asks, or the person is no participant, then no: 403 for a trainee, 404 elsewhere and for demo accounts and staff", async () => {
    const m = await market();
    const url = `/workshops/${m.workshopId}/sandbox/trainees/${m.siti.id}/reset`;
    const dewi = await signedInAgent(app, m.dewi.username);
    expect((await dewi.get(url)).status).toBe(403);
    expect(
      (
        await dewi
          .post(url)
          .type('form')
          .send({ _csrf: await dewi.csrf() })
      ).status,
    ).toBe(403);
    const other: MadeWorkshop = await makeWorkshop({ trainees: 0 });
    const stranger = await signedInAgent(app, other.tutor.username);
    expect(
      (
        await stranger
          .post(url)
          .type('form')
          .send({ _csrf: await stranger.csrf() })
      ).status,
    ).toBe(404);
    const tutor = await signedInAgent(app, m.tutor.username);
    for (const who of [m.demoBuyer.id, m.tutor.id, other.organizer.id])
      expect((await tutor.get(`/workshops/${m.workshopId}/sandbox/trainees/${who}/reset`)).status).toBe(404);
    expect(await prisma.order.count({ where: { buyerId: m.siti.id } })).toBe(2);
  });
});

describe('restoring a reset snapshot', () => {
  it('when the tutor restores the snapshot of a reset, then the market is back as it was, photos included, the market it replaces is snapshotted, and the other workshop is untouched', async () => {
    const m = await market();
    const other = await market();
    const otherBefore = await countSandbox(other.workshopId);
    const before = await countSandbox(m.workshopId);
    const tutor = await signedInAgent(app, m.tutor.username);
    await tutor
      .post(`/workshops/${m.workshopId}/sandbox/reset`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), confirmWord: 'RESET' });
    expect(uploaded(m.sitiListing.photos[0]!.path)).toBe(false);
    const afterReset = await countSandbox(m.workshopId);

    const tools = await tutor.get(`/workshops/${m.workshopId}/sandbox`);
    const file = /data-snapshot="(workshop-[\w-]+\.json)"/.exec(tools.text)![1]!;
    const res = await tutor
      .post(`/workshops/${m.workshopId}/sandbox/restore`)
      .type('form')
      .send({ _csrf: await tutor.csrf(), file });
    expect(res.status).toBe(303);
    const flash = text((await tutor.get(res.headers.location!)).text);
    expect(flash).toContain(`Pasar dipulihkan dari ${file}`);

    expect(await countSandbox(m.workshopId)).toEqual(before);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: m.sitiShop.id } })).name).toBe(m.sitiShop.name);
    expect(await prisma.order.count({ where: { id: m.dewiFromSiti.orderId } })).toBe(1);
    expect(uploaded(m.sitiListing.photos[0]!.path)).toBe(true);
    expect(await countSandbox(other.workshopId)).toEqual(otherBefore);
    const catalog = text((await tutor.get(`/workshops/${m.workshopId}/catalog`)).text);
    expect(catalog).toContain('Kain Endek Siti');

    // The market the restore replaced (the demo shops loaded by the reset) is a snapshot now: undoable.
    const snapshots = fs.readdirSync(config.snapshotDir).filter((f) => f.startsWith(`workshop-${m.workshopId}-`) && f.endsWith('.json'));
    expect(snapshots).toHaveLength(2);
    const replaced = snapshots.find((f) => f !== file)!;
    expect(JSON.parse(fs.readFileSync(path.join(config.snapshotDir, replaced), 'utf8')).counts).toEqual(afterReset);
    expect(await prisma.staffAction.count({ where: { workshopId: m.workshopId, action: 'snapshot.restore', detail: file } })).toBe(1);
  });

  it("when the file is another workshop's, not a snapshot name, or the person is a trainee, then nothing is restored", async () => {
    const a = await makeWorkshop({ trainees: 1 });
    const b = await makeWorkshop({ trainees: 0 });
    const tutorB = await signedInAgent(app, b.tutor.username);
    await tutorB
      .post(`/workshops/${b.workshopId}/sandbox/reset`)
      .type('form')
      .send({ _csrf: await tutorB.csrf(), confirmWord: 'RESET' });
    const fileOfB = fs.readdirSync(config.snapshotDir).find((f) => f.startsWith(`workshop-${b.workshopId}-`) && f.endsWith('.json'))!;
    const tutorA = await signedInAgent(app, a.tutor.username);
    for (const file of [fileOfB, '../../etc/passwd', `workshop-${a.workshopId}-x.json`])
      expect(
        (
          await tutorA
            .post(`/workshops/${a.workshopId}/sandbox/restore`)
            .type('form')
            .send({ _csrf: await tutorA.csrf(), file })
        ).status,
      ).toBe(404);
    const trainee = await signedInAgent(app, a.trainees[0]!.username);
    expect(
      (
        await trainee
          .post(`/workshops/${a.workshopId}/sandbox/restore`)
          .type('form')
          .send({ _csrf: await trainee.csrf(), file: fileOfB })
      ).status,
    ).toBe(403);
    expect(await prisma.shop.count({ where: { workshopId: a.workshopId } })).toBe(0);
  });
});

describe('the tools page', () => {
  it('when a workshop has no demo shops, then the tutor can load them from the tools page; participants are listed, demo accounts are not', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    await makeUser({ memberOf: w.workshopId, demoKind: 'buyer', displayName: 'Pembeli Contoh' });
    const tutor = await signedInAgent(app, w.tutor.username);
    const page = await tutor.get(`/workshops/${w.workshopId}/sandbox`);
    expect(page.status).toBe(200);
    for (const t of w.trainees) expect(page.text).toContain(`data-trainee="${t.username}"`);
    expect(text(page.text)).not.toContain('Pembeli Contoh');
    expect(text(page.text)).toContain('Pelatihan ini belum punya toko contoh.');
    const res = await tutor
      .post(`/workshops/${w.workshopId}/sandbox/demo-shops`)
      .type('form')
      .send({ _csrf: await tutor.csrf() });
    expect(res.status).toBe(303);
    expect(await prisma.shop.count({ where: { workshopId: w.workshopId, isDemo: true } })).toBeGreaterThanOrEqual(4);
    expect(text((await tutor.get(`/workshops/${w.workshopId}/sandbox`)).text)).not.toContain('Pelatihan ini belum punya toko contoh.');
  });
});
