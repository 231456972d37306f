// Shops: one per trainee per workshop. Every query is filtered by ctx.workshopId, so another
// workshop's shop is a 404, whatever id is in the URL.
import { isUniqueViolation, prisma } from '../../db.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { removeStoredFiles, storeImage } from '../../http/uploads.js';
import type { ImageSizes, PreparedImage } from '../../lib/images.js';
import { coachListing, type CoachHint } from '../listings/coach.js';
import { blockBetween } from '../safety/safety.service.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';
import type { ShopInput } from './shops.schemas.js';

export const logoSizes: ImageSizes = { maxSide: 600, thumbSide: 160 };

export type Rating = { average: number | null; count: number };

export function toRating(sum: number, count: number): Rating {
  return { average: count > 0 ? Math.round((sum / count) * 10) / 10 : null, count };
}

export async function findMyShop(ctx: WorkshopCtx) {
  return prisma.shop.findUnique({ where: { workshopId_ownerId: { workshopId: ctx.workshopId, ownerId: ctx.userId } } });
}

async function requireMyShop(ctx: WorkshopCtx) {
  const shop = await findMyShop(ctx);
  if (!shop) throw new NotFoundError(`User ${ctx.userId} has no shop in workshop ${ctx.workshopId}`);
  return shop;
}

function assertCanOpenShop(ctx: WorkshopCtx): void {
  if (ctx.role !== 'trainee') throw new ForbiddenError(`Workshop role ${ctx.role} does not open shops`, 'shops:onlyTrainees');
}

async function assertNameFree(ctx: WorkshopCtx, name: string, exceptShopId?: number): Promise<void> {
  const taken = await prisma.shop.findFirst({
    where: { workshopId: ctx.workshopId, name, ...(exceptShopId ? { id: { not: exceptShopId } } : {}) },
    select: { id: true },
  });
  if (taken) throw new ValidationError({ name: 'shops:validation.nameTaken' });
}

/** Opens the trainee's shop; returns its id. A second shop in the same workshop is refused. */
export async function openShop(ctx: WorkshopCtx, input: ShopInput, logo: PreparedImage | null): Promise<number> {
  assertCanOpenShop(ctx);
  if (await findMyShop(ctx)) throw new ValidationError({ _form: 'shops:validation.alreadyOpen' });
  await assertNameFree(ctx, input.name);
  const stored = logo ? await storeImage(logo, 'shops') : null;
  try {
    const shop = await prisma.shop.create({
      data: {
        workshopId: ctx.workshopId,
        ownerId: ctx.userId,
        name: input.name,
        city: input.city,
        description: input.description,
        logoPath: stored?.path ?? null,
      },
      select: { id: true },
    });
    return shop.id;
  } catch (error) {
    await removeStoredFiles([stored?.path, stored?.thumbPath]);
    // Two submits racing past the checks above: the unique keys decide, the person reads why.
    if (isUniqueViolation(error)) throw new ValidationError({ _form: 'shops:validation.alreadyOpen' });
    throw error;
  }
}

export async function updateMyShop(ctx: WorkshopCtx, input: ShopInput, logo: PreparedImage | null): Promise<void> {
  const shop = await requireMyShop(ctx);
  await assertNameFree(ctx, input.name, shop.id);
  const stored = logo ? await storeImage(logo, 'shops') : null;
  const dropOld = Boolean(stored || input.removeLogo);
  try {
    await prisma.shop.update({
      where: { id: shop.id },
      data: { name: input.name, city: input.city, description: input.description, ...(dropOld ? { logoPath: stored?.path ?? null } : {}) },
    });
  } catch (error) {
    await removeStoredFiles([stored?.path, stored?.thumbPath]);
    if (isUniqueViolation(error)) throw new ValidationError({ name: 'shops:validation.nameTaken' });
    throw error;
  }
  if (dropOld && shop.logoPath) await removeStoredFiles(logoFiles(shop.logoPath));
}

/** A logo is stored as <name>.webp with its thumbnail <name>-t.webp. */
export function logoFiles(logoPath: string): string[] {
  return [logoPath, logoPath.replace(/\.webp$/, '-t.webp')];
}

export async function shopRating(shopId: number): Promise<Rating> {
  const agg = await prisma.review.aggregate({ where: { shopId }, _sum: { rating: true }, _count: { _all: true } });
  return toRating(agg._sum.rating ?? 0, agg._count._all);
}

const visibleListing = { hidden: false, deletedAt: null } as const;

/**
 * The public page of a shop in this workshop: its visible listings only, and none when she blocked
 * its owner (as the catalogue hides them from her; the page says so and offers to unblock).
 */
export async function getShopPage(ctx: WorkshopCtx, shopId: number) {
  const shop = await prisma.shop.findFirst({
    where: { id: shopId, workshopId: ctx.workshopId },
    include: {
      owner: { select: { displayName: true } },
      listings: {
        where: visibleListing,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: {
          id: true,
          title: true,
          price: true,
          stock: true,
          photos: { orderBy: { position: 'asc' }, take: 1, select: { thumbPath: true } },
        },
      },
    },
  });
  if (!shop) throw new NotFoundError(`Shop ${shopId} is not in workshop ${ctx.workshopId}`);
  const isMine = shop.ownerId === ctx.userId;
  const ownerBlocked = !isMine && (await blockBetween(ctx.workshopId, ctx.userId, shop.ownerId)) === 'byMe';
  return { shop: { ...shop, listings: ownerBlocked ? [] : shop.listings }, rating: await shopRating(shop.id), isMine, ownerBlocked };
}

export type MyShopListing = {
  id: number;
  title: string;
  price: number;
  stock: number;
  hidden: boolean;
  thumbPath: string | null;
  hints: CoachHint[];
};

/** "My shop": every listing not deleted (hidden ones too), each with its coach hints. */
export async function getMyShopDashboard(ctx: WorkshopCtx) {
  const shop = await findMyShop(ctx);
  if (!shop) return null;
  const rows = await prisma.listing.findMany({
    where: { shopId: shop.id, workshopId: ctx.workshopId, deletedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: {
      id: true,
      title: true,
      description: true,
      price: true,
      stock: true,
      weightGrams: true,
      hidden: true,
      photos: { orderBy: { position: 'asc' }, select: { thumbPath: true } },
    },
  });
  const listings: MyShopListing[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    price: row.price,
    stock: row.stock,
    hidden: row.hidden,
    thumbPath: row.photos[0]?.thumbPath ?? null,
    hints: coachListing({ ...row, photoCount: row.photos.length }),
  }));
  return { shop, listings, rating: await shopRating(shop.id) };
}
