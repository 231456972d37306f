// The catalogue of one workshop: visible listings only (not hidden, not deleted), searched on
// Listing.searchText (lower-case, accents removed) with the query normalized the same way.
import { prisma } from '../../db.js';
import { readRows } from '../../db-read.js';
import { NotFoundError } from '../../errors.js';
import { normalizeForSearch } from '../../lib/text.js';
import { Prisma } from '../../generated/prisma/client.js';
import { blockBetween } from '../safety/safety.service.js';
import { shopRating, toRating, type Rating } from '../shops/shops.service.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';
import type { CatalogQuery } from './catalog.schemas.js';

export const PAGE_SIZE = 24;

export type CatalogCard = {
  id: number;
  title: string;
  price: number;
  thumbPath: string | null;
  shopId: number;
  shopName: string;
  city: string;
  rating: Rating;
};

// One page is two SQL statements on the hot read path (src/db-read.ts): the 24 cards with their
// shop and cover photo, and the count of all matches; written by hand because Prisma's relation
// loading costs four round trips for the same page.
// Portable: quoted identifiers and LIMIT/OFFSET read the same on SQLite and PostgreSQL.
// Each order is the order of an index (ties by id in the index's direction), so a page is read,
// not sorted: among equal prices the older listing comes first going up, the newer going down.
const orderBys: Record<CatalogQuery['sort'], Prisma.Sql> = {
  newest: Prisma.sql`l."createdAt" DESC, l."id" DESC`,
  'price-asc': Prisma.sql`l."price" ASC, l."id" ASC`,
  'price-desc': Prisma.sql`l."price" DESC, l."id" DESC`,
};

/** LIKE pattern for "contains word", with the wildcards of the word itself taken literally. */
function containsPattern(word: string): string {
  return `%${word.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

type CardRow = {
  id: number;
  title: string;
  price: number;
  shopId: number;
  shopName: string;
  city: string;
  thumbPath: string | null;
  ratingSum: number;
  ratingCount: number;
};

// Catalogue pages are cached in memory under the workshop's catalogVersion, which database
// triggers move in the same transaction as any change to what a card shows (a listing, its
// photos, its shop's name or city, its rating), whichever code or app instance made it. The
// version comes with the membership check every workshop page already makes (ctx), so a cached
// page costs no query and can never be older than the request. Stock is not on a card, so
// buying does not empty the cache. Bounded: the oldest pages go first.
type CatalogPage = Readonly<{ cards: readonly CatalogCard[]; total: number; page: number; pages: number }>;
const MAX_CACHED_PAGES = 500;
const cachedPages = new Map<string, CatalogPage>();

/**
 * A page of the catalogue. `hiddenOwners`: the people she blocked (src/features/safety), whose
 * listings she does not see; such a page is hers alone, so it is read and not cached.
 */
export async function searchCatalog(ctx: WorkshopCtx, query: CatalogQuery, hiddenOwners: readonly number[] = []): Promise<CatalogPage> {
  // Every word must appear, in any order: "kopi bubuk" finds "Kopi Kintamani Bubuk".
  const words = normalizeForSearch(query.q).split(' ').filter(Boolean).slice(0, 6);
  if (hiddenOwners.length) return readCatalogPage(ctx, query, words, hiddenOwners);
  const key = JSON.stringify([ctx.workshopId, ctx.catalogVersion, query.sort, query.category ?? '', query.page, words]);
  const cached = cachedPages.get(key);
  if (cached) return cached;
  const result = await readCatalogPage(ctx, query, words);
  if (cachedPages.size >= MAX_CACHED_PAGES) cachedPages.delete(cachedPages.keys().next().value!);
  cachedPages.set(key, result);
  return result;
}

async function readCatalogPage(
  ctx: WorkshopCtx,
  query: CatalogQuery,
  words: string[],
  hiddenOwners: readonly number[] = [],
): Promise<CatalogPage> {
  const conditions = [Prisma.sql`l."workshopId" = ${ctx.workshopId}`, Prisma.sql`l."hidden" = false`, Prisma.sql`l."deletedAt" IS NULL`];
  if (hiddenOwners.length)
    conditions.push(Prisma.sql`l."shopId" NOT IN (SELECT h."id" FROM "Shop" h WHERE h."ownerId" IN (${Prisma.join(hiddenOwners)}))`);
  if (query.category) conditions.push(Prisma.sql`l."category" = ${query.category}`);
  for (const word of words) conditions.push(Prisma.sql`l."searchText" LIKE ${containsPattern(word)} ESCAPE '!'`);
  const where = Prisma.join(conditions, ' AND ');

  const cardsAt = (page: number) =>
    readRows<CardRow>(Prisma.sql`
    SELECT l."id", l."title", l."price", l."ratingSum", l."ratingCount",
           s."id" AS "shopId", s."name" AS "shopName", s."city" AS "city",
           (SELECT p."thumbPath" FROM "ListingPhoto" p WHERE p."listingId" = l."id" ORDER BY p."position" LIMIT 1) AS "thumbPath"
    FROM "Listing" l JOIN "Shop" s ON s."id" = l."shopId"
    WHERE ${where}
    ORDER BY ${orderBys[query.sort]}
    LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`);

  let page = query.page;
  let rows = await cardsAt(page);
  // Counted apart: a COUNT(*) OVER () in the page query makes the database build every matching
  // card (shop, cover photo) before it keeps 24; this count reads the index only.
  const [counted] = await readRows<{ total: number | bigint }>(Prisma.sql`SELECT COUNT(*) AS "total" FROM "Listing" l WHERE ${where}`);
  const total = Number(counted?.total ?? 0);
  if (!rows.length && page > 1) {
    // Past the last page (an old link): show the last page.
    page = Math.max(1, Math.ceil(total / PAGE_SIZE));
    rows = total ? await cardsAt(page) : [];
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const cards: CatalogCard[] = rows.map((row) => ({
    id: Number(row.id),
    title: row.title,
    price: Number(row.price),
    thumbPath: row.thumbPath,
    shopId: Number(row.shopId),
    shopName: row.shopName,
    city: row.city,
    rating: toRating(Number(row.ratingSum), Number(row.ratingCount)),
  }));
  return { cards, total, page, pages };
}

/** A product page: visible listings for everyone, and the seller also sees their hidden one. */
export async function getProduct(ctx: WorkshopCtx, listingId: number) {
  const listing = await prisma.listing.findFirst({
    where: { id: listingId, workshopId: ctx.workshopId, deletedAt: null },
    include: {
      shop: { select: { id: true, name: true, city: true, ownerId: true, logoPath: true } },
      photos: { orderBy: { position: 'asc' } },
      reviews: {
        orderBy: { createdAt: 'desc' },
        take: 50,
        select: {
          id: true,
          rating: true,
          text: true,
          reply: true,
          repliedAt: true,
          createdAt: true,
          buyer: { select: { displayName: true } },
        },
      },
    },
  });
  const isMine = listing?.shop.ownerId === ctx.userId;
  if (!listing || (listing.hidden && !isMine)) throw new NotFoundError(`Listing ${listingId} is not visible in workshop ${ctx.workshopId}`);
  const agg = await prisma.review.aggregate({ where: { listingId: listing.id }, _sum: { rating: true }, _count: { _all: true } });
  return {
    listing,
    isMine,
    rating: toRating(agg._sum.rating ?? 0, agg._count._all),
    shopRating: await shopRating(listing.shop.id),
    /** She blocked its seller: the page says so and offers to unblock instead of selling. */
    sellerBlocked: !isMine && (await blockBetween(ctx.workshopId, ctx.userId, listing.shop.ownerId)) === 'byMe',
  };
}
