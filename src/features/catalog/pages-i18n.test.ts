// Every page of shops, listings, catalogue and reset reads in both languages: no locale key
// shows through as raw text.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { text } from '../../test/helpers.js';
import { makeWorkshop, signedInAgent, type Agent, makeListing, makeReviewedOrder, makeShop } from '../../test/builders/index.js';

const app = createApp();
let trainee: Agent;
let tutor: Agent;
let newcomer: Agent;
let pages: { agent: () => Agent; url: string }[];

beforeAll(async () => {
  const w = await makeWorkshop({ trainees: 3 });
  const shop = await makeShop({ workshop: w.workshop, owner: w.trainees[0]!, name: 'Toko Dua Bahasa' });
  const { id: listingId } = await makeListing({ shop, title: 'Kopi', weightGrams: 0, description: '' });
  await makeReviewedOrder({
    listing: listingId,
    buyer: w.trainees[1]!,
    rating: 4,
    text: 'Enak',
    reply: 'Terima kasih',
  });
  trainee = await signedInAgent(app, w.trainees[0]!.username);
  tutor = await signedInAgent(app, w.tutor.username);
  newcomer = await signedInAgent(app, w.trainees[2]!.username);
  const base = `/workshops/${w.workshopId}`;
  pages = [
    { agent: () => trainee, url: `${base}` },
    { agent: () => trainee, url: `${base}/shop` },
    { agent: () => trainee, url: `${base}/shop/edit` },
    { agent: () => trainee, url: `${base}/shop/listings/new` },
    { agent: () => trainee, url: `${base}/shop/listings/${listingId}/edit` },
    { agent: () => trainee, url: `${base}/shops/${shop.id}` },
    { agent: () => trainee, url: `${base}/catalog?q=kopi` },
    { agent: () => trainee, url: `${base}/catalog/${listingId}` },
    { agent: () => newcomer, url: `${base}/shop` },
    { agent: () => newcomer, url: `${base}/shop/new` },
    { agent: () => newcomer, url: `${base}/catalog/${listingId}` },
    { agent: () => tutor, url: `${base}` },
    { agent: () => tutor, url: `${base}/shop` },
    { agent: () => tutor, url: `${base}/catalog/${listingId}` },
    { agent: () => tutor, url: `${base}/sandbox/reset` },
  ];
});

describe('pages in both languages', () => {
  it.each(['id', 'en'])('when the language is %s, then every marketplace page renders with no raw locale key', async (lang) => {
    for (const page of pages) {
      const res = await page.agent().get(page.url).set('Cookie', `lang=${lang}`);
      expect(res.status, page.url).toBe(200);
      expect(text(res.text), page.url).toContain(lang === 'id' ? 'Katalog' : 'Catalogue');
      expect(text(res.text), page.url).not.toMatch(/\b(shops|listings|catalog|sandbox|common|cart):[a-zA-Z]/);
    }
  });
});
