// Test builders for the marketplace's orders: a shop, a listing, a buyer's ctx, a placed order.
// Shops and listings are written directly (their own feature has its own tests).
import { randomUUID } from 'node:crypto';
import { prisma } from '../../db.js';
import { enterWorkshop, type WorkshopCtx } from '../workshops/workshops.service.js';
import { addToCart } from '../cart/cart.service.js';
import { placeOrders, saveShipping } from '../checkout/checkout.service.js';
import { unique } from '../../test/helpers.js';
import { markOrdersPaid } from './orders.service.js';

export const address = {
  name: 'Siti Aminah',
  phone: '081234567890',
  line: 'Jl. Gatot Subroto No. 12',
  city: 'Denpasar',
  postalCode: '80116',
};

export async function makeShop(workshopId: number, ownerId: number) {
  return prisma.shop.create({ data: { workshopId, ownerId, name: unique('Toko '), city: 'Denpasar', description: 'Toko latihan' } });
}

export async function makeListing(
  workshopId: number,
  shopId: number,
  overrides: Partial<{
    price: number;
    stock: number;
    weightGrams: number;
    minOrder: number;
    hidden: boolean;
    deletedAt: Date | null;
    title: string;
  }> = {},
) {
  const title = overrides.title ?? unique('Kain endek ');
  return prisma.listing.create({
    data: {
      workshopId,
      shopId,
      title,
      searchText: title.toLowerCase(),
      description: 'Tenun ikat Bali',
      price: 150_000,
      stock: 10,
      weightGrams: 400,
      condition: 'new',
      category: 'fashion',
      ...overrides,
    },
  });
}

export const ctxOf = (workshopId: number, userId: number): Promise<WorkshopCtx> => enterWorkshop(userId, workshopId);

/** The buyer puts `quantity` of the listing in the cart and places the order (JNE REG). */
export async function placeOrder(buyer: WorkshopCtx, listingId: number, quantity = 1, now = new Date()) {
  await addToCart(buyer, { listingId, quantity });
  const listing = await prisma.listing.findUniqueOrThrow({ where: { id: listingId } });
  await saveShipping(buyer, address, { [listing.shopId]: 'jne-reg' });
  const { checkoutId } = await placeOrders(buyer, { idempotencyKey: randomUUID(), choices: { [listing.shopId]: 'jne-reg' } }, now);
  const order = await prisma.order.findFirstOrThrow({ where: { checkoutId } });
  return { checkoutId, orderId: order.id };
}

export async function payCheckout(checkoutId: number, paidAt = new Date()) {
  return prisma.$transaction((tx) => markOrdersPaid(tx, checkoutId, paidAt));
}

/** A workshop with a seller (shop + listing) and a buyer, their ctxs ready. */
export async function marketplace(options: { stock?: number; trainees?: number } = {}) {
  const { makeWorkshop } = await import('../../test/helpers.js');
  const ws = await makeWorkshop({ trainees: options.trainees ?? 2 });
  const [sellerUser, buyerUser] = ws.trainees as [(typeof ws.trainees)[0], (typeof ws.trainees)[0]];
  const shop = await makeShop(ws.workshopId, sellerUser.id);
  const listing = await makeListing(ws.workshopId, shop.id, { stock: options.stock ?? 10 });
  return {
    ...ws,
    sellerUser,
    buyerUser,
    shop,
    listing,
    seller: await ctxOf(ws.workshopId, sellerUser.id),
    buyer: await ctxOf(ws.workshopId, buyerUser.id),
  };
}
