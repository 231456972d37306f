import { randomUUID } from 'node:crypto';
import { prisma } from '../../db.js';
import { addToCart } from '../../features/cart/cart.service.js';
import { placeOrders, saveShipping } from '../../features/checkout/checkout.service.js';
import { buyerConfirmReceipt, markOrdersPaid, sellerAcceptOrder, sellerShipOrder } from '../../features/orders/orders.service.js';
import type { WorkshopCtx } from '../../features/workshops/workshops.service.js';
import { idOf, type Ref } from './ref.js';
import { makeListing, makeShop } from './shops.js';
import { ctxOf, makeWorkshop } from './workshops.js';

/** The buyer's address, as typed in the checkout form. */
export const shippingAddress = {
  name: 'Siti Aminah',
  phone: '081234567890',
  line: 'Jl. Gatot Subroto No. 12',
  city: 'Denpasar',
  postalCode: '80116',
};

/**
 * An order placed as the buyer does: `quantity` (1) of the listing in the cart, the address, JNE
 * REG, "Buat pesanan"; then paid when `paid`. Returns the checkout's and the order's ids.
 */
export async function makeOrder(options: { buyer: WorkshopCtx; listing: Ref; quantity?: number; paid?: boolean; now?: Date }) {
  const { buyer, quantity = 1 } = options;
  const listing = await prisma.listing.findUniqueOrThrow({ where: { id: idOf(options.listing) } });
  await addToCart(buyer, { listingId: listing.id, quantity });
  await saveShipping(buyer, shippingAddress, { [listing.shopId]: 'jne-reg' });
  // Without `now`, the workshop's time (its training clock).
  const { checkoutId } = await placeOrders(buyer, { idempotencyKey: randomUUID(), choices: { [listing.shopId]: 'jne-reg' } }, options.now);
  const order = await prisma.order.findFirstOrThrow({ where: { checkoutId } });
  if (options.paid) await payCheckout(checkoutId);
  return { checkoutId, orderId: order.id };
}

/** Marks the checkout's orders paid, as a confirmed payment does. */
export async function payCheckout(checkoutId: number, paidAt = new Date()) {
  return prisma.$transaction((tx) => markOrdersPaid(tx, checkoutId, paidAt));
}

/**
 * A payment of the checkout as the payments feature leaves it: `method` (card), `status`
 * (succeeded, or pending, failed...), a card that went through 3-D Secure, and declined card
 * attempts before it (`declinedFirst`). Amount: the checkout's total.
 */
export async function makePayment(options: {
  checkout: Ref;
  method?: 'card' | 'va' | 'qris' | 'cod';
  status?: 'pending' | 'succeeded' | 'failed' | 'expired' | 'refunded';
  threeDSecure?: boolean;
  declinedFirst?: number;
}) {
  const checkout = await prisma.checkout.findUniqueOrThrow({ where: { id: idOf(options.checkout) } });
  const status = options.status ?? 'succeeded';
  const payment = await prisma.payment.create({
    data: {
      workshopId: checkout.workshopId,
      checkoutId: checkout.id,
      method: options.method ?? 'card',
      status,
      amount: checkout.total,
      threeDSecure: options.threeDSecure ?? false,
      paidAt: status === 'succeeded' ? new Date() : null,
    },
  });
  for (let i = 0; i < (options.declinedFirst ?? 0); i++)
    await prisma.paymentAttempt.create({ data: { paymentId: payment.id, outcome: 'declined', declineCode: 'generic_decline' } });
  if (status === 'succeeded') await prisma.paymentAttempt.create({ data: { paymentId: payment.id, outcome: 'succeeded' } });
  return payment;
}

/** A finished order of one item with its review, written straight to the database. */
export async function makeReviewedOrder(options: { listing: Ref; buyer: Ref; rating: number; text: string; reply?: string }) {
  const listing = await prisma.listing.findUniqueOrThrow({ where: { id: idOf(options.listing) } });
  const { workshopId } = listing;
  const buyerId = idOf(options.buyer);
  const checkout = await prisma.checkout.create({
    data: { workshopId, buyerId, idempotencyKey: randomUUID(), total: listing.price },
  });
  const order = await prisma.order.create({
    data: {
      workshopId,
      checkoutId: checkout.id,
      buyerId,
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
      events: { create: { toStatus: 'menunggu_pembayaran', action: 'place', actorId: buyerId } },
    },
    include: { items: true },
  });
  const review = await prisma.review.create({
    data: {
      workshopId,
      orderItemId: order.items[0]!.id,
      listingId: listing.id,
      shopId: listing.shopId,
      buyerId,
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

/** A workshop where the first trainee sells (a shop and one listing of `stock`, 10) and the second buys, their ctxs ready. */
export async function makeMarketplace(options: { stock?: number; trainees?: number } = {}) {
  const ws = await makeWorkshop({ trainees: options.trainees ?? 2 });
  const [sellerUser, buyerUser] = ws.trainees as [(typeof ws.trainees)[0], (typeof ws.trainees)[0]];
  const shop = await makeShop({ workshop: ws.workshopId, owner: sellerUser });
  const listing = await makeListing({ shop, stock: options.stock ?? 10 });
  return {
    ...ws,
    sellerUser,
    buyerUser,
    shop,
    listing,
    seller: await ctxOf({ workshop: ws.workshopId, user: sellerUser }),
    buyer: await ctxOf({ workshop: ws.workshopId, user: buyerUser }),
  };
}

export type Marketplace = Awaited<ReturnType<typeof makeMarketplace>>;

/**
 * An order of the marketplace's listing brought to `status` as people do it (the app's events
 * must be wired: createApp()): paid, accepted and shipped with tracking number JNE0123456789,
 * then received. Returns the checkout's and the order's ids.
 */
export async function makeOrderUpTo(m: Marketplace, status: 'diproses' | 'dikirim' | 'selesai', options: { quantity?: number } = {}) {
  const placed = await makeOrder({ buyer: m.buyer, listing: m.listing, quantity: options.quantity ?? 1, paid: true });
  if (status === 'diproses') return placed;
  await sellerAcceptOrder(m.seller, placed.orderId);
  await sellerShipOrder(m.seller, placed.orderId, 'JNE0123456789');
  if (status === 'selesai') await buyerConfirmReceipt(m.buyer, placed.orderId);
  return placed;
}
