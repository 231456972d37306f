// Builders for marketplace tests: a trainee's shop and listings, made through the services.
import { openShop } from '../shops/shops.service.js';
import { enterWorkshop } from '../workshops/workshops.service.js';
import type { PreparedImage } from '../../lib/images.js';
import { prisma } from '../../db.js';
import { createListing } from './listings.service.js';
import type { ListingInput } from './listings.schemas.js';

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

/** A finished order of one item with its review, written straight to the database. */
export async function makeReviewedOrder(options: {
  workshopId: number;
  buyerId: number;
  listingId: number;
  rating: number;
  text: string;
  reply?: string;
}) {
  const listing = await prisma.listing.findUniqueOrThrow({ where: { id: options.listingId } });
  const checkout = await prisma.checkout.create({
    data: { workshopId: options.workshopId, buyerId: options.buyerId, idempotencyKey: `test-${Math.random()}`, total: listing.price },
  });
  const order = await prisma.order.create({
    data: {
      workshopId: options.workshopId,
      checkoutId: checkout.id,
      buyerId: options.buyerId,
      shopId: listing.shopId,
      status: 'selesai',
      subtotal: listing.price,
      shippingFee: 0,
      total: listing.price,
      courier: 'jne',
      courierService: 'REG',
      shipName: 'Pembeli',
      shipPhone: '081234567890',
      shipLine: 'Jl. Test 1',
      shipCity: 'Denpasar',
      shipPostalCode: '80111',
      paymentDueAt: new Date(),
      items: {
        create: { listingId: listing.id, title: listing.title, price: listing.price, quantity: 1, weightGrams: listing.weightGrams },
      },
      events: { create: { toStatus: 'menunggu_pembayaran', action: 'place', actorId: options.buyerId } },
    },
    include: { items: true },
  });
  const review = await prisma.review.create({
    data: {
      workshopId: options.workshopId,
      orderItemId: order.items[0]!.id,
      listingId: listing.id,
      shopId: listing.shopId,
      buyerId: options.buyerId,
      rating: options.rating,
      text: options.text,
      reply: options.reply ?? null,
      repliedAt: options.reply ? new Date() : null,
    },
  });
  // As the reviews service does: the listing's running totals move with each review.
  await prisma.listing.update({
    where: { id: listing.id },
    data: { ratingSum: { increment: options.rating }, ratingCount: { increment: 1 } },
  });
  return { checkout, order, review };
}
