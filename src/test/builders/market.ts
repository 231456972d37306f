// Data for the market's bots: a demo shop to buy from, and a trainee's product listed through
// the form as she does (which is what makes the demo buyers plan their orders).
import { prisma } from '../../db.js';
import type { Agent } from './agents.js';
import { smallPng } from './images.js';
import { idOf, type Ref } from './ref.js';
import { makeListing, makeShop } from './shops.js';
import { makeUser } from './users.js';

/** A demo shop (isDemo, like those of demo-shops.ts) of a new seller in the workshop, with one listing of `stock` (10). */
export async function makeDemoShop(options: { workshop: Ref; stock?: number }) {
  const owner = await makeUser({ memberOf: options.workshop });
  const shop = await makeShop({ workshop: options.workshop, owner, isDemo: true });
  const listing = await makeListing({ shop, stock: options.stock ?? 10 });
  return { owner, shop, listing };
}

/** Lists a product through the seller's form, with one photo; returns the listing's id. */
export async function listProductThroughForm(
  agent: Agent,
  workshop: Ref,
  fields: { title?: string; stock?: number; minOrder?: number; price?: string } = {},
): Promise<number> {
  const workshopId = idOf(workshop);
  const csrf = await agent.csrf();
  const res = await agent
    .post(`/workshops/${workshopId}/shop/listings/new?_csrf=${encodeURIComponent(csrf)}`)
    .field({
      title: fields.title ?? 'Tas Anyaman Ata Buatan Tangan',
      description: 'Tas anyaman ata dari Tenganan, tahan lama.',
      price: fields.price ?? '120.000',
      stock: String(fields.stock ?? 10),
      weightGrams: '400',
      minOrder: String(fields.minOrder ?? 1),
      condition: 'new',
      category: 'kerajinan',
    })
    .attach('photos', await smallPng(), 'tas.png');
  if (res.status !== 303) throw new Error(`Listing form answered ${res.status}`);
  const listing = await prisma.listing.findFirstOrThrow({ where: { workshopId }, orderBy: { id: 'desc' }, select: { id: true } });
  return listing.id;
}
