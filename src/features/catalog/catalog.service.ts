// The catalogue of one workshop: visible listings only (not hidden, not deleted), searched on
// Listing.searchText (lower-case, accents removed) with the query normalized the same way.
import { prisma } from '../../db.js';
import { NotFoundError } from '../../http/errors.js';
import { normalizeForSearch } from '../../lib/text.js';
import type { Prisma } from '../../generated/prisma/client.js';
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

const orderBys: Record<CatalogQuery['sort'], Prisma.ListingOrderByWithRelationInput[]> = {
  newest: [{ createdAt: 'desc' }, { id: 'desc' }],
  'price-asc': [{ price: 'asc' }, { id: 'desc' }],
  'price-desc': [{ price: 'desc' }, { id: 'desc' }],
};

export async function searchCatalog(ctx: WorkshopCtx, query: CatalogQuery) {
  // Every word must appear, in any order: "kopi bubuk" finds "Kopi Kintamani Bubuk".
  const words = normalizeForSearch(query.q).split(' ').filter(Boolean).slice(0, 6);
  const where: Prisma.ListingWhereInput = {
    workshopId: ctx.workshopId,
    hidden: false,
    deletedAt: null,
    ...(query.category ? { category: query.category } : {}),
    ...(words.length ? { AND: words.map((word) => ({ searchText: { contains: word } })) } : {}),
  };
  const total = await prisma.listing.count({ where });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await prisma.listing.findMany({
    where,
    orderBy: orderBys[query.sort],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true,
      title: true,
      price: true,
      ratingSum: true,
      ratingCount: true,
      shop: { select: { id: true, name: true, city: true } },
      photos: { orderBy: { position: 'asc' }, take: 1, select: { thumbPath: true } },
    },
  });
  const ratings = await ratingsOf(rows.map((row) => row.id));
  const cards: CatalogCard[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    price: row.price,
    thumbPath: row.photos[0]?.thumbPath ?? null,
    shopId: row.shop.id,
    shopName: row.shop.name,
    city: row.shop.city,
    rating: ratings.get(row.id) ?? toRating(0, 0),
  }));
  return { cards, total, page, pages };
}

/** Average stars per listing, read from the Review rows themselves. */
async function ratingsOf(listingIds: number[]): Promise<Map<number, Rating>> {
  if (!listingIds.length) return new Map();
  const groups = await prisma.review.groupBy({
    by: ['listingId'],
    where: { listingId: { in: listingIds } },
    _sum: { rating: true },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.listingId, toRating(g._sum.rating ?? 0, g._count._all)]));
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
        select: { id: true, rating: true, text: true, reply: true, repliedAt: true, createdAt: true, buyer: { select: { displayName: true } } },
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
  };
}
