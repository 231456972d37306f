import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import type { CurrentUser } from '../../users.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import {
  ctxOf,
  makeForm,
  makeListing,
  makeOrder,
  makePayment,
  makeResponse,
  makeShop,
  makeUser,
  makeWorkshop,
  signedInAgent,
  type MadeWorkshop,
} from '../../test/builders/index.js';
import { applyDefaultAgenda } from '../agenda/agenda.service.js';
import { buyerConfirmReceipt, sellerAcceptOrder, sellerShipOrder } from '../orders/orders.service.js';
import { createReview, replyToReview } from '../reviews/reviews.service.js';
import { requestWithdrawal } from '../withdrawals/withdrawals.service.js';
import { getMyMissions, whoDid } from './missions.service.js';
import { missions, type Mission } from './missions.registry.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

type Person = CurrentUser;
type Room = MadeWorkshop & { her: Person; other: Person; seller: Person; buyer: Person };

/** A workshop where "her" practises, "other" is a classmate, and a seller and a buyer are there to trade with. */
async function room(): Promise<Room> {
  const w = await makeWorkshop({ trainees: 4 });
  const [her, other, seller, buyer] = w.trainees as [Person, Person, Person, Person];
  return { ...w, her, other, seller, buyer };
}

const ctx = (r: Room, user: Person) => ctxOf({ workshop: r.workshopId, user });

async function photo(listing: { id: number; workshopId: number }) {
  await prisma.listingPhoto.create({
    data: {
      workshopId: listing.workshopId,
      listingId: listing.id,
      path: 'x.webp',
      thumbPath: 'x-t.webp',
      width: 10,
      height: 10,
      position: 0,
    },
  });
}

/** An order placed by `buyer` at `owner`'s shop (opened if needed), paid unless told. */
async function orderAt(r: Room, owner: Person, buyer: Person, paid = true) {
  const shop =
    (await prisma.shop.findFirst({ where: { workshopId: r.workshopId, ownerId: owner.id } })) ??
    (await makeShop({ workshop: r.workshopId, owner }));
  const listing = await makeListing({ shop });
  return makeOrder({ buyer: await ctx(r, buyer), listing, paid });
}

async function shipped(r: Room, owner: Person, orderId: number) {
  await sellerAcceptOrder(await ctx(r, owner), orderId);
  await sellerShipOrder(await ctx(r, owner), orderId, 'JNE0123456789');
}

async function completed(r: Room, owner: Person, buyer: Person) {
  const { orderId } = await orderAt(r, owner, buyer);
  await shipped(r, owner, orderId);
  await buyerConfirmReceipt(await ctx(r, buyer), orderId);
  return orderId;
}

async function reviewed(r: Room, owner: Person, buyer: Person) {
  const orderId = await completed(r, owner, buyer);
  const item = await prisma.orderItem.findFirstOrThrow({ where: { orderId } });
  await createReview(await ctx(r, buyer), orderId, item.id, { rating: 4, text: 'Bagus' });
  return prisma.review.findFirstOrThrow({ where: { orderItemId: item.id } });
}

/** The session at `position` is under way now; the others are days ahead. */
async function runningNow(workshopId: number, position: number) {
  const hour = 3600_000;
  for (const session of await prisma.workshopSession.findMany({ where: { workshopId } })) {
    const start = session.position === position ? Date.now() - hour : Date.now() + (10 + session.position) * 24 * hour;
    await prisma.workshopSession.update({
      where: { id: session.id },
      data: { startsAt: new Date(start), endsAt: new Date(start + 2 * hour) },
    });
  }
}

/**
 * For each mission: what makes it done for her, and a near miss for her classmate (data that looks
 * alike but must not tick). Every mission of the registry needs a case.
 */
const cases: Record<string, (r: Room) => Promise<void>> = {
  'pre-questionnaire': async (r) => {
    const pre = await makeForm({ workshop: r.workshopId, template: 'pre-training' });
    const post = await makeForm({ workshop: r.workshopId, template: 'post-training' });
    await makeResponse({ form: pre, user: r.her });
    await makeResponse({ form: post, user: r.other });
    await makeResponse({ form: pre }); // a paper sheet: nobody's
  },
  'post-questionnaire': async (r) => {
    const pre = await makeForm({ workshop: r.workshopId, template: 'pre-training' });
    const post = await makeForm({ workshop: r.workshopId, template: 'post-training' });
    await makeResponse({ form: post, user: r.her });
    await makeResponse({ form: pre, user: r.other });
  },
  'shop-logo': async (r) => {
    const shop = await makeShop({ workshop: r.workshopId, owner: r.her });
    await prisma.shop.update({ where: { id: shop.id }, data: { logoPath: 'shops/logo.webp' } });
    await makeShop({ workshop: r.workshopId, owner: r.other });
  },
  'complete-description': async (r) => {
    await makeListing({ shop: await makeShop({ workshop: r.workshopId, owner: r.her }), description: 'x'.repeat(80) });
    await makeListing({ shop: await makeShop({ workshop: r.workshopId, owner: r.other }), description: 'Kain bagus. '.repeat(6) });
  },
  'first-order': async (r) => {
    await orderAt(r, r.seller, r.her, false);
    await orderAt(r, r.other, r.buyer); // she sells, she does not buy
  },
  'pay-card': async (r) => {
    await makePayment({ checkout: (await orderAt(r, r.seller, r.her)).checkoutId, method: 'card' });
    await makePayment({ checkout: (await orderAt(r, r.seller, r.other, false)).checkoutId, method: 'card', status: 'pending' });
  },
  'pay-transfer': async (r) => {
    await makePayment({ checkout: (await orderAt(r, r.seller, r.her)).checkoutId, method: 'qris' });
    await makePayment({ checkout: (await orderAt(r, r.seller, r.other)).checkoutId, method: 'card' });
  },
  'confirm-receipt': async (r) => {
    await completed(r, r.seller, r.her);
    const { orderId } = await orderAt(r, r.seller, r.other);
    await shipped(r, r.seller, orderId);
  },
  'write-review': async (r) => {
    await reviewed(r, r.seller, r.her);
    await completed(r, r.seller, r.other);
  },
  'pay-3ds': async (r) => {
    await makePayment({ checkout: (await orderAt(r, r.seller, r.her)).checkoutId, method: 'card', threeDSecure: true });
    await makePayment({ checkout: (await orderAt(r, r.seller, r.other)).checkoutId, method: 'card' });
  },
  'retry-declined': async (r) => {
    await makePayment({ checkout: (await orderAt(r, r.seller, r.her)).checkoutId, method: 'card', declinedFirst: 1 });
    await makePayment({
      checkout: (await orderAt(r, r.seller, r.other, false)).checkoutId,
      method: 'card',
      status: 'failed',
      declinedFirst: 2,
    });
  },
  'open-shop': async (r) => {
    await makeShop({ workshop: r.workshopId, owner: r.her });
    await makeShop({ workshop: r.workshopId, owner: r.other, isDemo: true });
  },
  'list-products': async (r) => {
    const mine = await makeShop({ workshop: r.workshopId, owner: r.her });
    for (let i = 0; i < 3; i++) await photo(await makeListing({ shop: mine }));
    const theirs = await makeShop({ workshop: r.workshopId, owner: r.other });
    for (let i = 0; i < 2; i++) await photo(await makeListing({ shop: theirs }));
    await makeListing({ shop: theirs }); // the third has no photo
  },
  'accept-order': async (r) => {
    const { orderId } = await orderAt(r, r.her, r.buyer);
    await sellerAcceptOrder(await ctx(r, r.her), orderId);
    await orderAt(r, r.other, r.buyer);
  },
  'ship-order': async (r) => {
    await shipped(r, r.her, (await orderAt(r, r.her, r.buyer)).orderId);
    await sellerAcceptOrder(await ctx(r, r.other), (await orderAt(r, r.other, r.buyer)).orderId);
  },
  'complete-sale': async (r) => {
    await completed(r, r.her, r.buyer);
    await shipped(r, r.other, (await orderAt(r, r.other, r.buyer)).orderId);
  },
  'withdraw-balance': async (r) => {
    await completed(r, r.her, r.buyer);
    await requestWithdrawal(await ctx(r, r.her), { amount: 10_000, bankName: 'BCA', accountNumber: '1234567890', accountHolder: 'Ibu' });
    await completed(r, r.other, r.buyer);
  },
  'reply-review': async (r) => {
    const review = await reviewed(r, r.her, r.buyer);
    await replyToReview(await ctx(r, r.her), review.id, 'Terima kasih, Bu!');
    await reviewed(r, r.other, r.buyer);
  },
};

describe('the missions registry', () => {
  it('when the registry is read, then every mission has a unique id, a module, locale keys and a case in this test', () => {
    expect(new Set(missions.map((m) => m.id)).size).toBe(missions.length);
    expect(Object.keys(cases).sort()).toEqual(missions.map((m) => m.id).sort());
  });

  it.each(missions.map((m) => [m.id, m] as [string, Mission]))(
    'when the data say %s is done by her, then it ticks for her and not for her classmate',
    async (_id, mission) => {
      const r = await room();
      const before = await whoDid(r.workshopId, [r.her.id, r.other.id], [mission]);
      expect([...before.get(mission.id)!]).toEqual([]);
      await cases[mission.id]!(r);
      const after = await whoDid(r.workshopId, [r.her.id, r.other.id], [mission]);
      expect([...after.get(mission.id)!]).toEqual([r.her.id]);
      // Another workshop's data never counts here.
      const elsewhere = await makeWorkshop({ trainees: 0 });
      expect([...(await whoDid(elsewhere.workshopId, [r.her.id], [mission])).get(mission.id)!]).toEqual([]);
    },
  );
});

describe("the trainee's home", () => {
  it("when she opens her workshop during a session, then she sees that session's missions, the next one highlighted and a progress bar, and done ones ticked", async () => {
    const r = await room();
    await applyDefaultAgenda(r.workshopId);
    // The default agenda's first session opens the pre-questionnaire, the shop, its logo and a description.
    await runningNow(r.workshopId, 0);
    await makeShop({ workshop: r.workshopId, owner: r.her });

    const mine = await getMyMissions(await ctx(r, r.her));
    expect(mine.session?.name).toBe('Hari 1 – Sesi 1');
    expect(mine.items.map((i) => [i.id, i.done])).toEqual([
      ['pre-questionnaire', false],
      ['open-shop', true],
      ['shop-logo', false],
      ['complete-description', false],
    ]);
    expect(mine.nextId).toBe('pre-questionnaire');

    const agent = await signedInAgent(app, r.her.username);
    const page = await agent.get(`/workshops/${r.workshopId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-mission="open-shop" data-state="done"');
    expect(page.text).toContain('data-mission="pre-questionnaire" data-state="next"');
    expect(page.text).toContain('<progress id="mission-progress" class="mission-progress" value="1" max="4">');
    expect(text(page.text)).toContain('1 dari 4 misi selesai');
    expect(text(page.text)).toContain('Isi kuesioner awal');

    // Her classmate's home is her own: nothing done.
    const theirs = await signedInAgent(app, r.other.username);
    expect((await theirs.get(`/workshops/${r.workshopId}`)).text).toContain('data-mission="open-shop" data-state="todo"');
  });

  it('when she opens her shop through its form and goes back home, then the open-shop mission is ticked on that very view', async () => {
    const r = await room();
    await applyDefaultAgenda(r.workshopId);
    await runningNow(r.workshopId, 0);
    const agent = await signedInAgent(app, r.her.username);
    const home = `/workshops/${r.workshopId}`;
    expect((await agent.get(home)).text).toContain('data-mission="open-shop" data-state="todo"');

    const opened = await agent
      .post(`${home}/shop/new?_csrf=${encodeURIComponent(await agent.csrf())}`)
      .field({ name: 'Tenun Ibu Sari', city: 'Gianyar', description: 'Endek dari Sidemen' });
    expect(opened.status).toBe(303);
    expect((await agent.get(home)).text).toContain('data-mission="open-shop" data-state="done"');
  });

  it("when a module page is opened, then a trainee sees its lesson cards and her own ticks, and staff see the room's counts", async () => {
    const r = await room();
    await makeShop({ workshop: r.workshopId, owner: r.her });
    const trainee = await signedInAgent(app, r.her.username);
    const page = await trainee.get(`/workshops/${r.workshopId}/learn/d`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Jual beli di toko online');
    expect(text(page.text)).toContain('Produk yang laku');
    expect(page.text).toContain('data-mission="open-shop" data-state="done"');
    expect((await trainee.get(`/workshops/${r.workshopId}/learn/z`)).status).toBe(404);

    const tutor = await signedInAgent(app, r.tutor.username);
    const staffPage = text((await tutor.get(`/workshops/${r.workshopId}/learn/d`)).text);
    expect(staffPage).toContain('1 dari 4 peserta sudah');
    const modules = text((await trainee.get(`/workshops/${r.workshopId}/learn`)).text);
    expect(modules).toContain('1 dari 8 misi selesai');
  });

  it("when staff open the current mission on the projector, then it is the first one not everyone has done, with the room's count", async () => {
    const r = await room();
    await applyDefaultAgenda(r.workshopId);
    await runningNow(r.workshopId, 0);
    const pre = await makeForm({ workshop: r.workshopId, template: 'pre-training' });
    for (const t of r.trainees) await makeResponse({ form: pre, user: t });
    await makeShop({ workshop: r.workshopId, owner: r.her });
    await makeUser({ memberOf: r.workshopId, demoKind: 'buyer' }); // never counted

    const tutor = await signedInAgent(app, r.tutor.username);
    const screen = await tutor.get(`/workshops/${r.workshopId}/missions/screen`);
    expect(screen.status).toBe(200);
    expect(screen.text).toContain('data-mission="open-shop"');
    expect(text(screen.text)).toContain('1 dari 4 peserta sudah');
    const picked = await tutor.get(`/workshops/${r.workshopId}/missions/screen?m=pre-questionnaire`);
    expect(text(picked.text)).toContain('4 dari 4 peserta sudah');
    const trainee = await signedInAgent(app, r.her.username);
    expect((await trainee.get(`/workshops/${r.workshopId}/missions/screen`)).status).toBe(403);
  });
});
