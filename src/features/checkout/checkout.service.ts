// Checkout: the shipping address (kept for next time), a courier per shop, a review, then one
// order per shop inside one Checkout, in one transaction that reserves the stock. The form's
// idempotency key makes a double submit return the checkout already placed.
import { config } from '../../config.js';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { NotFoundError, RefusedError, ValidationError } from '../../errors.js';
import { workshopNow } from '../workshops/clock.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { loadBuyNow, loadCart, type CartShopGroup } from '../cart/cart.service.js';
import type { AddressInput } from './checkout.schemas.js';
import { findCourier, quoteAll, shippingFee, type CourierOption } from './shipping.js';

type Ctx = Pick<WorkshopCtx, 'workshopId' | 'userId' | 'role' | 'clockOffsetMs'>;

export async function findAddress(userId: number) {
  return prisma.address.findUnique({ where: { userId }, select: { name: true, phone: true, line: true, city: true, postalCode: true } });
}

/** The checkout form: the cart by shop, every courier's fee for each shop's parcel, the saved address. */
export async function getCheckoutForm(ctx: Ctx) {
  const cart = await loadCart(ctx);
  const groups = cart.groups.map((group) => ({ ...group, quotes: quoteAll(group.weightGrams) }));
  return { cart, groups, address: await findAddress(ctx.userId) };
}

function assertCartReady(cart: Awaited<ReturnType<typeof loadCart>>): void {
  if (!cart.groups.length) throw new RefusedError('checkout:errors.emptyCart');
  for (const group of cart.groups) {
    for (const line of group.lines) if (line.problem) throw new RefusedError(line.problem.key, line.problem.params);
  }
}

function courierFor(group: CartShopGroup, choices: Record<number, string>): CourierOption | undefined {
  const code = choices[group.shopId];
  return code ? findCourier(code) : undefined;
}

/** Saves the address on the user (prefilled next time) and checks a courier was chosen per shop. */
export async function saveShipping(ctx: Ctx, address: AddressInput, choices: Record<number, string>): Promise<Record<number, string>> {
  assertRole(ctx as WorkshopCtx, 'trainee');
  const cart = await loadCart(ctx);
  assertCartReady(cart);
  const errors: Record<string, string> = {};
  for (const group of cart.groups) if (!courierFor(group, choices)) errors[`courier_${group.shopId}`] = 'checkout:validation.courier';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await prisma.address.upsert({ where: { userId: ctx.userId }, create: { userId: ctx.userId, ...address }, update: address });
  return Object.fromEntries(cart.groups.map((g) => [g.shopId, choices[g.shopId]!]));
}

export type ShopQuote = CartShopGroup & { courier: CourierOption; shippingFee: number; total: number };

function priceGroups(groups: CartShopGroup[], choices: Record<number, string>): { shops: ShopQuote[]; total: number } {
  const shops = groups.map((group) => {
    const courier = courierFor(group, choices);
    if (!courier) throw new RefusedError('checkout:errors.chooseCourier', { shop: group.shopName });
    const fee = shippingFee(courier, group.weightGrams);
    return { ...group, courier, shippingFee: fee, total: group.subtotal + fee };
  });
  return { shops, total: shops.reduce((sum, s) => sum + s.total, 0) };
}

/** The review step: items, fees and the total the buyer is about to order. */
export async function getCheckoutReview(ctx: Ctx, choices: Record<number, string>) {
  const cart = await loadCart(ctx);
  assertCartReady(cart);
  const address = await findAddress(ctx.userId);
  if (!address) throw new RefusedError('checkout:errors.noAddress');
  return { ...priceGroups(cart.groups, choices), address };
}

async function existingCheckout(db: Tx, ctx: Ctx, idempotencyKey: string): Promise<number | null> {
  const existing = await db.checkout.findUnique({ where: { idempotencyKey }, select: { id: true, buyerId: true, workshopId: true } });
  if (!existing) return null;
  if (existing.buyerId !== ctx.userId || existing.workshopId !== ctx.workshopId)
    throw new NotFoundError('Idempotency key of another checkout');
  return existing.id;
}

/**
 * "Buat pesanan": one order per shop, all in one Checkout, stock reserved with conditional
 * updates (never below zero, whoever else is buying), the ordered items taken out of the cart
 * (or, with `buyNow`, one listing bought outside the cart). The same idempotency key again
 * returns the checkout already placed.
 */
export async function placeOrders(
  ctx: Ctx,
  input: {
    idempotencyKey: string;
    choices: Record<number, string>;
    expectedTotal?: number;
    buyNow?: { listingId: number; quantity: number };
  },
  now = workshopNow(ctx),
): Promise<{ checkoutId: number; repeated: boolean }> {
  assertRole(ctx as WorkshopCtx, 'trainee');
  const before = await existingCheckout(prisma, ctx, input.idempotencyKey);
  if (before) return { checkoutId: before, repeated: true };
  try {
    return await prisma.$transaction(async (tx) => {
      const again = await existingCheckout(tx, ctx, input.idempotencyKey);
      if (again) return { checkoutId: again, repeated: true };
      const cart = input.buyNow ? await loadBuyNow(ctx, input.buyNow, tx) : await loadCart(ctx, tx);
      assertCartReady(cart);
      const address = await tx.address.findUnique({ where: { userId: ctx.userId } });
      if (!address) throw new RefusedError('checkout:errors.noAddress');
      const { shops, total } = priceGroups(cart.groups, input.choices);
      if (input.expectedTotal !== undefined && input.expectedTotal !== total) throw new RefusedError('checkout:errors.totalChanged');

      const checkout = await tx.checkout.create({
        data: { workshopId: ctx.workshopId, buyerId: ctx.userId, idempotencyKey: input.idempotencyKey, total },
        select: { id: true },
      });
      const paymentDueAt = new Date(now.getTime() + config.paymentWindowHours * 3600_000);
      for (const shop of shops) {
        for (const line of shop.lines) {
          const reserved = await tx.listing.updateMany({
            where: { id: line.listingId, workshopId: ctx.workshopId, stock: { gte: line.quantity }, hidden: false, deletedAt: null },
            data: { stock: { decrement: line.quantity } },
          });
          if (reserved.count !== 1) throw new RefusedError('checkout:errors.stockGone', { title: line.title });
        }
        await tx.order.create({
          data: {
            workshopId: ctx.workshopId,
            checkoutId: checkout.id,
            buyerId: ctx.userId,
            shopId: shop.shopId,
            status: 'menunggu_pembayaran',
            subtotal: shop.subtotal,
            shippingFee: shop.shippingFee,
            total: shop.total,
            courier: shop.courier.courier,
            courierService: shop.courier.service,
            shipName: address.name,
            shipPhone: address.phone,
            shipLine: address.line,
            shipCity: address.city,
            shipPostalCode: address.postalCode,
            paymentDueAt,
            createdAt: now,
            items: {
              create: shop.lines.map((line) => ({
                listingId: line.listingId,
                title: line.title,
                price: line.price,
                quantity: line.quantity,
                weightGrams: line.weightGrams,
              })),
            },
            events: { create: { fromStatus: null, toStatus: 'menunggu_pembayaran', action: 'place', actorId: ctx.userId, createdAt: now } },
          },
        });
      }
      if (!input.buyNow) {
        // Lines another tab ordered meanwhile are gone: this cart was already ordered.
        const lineIds = shops.flatMap((s) => s.lines.map((l) => l.id));
        const removed = await tx.cartItem.deleteMany({ where: { id: { in: lineIds } } });
        if (removed.count !== lineIds.length) throw new RefusedError('checkout:errors.totalChanged');
      }
      return { checkoutId: checkout.id, repeated: false };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The same form submitted twice at once: the other submit placed the orders.
    const placed = await existingCheckout(prisma, ctx, input.idempotencyKey);
    if (!placed) throw error;
    return { checkoutId: placed, repeated: true };
  }
}

/** The page after "Buat pesanan": the orders placed, awaiting payment. */
export async function getPlacedCheckout(ctx: Ctx, checkoutId: number) {
  const checkout = await prisma.checkout.findFirst({
    where: { id: checkoutId, workshopId: ctx.workshopId, buyerId: ctx.userId },
    select: {
      id: true,
      total: true,
      paymentMethod: true,
      createdAt: true,
      orders: {
        orderBy: { id: 'asc' },
        select: {
          id: true,
          status: true,
          subtotal: true,
          shippingFee: true,
          total: true,
          courier: true,
          courierService: true,
          paymentDueAt: true,
          shop: { select: { id: true, name: true } },
          items: { select: { id: true, title: true, price: true, quantity: true } },
        },
      },
    },
  });
  if (!checkout) throw new NotFoundError(`Checkout ${checkoutId} is not this buyer's`);
  const awaitingPayment = checkout.orders.filter((o) => o.status === 'menunggu_pembayaran');
  return { ...checkout, awaitingPayment: awaitingPayment.length > 0, paymentDueAt: awaitingPayment[0]?.paymentDueAt ?? null };
}
