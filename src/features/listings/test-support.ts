// Builders for marketplace tests: a trainee's shop and listings, made through the services.
import type { ListingInput } from './listings.schemas.js';
import { createListing } from './listings.service.js';
import { openShop } from '../shops/shops.service.js';
import { enterWorkshop } from '../workshops/workshops.service.js';
import type { PreparedImage } from '../../lib/images.js';

export async function ctxOf(userId: number, workshopId: number) {
  return enterWorkshop(userId, workshopId);
}

export async function makeShop(userId: number, workshopId: number, name = `Toko ${userId}-${workshopId}`) {
  const ctx = await ctxOf(userId, workshopId);
  const shopId = await openShop(ctx, { name, city: 'Denpasar', description: 'Toko latihan' }, null);
  return { ctx, shopId };
}

export function listingInput(overrides: Partial<ListingInput> = {}): ListingInput {
  return {
    title: 'Kain Endek Bali Motif Bunga',
    description: 'Kain endek tenun tangan dari Gianyar, panjang 2 meter, lebar 110 cm, pewarna alami.',
    price: 150_000,
    stock: 10,
    weightGrams: 400,
    minOrder: 1,
    condition: 'new',
    category: 'kain-tenun',
    removePhotoIds: [],
    ...overrides,
  };
}

export async function makeListing(userId: number, workshopId: number, overrides: Partial<ListingInput> = {}, images: PreparedImage[] = []) {
  const ctx = await ctxOf(userId, workshopId);
  return createListing(ctx, listingInput(overrides), images);
}
