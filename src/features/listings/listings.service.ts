// A seller's listings. Only the shop's owner may write them; every query carries ctx.workshopId.
// Deleting is soft (deletedAt): old orders keep their snapshot and their link to the listing.
import { prisma } from '../../db.js';
import { emit } from '../../events.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { removeStoredFiles, storeImage, type StoredImage } from '../../http/uploads.js';
import type { ImageSizes, PreparedImage } from '../../lib/images.js';
import { normalizeForSearch } from '../../lib/text.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';
import { coachListing } from './coach.js';
import type { ListingInput } from './listings.schemas.js';

export const MAX_LISTING_PHOTOS = 5;
export const photoSizes: ImageSizes = { maxSide: 1200, thumbSide: 400 };

export function listingSearchText(title: string, description: string): string {
  return normalizeForSearch(`${title} ${description}`);
}

function listingData(input: ListingInput) {
  return {
    title: input.title,
    description: input.description,
    searchText: listingSearchText(input.title, input.description),
    price: input.price,
    stock: input.stock,
    weightGrams: input.weightGrams,
    minOrder: input.minOrder,
    condition: input.condition,
    category: input.category,
  };
}

async function storeAll(images: PreparedImage[]): Promise<StoredImage[]> {
  const stored: StoredImage[] = [];
  try {
    for (const image of images) stored.push(await storeImage(image, 'listings'));
  } catch (error) {
    await removeStoredFiles(stored.flatMap((s) => [s.path, s.thumbPath]));
    throw error;
  }
  return stored;
}

async function requireSellerShop(ctx: WorkshopCtx) {
  const shop = await prisma.shop.findUnique({
    where: { workshopId_ownerId: { workshopId: ctx.workshopId, ownerId: ctx.userId } },
    select: { id: true },
  });
  if (!shop) throw new ForbiddenError(`User ${ctx.userId} has no shop`, 'listings:needShop');
  return shop;
}

/** A listing of this workshop that the signed-in user sells; 404 outside the workshop, 403 for another seller. */
async function requireOwnListing(ctx: WorkshopCtx, listingId: number) {
  const listing = await prisma.listing.findFirst({
    where: { id: listingId, workshopId: ctx.workshopId, deletedAt: null },
    include: { shop: { select: { ownerId: true } }, photos: { orderBy: { position: 'asc' } } },
  });
  if (!listing) throw new NotFoundError(`Listing ${listingId} is not in workshop ${ctx.workshopId}`);
  if (listing.shop.ownerId !== ctx.userId) throw new ForbiddenError(`Listing ${listingId} belongs to another seller`);
  return listing;
}

export async function createListing(ctx: WorkshopCtx, input: ListingInput, images: PreparedImage[]): Promise<number> {
  const shop = await requireSellerShop(ctx);
  if (images.length > MAX_LISTING_PHOTOS) throw new ValidationError({ photos: 'common:upload.tooMany' });
  const stored = await storeAll(images);
  let listingId: number;
  try {
    const listing = await prisma.listing.create({
      data: {
        workshopId: ctx.workshopId,
        shopId: shop.id,
        ...listingData(input),
        photos: { create: stored.map((s, position) => ({ workshopId: ctx.workshopId, ...s, position })) },
      },
      select: { id: true },
    });
    listingId = listing.id;
  } catch (error) {
    await removeStoredFiles(stored.flatMap((s) => [s.path, s.thumbPath]));
    throw error;
  }
  await emit('listingCreated', { workshopId: ctx.workshopId, shopId: shop.id, listingId });
  return listingId;
}

export async function getListingForEdit(ctx: WorkshopCtx, listingId: number) {
  const listing = await requireOwnListing(ctx, listingId);
  const hints = coachListing({ ...listing, photoCount: listing.photos.length });
  return { listing, hints };
}

/** Saves the fields, removes the photos ticked for removal and appends the new ones (5 at most). */
export async function updateListing(ctx: WorkshopCtx, listingId: number, input: ListingInput, images: PreparedImage[]): Promise<void> {
  const listing = await requireOwnListing(ctx, listingId);
  const removed = listing.photos.filter((p) => input.removePhotoIds.includes(p.id));
  const kept = listing.photos.filter((p) => !input.removePhotoIds.includes(p.id));
  if (kept.length + images.length > MAX_LISTING_PHOTOS) throw new ValidationError({ photos: 'common:upload.tooMany' });
  const stored = await storeAll(images);
  try {
    await prisma.$transaction(async (tx) => {
      await tx.listing.update({ where: { id: listing.id }, data: listingData(input) });
      if (removed.length) await tx.listingPhoto.deleteMany({ where: { id: { in: removed.map((p) => p.id) }, listingId: listing.id } });
      for (const [index, photo] of kept.entries()) {
        if (photo.position !== index) await tx.listingPhoto.update({ where: { id: photo.id }, data: { position: index } });
      }
      if (stored.length) {
        await tx.listingPhoto.createMany({
          data: stored.map((s, i) => ({ workshopId: ctx.workshopId, listingId: listing.id, ...s, position: kept.length + i })),
        });
      }
    });
  } catch (error) {
    await removeStoredFiles(stored.flatMap((s) => [s.path, s.thumbPath]));
    throw error;
  }
  await removeStoredFiles(removed.flatMap((p) => [p.path, p.thumbPath]));
}

export async function setListingHidden(ctx: WorkshopCtx, listingId: number, hidden: boolean): Promise<void> {
  const listing = await requireOwnListing(ctx, listingId);
  await prisma.listing.update({ where: { id: listing.id }, data: { hidden } });
}

/**
 * Soft delete: the listing leaves the catalogue, carts and "my shop"; orders keep their item
 * snapshot. Its photos stay on disk while orders may still point at the product page.
 */
export async function deleteListing(ctx: WorkshopCtx, listingId: number): Promise<void> {
  const listing = await requireOwnListing(ctx, listingId);
  await prisma.$transaction([
    prisma.listing.update({ where: { id: listing.id }, data: { deletedAt: new Date() } }),
    prisma.cartItem.deleteMany({ where: { listingId: listing.id, workshopId: ctx.workshopId } }),
  ]);
}
