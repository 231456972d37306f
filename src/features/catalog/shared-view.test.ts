// The catalogue's view is rendered once per language and catalogue version and shared by every member
// (src/http/render.ts); the layout around it is each person's own. This app caches as production does.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom } from '../../test/helpers.js';
import { type Agent, makeListing, makeShop, makeWorkshop, signedInAgent } from '../../test/builders/index.js';

const app = createApp({ cacheViews: true });

let catalogue: string;
let listingId: number;
const people: Record<'siti' | 'budi', { agent: Agent; username: string; displayName: string }> = {} as never;

beforeAll(async () => {
  const w = await makeWorkshop({ trainees: 3 });
  catalogue = `/workshops/${w.workshopId}/catalog`;
  const shop = await makeShop({ workshop: w.workshopId, owner: w.trainees[0]!, name: 'Warung Bu Ayu' });
  listingId = (await makeListing({ shop, title: 'Kopi Kintamani', price: 85_000 })).id;
  for (const [name, user] of [
    ['siti', w.trainees[1]!],
    ['budi', w.trainees[2]!],
  ] as const) {
    people[name] = { agent: await signedInAgent(app, user), username: user.username, displayName: user.displayName };
  }
});

const catalogueOf = (html: string) => /<section>[\s\S]*<\/section>/.exec(html)?.[0];

describe('the shared catalogue view', () => {
  it('when two members open the same catalogue page, then each sees her own name, form token and messages around the same catalogue', async () => {
    const { siti, budi } = people;
    // Signing in leaves a welcome message with her name for the next page she opens.
    const sitiPage = await siti.agent.get(catalogue);
    const budiPage = await budi.agent.get(catalogue);
    expect(sitiPage.status).toBe(200);
    expect(budiPage.status).toBe(200);

    expect(sitiPage.text).toContain(`Selamat datang, ${siti.displayName}!`);
    expect(sitiPage.text).toContain(`(${siti.username})`);
    expect(sitiPage.text).not.toContain(budi.username);
    expect(budiPage.text).toContain(`Selamat datang, ${budi.displayName}!`);
    expect(budiPage.text).toContain(`(${budi.username})`);
    expect(budiPage.text).not.toContain(siti.username);
    expect(csrfFrom(sitiPage.text)).not.toBe(csrfFrom(budiPage.text));

    expect(catalogueOf(sitiPage.text)).toContain('Kopi Kintamani');
    expect(catalogueOf(budiPage.text)).toBe(catalogueOf(sitiPage.text));

    // Her message was shown once; the same cached catalogue comes without it.
    const again = await siti.agent.get(catalogue);
    expect(again.text).not.toContain('Selamat datang');
    expect(catalogueOf(again.text)).toBe(catalogueOf(sitiPage.text));
  });

  it('when a listing changes, then the next catalogue page shows the change to every member', async () => {
    expect((await people.siti.agent.get(catalogue)).text).toContain('Kopi Kintamani');
    await prisma.listing.update({ where: { id: listingId }, data: { title: 'Kopi Kintamani Bubuk 250 g' } });
    for (const { agent } of Object.values(people)) {
      expect(catalogueOf((await agent.get(catalogue)).text)).toContain('Kopi Kintamani Bubuk 250 g');
    }
  });

  it('when one member reads in English, then she gets the catalogue in English and the other keeps hers in Bahasa Indonesia', async () => {
    await people.budi.agent.get('/lang/en');
    const english = catalogueOf((await people.budi.agent.get(catalogue)).text);
    const indonesian = catalogueOf((await people.siti.agent.get(catalogue)).text);
    expect(english).toContain('<h1>Catalogue</h1>');
    expect(english).toContain('1 products');
    expect(indonesian).toContain('<h1>Katalog</h1>');
    expect(indonesian).toContain('1 produk');
  });

  it('when a phone opens the catalogue, then it is an HTML page in UTF-8, gzipped when asked, and a 304 when she already has it', async () => {
    const { agent } = people.siti;
    const page = await agent.get(catalogue).set('Accept-Encoding', 'identity');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.text));
    expect(page.text).toMatch(/^<!doctype html>/i);
    expect(page.text).toContain('</html>');
    const gzipped = await agent.get(catalogue).set('Accept-Encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(catalogueOf(gzipped.text)).toBe(catalogueOf(page.text));
    const again = await agent.get(catalogue).set('If-None-Match', page.headers.etag as string);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const head = await agent.head(catalogue);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});
