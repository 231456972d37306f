// The sandbox boundary for every marketplace URL of shops, listings, catalogue and reset: a
// member of workshop B sees a 404 for workshop A's pages, and A's ids under B's URLs are 404 too.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { type Agent, makeListing, makeShop, makeWorkshop, signedInAgent, smallPng } from '../../test/builders/index.js';

const app = createApp();

let a: { workshopId: number; shopId: number; listingId: number; name: string };
let bId: number;
let bTrainee: Agent;
let bTutor: Agent;
let csrfTrainee: string;
let csrfTutor: string;

beforeAll(async () => {
  const wa = await makeWorkshop({ trainees: 1 });
  const shop = await makeShop({ workshop: wa.workshop, owner: wa.trainees[0]!, name: 'Toko Workshop A' });
  const listing = await makeListing({ shop, title: 'Produk Rahasia Workshop A' });
  a = { workshopId: wa.workshopId, shopId: shop.id, listingId: listing.id, name: wa.workshop.name };

  const wb = await makeWorkshop({ trainees: 1 });
  bId = wb.workshopId;
  await makeShop({ workshop: wb.workshop, owner: wb.trainees[0]!, name: 'Toko Workshop B' });
  bTrainee = await signedInAgent(app, wb.trainees[0]!.username);
  bTutor = await signedInAgent(app, wb.tutor.username);
  csrfTrainee = await bTrainee.csrf();
  csrfTutor = await bTutor.csrf();
});

type Probe = { method: 'get' | 'post'; url: () => string; multipart?: boolean; tutor?: boolean; body?: () => Record<string, string> };

const aUrl = (path: string) => () => `/workshops/${a.workshopId}${path}`;
const bUrl = (path: () => string) => () => `/workshops/${bId}${path()}`;

const probes: [string, Probe][] = [
  ['A: my shop', { method: 'get', url: aUrl('/shop') }],
  ['A: open-shop form', { method: 'get', url: aUrl('/shop/new') }],
  ['A: open shop', { method: 'post', url: aUrl('/shop/new'), multipart: true }],
  ['A: edit-shop form', { method: 'get', url: aUrl('/shop/edit') }],
  ['A: edit shop', { method: 'post', url: aUrl('/shop/edit'), multipart: true }],
  ['A: shop page', { method: 'get', url: () => `/workshops/${a.workshopId}/shops/${a.shopId}` }],
  ['A: catalogue', { method: 'get', url: aUrl('/catalog') }],
  ['A: product page', { method: 'get', url: () => `/workshops/${a.workshopId}/catalog/${a.listingId}` }],
  ['A: new-listing form', { method: 'get', url: aUrl('/shop/listings/new') }],
  ['A: new listing', { method: 'post', url: aUrl('/shop/listings/new'), multipart: true }],
  ['A: edit-listing form', { method: 'get', url: () => `/workshops/${a.workshopId}/shop/listings/${a.listingId}/edit` }],
  ['A: edit listing', { method: 'post', url: () => `/workshops/${a.workshopId}/shop/listings/${a.listingId}/edit`, multipart: true }],
  [
    'A: hide listing',
    { method: 'post', url: () => `/workshops/${a.workshopId}/shop/listings/${a.listingId}/visibility`, body: () => ({ hidden: '1' }) },
  ],
  ['A: delete listing', { method: 'post', url: () => `/workshops/${a.workshopId}/shop/listings/${a.listingId}/delete` }],
  ['A: reset page (B tutor)', { method: 'get', url: aUrl('/sandbox/reset'), tutor: true }],
  ['A: reset (B tutor)', { method: 'post', url: aUrl('/sandbox/reset'), tutor: true, body: () => ({ confirmName: a.name }) }],
  ["A's shop under B", { method: 'get', url: bUrl(() => `/shops/${a.shopId}`) }],
  ["A's listing under B", { method: 'get', url: bUrl(() => `/catalog/${a.listingId}`) }],
  ["A's listing edit form under B", { method: 'get', url: bUrl(() => `/shop/listings/${a.listingId}/edit`) }],
  ["A's listing edit under B", { method: 'post', url: bUrl(() => `/shop/listings/${a.listingId}/edit`), multipart: true }],
  [
    "A's listing hide under B",
    { method: 'post', url: bUrl(() => `/shop/listings/${a.listingId}/visibility`), body: () => ({ hidden: '1' }) },
  ],
  ["A's listing delete under B", { method: 'post', url: bUrl(() => `/shop/listings/${a.listingId}/delete`) }],
];

describe('cross-workshop boundary', () => {
  it.each(probes)('when a member of workshop B requests %s, then 404', async (_name, probe) => {
    const agent = probe.tutor ? bTutor : bTrainee;
    const csrf = probe.tutor ? csrfTutor : csrfTrainee;
    let res;
    if (probe.method === 'get') res = await agent.get(probe.url());
    else if (probe.multipart) {
      res = await agent
        .post(`${probe.url()}?_csrf=${encodeURIComponent(csrf)}`)
        .field({
          name: 'Toko Penyusup',
          city: 'Denpasar',
          title: 'Produk penyusup dari B',
          price: '1000',
          stock: '1',
          weightGrams: '1',
          minOrder: '1',
          condition: 'new',
          category: 'lainnya',
        })
        .attach(probe.url().includes('listings') ? 'photos' : 'logo', await smallPng(), 'x.png');
    } else
      res = await agent
        .post(probe.url())
        .type('form')
        .send({ _csrf: csrf, ...(probe.body?.() ?? {}) });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Produk Rahasia Workshop A');
    expect(res.text).not.toContain('Toko Workshop A');
  });

  it('when every probe has run, then workshop A is unchanged', async () => {
    expect(await prisma.shop.count({ where: { workshopId: a.workshopId } })).toBe(1);
    expect(await prisma.listing.findUniqueOrThrow({ where: { id: a.listingId } })).toMatchObject({
      hidden: false,
      deletedAt: null,
      title: 'Produk Rahasia Workshop A',
    });
    expect(await prisma.listing.count({ where: { workshopId: a.workshopId } })).toBe(1);
  });
});
