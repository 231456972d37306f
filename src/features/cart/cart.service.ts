// The cart: items of several shops, checked against the listing's rules (not one's own, still
// on sale, at least the minimum order, no more than the stock). Checkout reads it grouped by shop.
import { isForeignKeyViolation, prisma, type Tx } from '../../db.js';
import { NotFoundError, RefusedError } from '../../errors.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';

type ListingRules = {
  id: number;
  title: string;
  price: number;
  weightGrams: number;
  stock: number;
  minOrder: number;
  hidden: boolean;
  deletedAt: Date | null;
  shop: { ownerId: number };
};

/** Why this quantity of this listing cannot be bought by this user now, or null. */
export function cartProblem(
  listing: ListingRules,
  quantity: number,
  userId: number,
): { key: string; params: Record<string, string | number> } | null {
  const params = { title: listing.title, min: listing.minOrder, max: listing.stock };
  if (listing.shop.ownerId === userId) return { key: 'cart:errors.ownListing', params };
  // A free or weightless listing (kept from before the form refused them) cannot be checked out.
  if (listing.hidden || listing.deletedAt || listing.price < 1 || listing.weightGrams < 1)
    return { key: 'cart:errors.unavailable', params };
  if (listing.stock < listing.minOrder || listing.stock === 0) return { key: 'cart:errors.soldOut', params };
  if (quantity < listing.minOrder) return { key: 'cart:errors.belowMinOrder', params };
  if (quantity > listing.stock) return { key: 'cart:errors.aboveStock', params };
  return null;
}

const listingRulesSelect = {
  id: true,
  title: true,
  price: true,
  weightGrams: true,
  stock: true,
  minOrder: true,
  hidden: true,
  deletedAt: true,
  shop: { select: { ownerId: true } },
} as const;

function assertBuyable(listing: ListingRules, quantity: number, userId: number): void {
  const problem = cartProblem(listing, quantity, userId);
  if (problem) throw new RefusedError(problem.key, problem.params);
}

/** Adds to the cart; the same listing again adds to its quantity. Returns the listing's title. */
export async function addToCart(ctx: WorkshopCtx, input: { listingId: number; quantity: number }): Promise<{ title: string }> {
  assertRole(ctx, 'trainee'); // tutors and organizers watch; the practice market is the trainees'
  const listing = await prisma.listing.findFirst({
    where: { id: input.listingId, workshopId: ctx.workshopId },
    select: listingRulesSelect,
  });
  // A hidden or deleted listing is not on sale and, to anyone but its seller, not there at all:
  // the refusal would show its title.
  const gone = listing && (listing.hidden || listing.deletedAt) && listing.shop.ownerId !== ctx.userId;
  if (!listing || gone) throw new NotFoundError(`Listing ${input.listingId} is not on sale in workshop ${ctx.workshopId}`);
  const existing = await prisma.cartItem.findUnique({ where: { userId_listingId: { userId: ctx.userId, listingId: listing.id } } });
  const quantity = (existing?.quantity ?? 0) + input.quantity;
  assertBuyable(listing, quantity, ctx.userId);
  // Added to what is in the cart when written, not to what was read above: two taps on
  // PostgreSQL add two (checkout checks the stock again).
  try {
    await prisma.cartItem.upsert({
      where: { userId_listingId: { userId: ctx.userId, listingId: listing.id } },
      create: { workshopId: ctx.workshopId, userId: ctx.userId, listingId: listing.id, quantity },
      update: { quantity: { increment: input.quantity } },
    });
  } catch (error) {
    // Deleted since it was read above (its seller's reset): as if it had not been there.
    if (isForeignKeyViolation(error)) throw new NotFoundError(`Listing ${listing.id} was deleted while being added`);
    throw error;
  }
  return { title: listing.title };
}

async function findOwnItem(ctx: WorkshopCtx, itemId: number) {
  const item = await prisma.cartItem.findFirst({
    where: { id: itemId, workshopId: ctx.workshopId, userId: ctx.userId },
    select: { id: true, listing: { select: listingRulesSelect } },
  });
  if (!item) throw new NotFoundError(`Cart item ${itemId} is not this user's`);
  return item;
}

export async function updateCartItem(ctx: WorkshopCtx, itemId: number, quantity: number): Promise<void> {
  const item = await findOwnItem(ctx, itemId);
  assertBuyable(item.listing, quantity, ctx.userId);
  await prisma.cartItem.update({ where: { id: item.id }, data: { quantity } });
}

export async function removeCartItem(ctx: WorkshopCtx, itemId: number): Promise<void> {
  const item = await findOwnItem(ctx, itemId);
  await prisma.cartItem.delete({ where: { id: item.id } });
}

export type CartLine = {
  id: number;
  quantity: number;
  listingId: number;
  title: string;
  price: number;
  stock: number;
  minOrder: number;
  weightGrams: number;
  thumbPath: string | null;
  lineTotal: number;
  problem: { key: string; params: Record<string, string | number> } | null;
};

export type CartShopGroup = {
  shopId: number;
  shopName: string;
  shopCity: string;
  lines: CartLine[];
  subtotal: number;
  weightGrams: number;
};

export type LoadedCart = { groups: CartShopGroup[]; total: number; hasProblems: boolean; itemCount: number };

const cartListingSelect = {
  ...listingRulesSelect,
  price: true,
  weightGrams: true,
  shop: { select: { id: true, name: true, city: true, ownerId: true } },
  photos: { orderBy: { position: 'asc' }, take: 1, select: { thumbPath: true } },
} as const;

/** The user's cart in this workshop, grouped by shop, each line with its problem if any. */
export async function loadCart(ctx: Pick<WorkshopCtx, 'workshopId' | 'userId'>, db: Tx = prisma): Promise<LoadedCart> {
  const items = await db.cartItem.findMany({
    where: { workshopId: ctx.workshopId, userId: ctx.userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, quantity: true, listing: { select: cartListingSelect } },
  });
  return groupByShop(items, ctx.userId);
}

/**
 * "Beli sekarang": one listing bought at once, outside the cart, read as a cart of one line
 * (its line id is 0: no cart row) so checkout applies the same rules. The market's demo buyers
 * buy this way: their carts are never shared between two purchases running at once.
 */
export async function loadBuyNow(
  ctx: Pick<WorkshopCtx, 'workshopId' | 'userId'>,
  item: { listingId: number; quantity: number },
  db: Tx = prisma,
): Promise<LoadedCart> {
  const listing = await db.listing.findFirst({ where: { id: item.listingId, workshopId: ctx.workshopId }, select: cartListingSelect });
  if (!listing) throw new NotFoundError(`Listing ${item.listingId} is not in workshop ${ctx.workshopId}`);
  return groupByShop([{ id: 0, quantity: item.quantity, listing }], ctx.userId);
}

type CartListing = {
  id: number;
  quantity: number;
  listing: ListingRules & {
    price: number;
    weightGrams: number;
    shop: { id: number; name: string; city: string; ownerId: number };
    photos: { thumbPath: string }[];
  };
};

function groupByShop(items: CartListing[], userId: number): LoadedCart {
  const groups = new Map<number, CartShopGroup>();
  for (const item of items) {
    const l = item.listing;
    let group = groups.get(l.shop.id);
    if (!group) {
      group = { shopId: l.shop.id, shopName: l.shop.name, shopCity: l.shop.city, lines: [], subtotal: 0, weightGrams: 0 };
      groups.set(l.shop.id, group);
    }
    const problem = cartProblem(l, item.quantity, userId);
    const lineTotal = l.price * item.quantity;
    group.lines.push({
      id: item.id,
      quantity: item.quantity,
      listingId: l.id,
      title: l.title,
      price: l.price,
      stock: l.stock,
      minOrder: l.minOrder,
      weightGrams: l.weightGrams,
      thumbPath: l.photos[0]?.thumbPath ?? null,
      lineTotal,
      problem,
    });
    group.subtotal += lineTotal;
    group.weightGrams += l.weightGrams * item.quantity;
  }
  const list = [...groups.values()];
  return {
    groups: list,
    total: list.reduce((sum, g) => sum + g.subtotal, 0),
    hasProblems: list.some((g) => g.lines.some((line) => line.problem)),
    itemCount: items.length,
  };
}
