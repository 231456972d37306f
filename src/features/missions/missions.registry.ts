// The missions: concrete tasks of the four modules, each checked from the rows the practice left
// behind (a shop, an order, a payment, a reply…), never ticked by hand. A feature adds a mission
// with one entry here: its id (stable: the agenda stores it), its module, its locale keys, where
// in the workshop it is done, and its check.
//
// Not here yet, because the data they would read does not exist yet: "Ganti kata sandi" (password change), chat etiquette, and the scam drills of module (c) ("Tolak
// kode OTP yang diminta orang lain"...). Each arrives as one entry with its feature.
import { prisma } from '../../db.js';

export const moduleIds = ['a', 'b', 'c', 'd'] as const;
export type ModuleId = (typeof moduleIds)[number];

export function isModuleId(value: string): value is ModuleId {
  return (moduleIds as readonly string[]).includes(value);
}

/** Which of `userIds` the data say have done the mission in this workshop. */
export type MissionCheck = (workshopId: number, userIds: number[]) => Promise<Iterable<number>>;

export type Mission = {
  id: string;
  module: ModuleId;
  /** What to do, in a few words ("Pasang 3 produk dengan foto"). */
  titleKey: string;
  /** How to do it, one or two sentences. */
  howKey: string;
  /** Where in the workshop it is done, under /workshops/:id. */
  path: string;
  check: MissionCheck;
};

/** Payments that took the money (a refund later does not undo the practice). */
const paid = { in: ['succeeded', 'refunded'] };

/** A description this long tells a buyer what she gets: material, size, how to care for it. */
export const COMPLETE_DESCRIPTION_CHARS = 80;
/** How many listings with a photo make a shop worth visiting. */
export const LISTINGS_TO_LIST = 3;

const owners = (rows: { ownerId: number }[]) => rows.map((row) => row.ownerId);
const buyers = (rows: { buyerId: number }[]) => rows.map((row) => row.buyerId);

function mission(id: string, module: ModuleId, path: string, check: MissionCheck): Mission {
  return { id, module, titleKey: `missions:list.${id}.title`, howKey: `missions:list.${id}.how`, path, check };
}

const respondedTo = (kind: 'pre' | 'post'): MissionCheck => {
  return async (workshopId, userIds) => {
    const rows = await prisma.response.findMany({
      where: { workshopId, userId: { in: userIds }, form: { kind } },
      distinct: ['userId'],
      select: { userId: true },
    });
    return rows.map((row) => row.userId!);
  };
};

/** Every mission, in the order a trainee meets them within a module. */
export const missions: readonly Mission[] = [
  // (a) The Internet, online ethics and security
  mission('pre-questionnaire', 'a', '/questionnaires', respondedTo('pre')),
  mission('shop-logo', 'a', '/shop/edit', async (workshopId, userIds) =>
    owners(
      await prisma.shop.findMany({
        where: { workshopId, ownerId: { in: userIds }, isDemo: false, logoPath: { not: null } },
        select: { ownerId: true },
      }),
    ),
  ),
  mission('complete-description', 'a', '/shop', async (workshopId, userIds) => {
    const listings = await prisma.listing.findMany({
      where: { workshopId, deletedAt: null, shop: { ownerId: { in: userIds }, isDemo: false } },
      select: { description: true, shop: { select: { ownerId: true } } },
    });
    return listings.filter((l) => l.description.trim().length >= COMPLETE_DESCRIPTION_CHARS).map((l) => l.shop.ownerId);
  }),

  // (b) Transactions on e-commerce sites
  mission('first-order', 'b', '/catalog', async (workshopId, userIds) =>
    buyers(
      await prisma.order.findMany({ where: { workshopId, buyerId: { in: userIds } }, distinct: ['buyerId'], select: { buyerId: true } }),
    ),
  ),
  mission('pay-card', 'b', '/orders', async (workshopId, userIds) =>
    buyers(
      await prisma.checkout.findMany({
        where: { workshopId, buyerId: { in: userIds }, payments: { some: { method: 'card', status: paid } } },
        distinct: ['buyerId'],
        select: { buyerId: true },
      }),
    ),
  ),
  mission('pay-transfer', 'b', '/orders', async (workshopId, userIds) =>
    buyers(
      await prisma.checkout.findMany({
        where: { workshopId, buyerId: { in: userIds }, payments: { some: { method: { in: ['va', 'qris'] }, status: paid } } },
        distinct: ['buyerId'],
        select: { buyerId: true },
      }),
    ),
  ),
  mission('confirm-receipt', 'b', '/orders', async (workshopId, userIds) =>
    buyers(
      await prisma.order.findMany({
        where: { workshopId, buyerId: { in: userIds }, status: 'selesai' },
        distinct: ['buyerId'],
        select: { buyerId: true },
      }),
    ),
  ),
  mission('write-review', 'b', '/orders', async (workshopId, userIds) =>
    buyers(
      await prisma.review.findMany({ where: { workshopId, buyerId: { in: userIds } }, distinct: ['buyerId'], select: { buyerId: true } }),
    ),
  ),

  // (c) The e-commerce security guide
  mission('pay-3ds', 'c', '/catalog', async (workshopId, userIds) =>
    buyers(
      await prisma.checkout.findMany({
        where: { workshopId, buyerId: { in: userIds }, payments: { some: { method: 'card', status: paid, threeDSecure: true } } },
        distinct: ['buyerId'],
        select: { buyerId: true },
      }),
    ),
  ),
  // Handled: a card was declined and the same checkout was then paid (by card or another method).
  mission('retry-declined', 'c', '/catalog', async (workshopId, userIds) =>
    buyers(
      await prisma.checkout.findMany({
        where: {
          workshopId,
          buyerId: { in: userIds },
          AND: [
            { payments: { some: { attempts: { some: { outcome: 'declined' } } } } },
            { payments: { some: { status: paid, method: { not: 'cod' } } } },
          ],
        },
        distinct: ['buyerId'],
        select: { buyerId: true },
      }),
    ),
  ),

  // (d) Selling and buying in an online shop
  mission('open-shop', 'd', '/shop', async (workshopId, userIds) =>
    owners(await prisma.shop.findMany({ where: { workshopId, ownerId: { in: userIds }, isDemo: false }, select: { ownerId: true } })),
  ),
  mission('list-products', 'd', '/shop/listings/new', async (workshopId, userIds) => {
    const listings = await prisma.listing.findMany({
      where: { workshopId, deletedAt: null, photos: { some: {} }, shop: { ownerId: { in: userIds }, isDemo: false } },
      select: { shop: { select: { ownerId: true } } },
    });
    const perOwner = new Map<number, number>();
    for (const { shop } of listings) perOwner.set(shop.ownerId, (perOwner.get(shop.ownerId) ?? 0) + 1);
    return [...perOwner].filter(([, count]) => count >= LISTINGS_TO_LIST).map(([ownerId]) => ownerId);
  }),
  mission('accept-order', 'd', '/seller/orders', async (workshopId, userIds) =>
    owners(
      await prisma.shop.findMany({
        where: { workshopId, ownerId: { in: userIds }, orders: { some: { accepted: true } } },
        select: { ownerId: true },
      }),
    ),
  ),
  mission('ship-order', 'd', '/seller/orders', async (workshopId, userIds) =>
    owners(
      await prisma.shop.findMany({
        where: { workshopId, ownerId: { in: userIds }, orders: { some: { shippedAt: { not: null }, trackingNumber: { not: null } } } },
        select: { ownerId: true },
      }),
    ),
  ),
  mission('complete-sale', 'd', '/seller/orders', async (workshopId, userIds) =>
    owners(
      await prisma.shop.findMany({
        where: { workshopId, ownerId: { in: userIds }, orders: { some: { status: 'selesai' } } },
        select: { ownerId: true },
      }),
    ),
  ),
  mission('withdraw-balance', 'd', '/shop/balance', async (workshopId, userIds) =>
    owners(
      await prisma.shop.findMany({
        where: { workshopId, ownerId: { in: userIds }, isDemo: false, withdrawals: { some: {} } },
        select: { ownerId: true },
      }),
    ),
  ),
  mission('reply-review', 'd', '/seller/orders?status=selesai', async (workshopId, userIds) =>
    owners(
      await prisma.shop.findMany({
        where: { workshopId, ownerId: { in: userIds }, reviews: { some: { reply: { not: null } } } },
        select: { ownerId: true },
      }),
    ),
  ),
  mission('post-questionnaire', 'd', '/questionnaires', respondedTo('post')),
];

const byId = new Map(missions.map((m) => [m.id, m]));

export function findMission(id: string): Mission | undefined {
  return byId.get(id);
}

export function missionsOfModule(module: ModuleId): Mission[] {
  return missions.filter((m) => m.module === module);
}
