// The missions: concrete tasks of the four modules, each checked from the rows the practice left
// behind (a shop, an order, a payment, a reply…), never ticked by hand. A feature adds a mission
// with one entry here: its id (stable: the agenda stores it), its module, its locale keys, where
// in the workshop it is done, and its check.
//
// Not here yet, because the data they would read does not exist yet: "Ganti kata sandi" (password
// change), chat etiquette, and the scam drills of module (c) ("Tolak kode OTP yang diminta orang lain"...). Each arrives as one entry with its feature.
import { Prisma } from '../../generated/prisma/client.js';

export const moduleIds = ['a', 'b', 'c', 'd'] as const;
export type ModuleId = (typeof moduleIds)[number];

export function isModuleId(value: string): value is ModuleId {
  return (moduleIds as readonly string[]).includes(value);
}

/**
 * Which of `users` (a list of ids to put inside IN (...)) the data say have done the mission in
 * this workshop: a SELECT whose rows name them in a column "userId" (and, for a mission with
 * `keep`, a text column "detail"). Plain SQL that SQLite and PostgreSQL both run: every check of
 * a page goes to the database as one statement on the hot read path (missions.service.ts), where
 * as sixteen Prisma queries they made a trainee's home cost five times a catalogue page.
 */
export type MissionCheck = (workshopId: number, users: Prisma.Sql) => Prisma.Sql;

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
  /** A test of each row's "detail" that SQL cannot say the same way on both databases. */
  keep?: (detail: string) => boolean;
};

/** Payments that took the money (a refund later does not undo the practice). */
const paid = Prisma.raw(`('succeeded', 'refunded')`);

/** A description this long tells a buyer what she gets: material, size, how to care for it. */
export const COMPLETE_DESCRIPTION_CHARS = 80;
/** How many listings with a photo make a shop worth visiting. */
export const LISTINGS_TO_LIST = 3;

function mission(id: string, module: ModuleId, path: string, check: MissionCheck, keep?: Mission['keep']): Mission {
  return { id, module, titleKey: `missions:list.${id}.title`, howKey: `missions:list.${id}.how`, path, check, ...(keep ? { keep } : {}) };
}

const respondedTo =
  (kind: 'pre' | 'post'): MissionCheck =>
  (workshopId, users) => Prisma.sql`
    SELECT r."userId" FROM "Response" r JOIN "Form" f ON f."id" = r."formId"
    WHERE r."workshopId" = ${workshopId} AND r."userId" IN (${users}) AND f."kind" = ${kind}`;

/** Owners of a shop in the workshop with an order matching `order` (an SQL condition on o). */
const sellersWithOrder =
  (order: Prisma.Sql): MissionCheck =>
  (workshopId, users) => Prisma.sql`
    SELECT s."ownerId" AS "userId" FROM "Shop" s
    WHERE s."workshopId" = ${workshopId} AND s."ownerId" IN (${users})
      AND EXISTS (SELECT 1 FROM "Order" o WHERE o."shopId" = s."id" AND ${order})`;

/** Buyers with a checkout in the workshop one of whose payments matches `payment` (an SQL condition on p). */
const buyersWhoPaid =
  (payment: Prisma.Sql): MissionCheck =>
  (workshopId, users) => Prisma.sql`
    SELECT c."buyerId" AS "userId" FROM "Checkout" c
    WHERE c."workshopId" = ${workshopId} AND c."buyerId" IN (${users})
      AND EXISTS (SELECT 1 FROM "Payment" p WHERE p."checkoutId" = c."id" AND ${payment})`;

/** Every mission, in the order a trainee meets them within a module. */
export const missions: readonly Mission[] = [
  // (a) The Internet, online ethics and security
  mission('pre-questionnaire', 'a', '/questionnaires', respondedTo('pre')),
  mission(
    'shop-logo',
    'a',
    '/shop/edit',
    (workshopId, users) => Prisma.sql`
      SELECT "ownerId" AS "userId" FROM "Shop"
      WHERE "workshopId" = ${workshopId} AND "ownerId" IN (${users}) AND "isDemo" = false AND "logoPath" IS NOT NULL`,
  ),
  // Each listing's description comes back: JavaScript's trim() and length are the measure.
  mission(
    'complete-description',
    'a',
    '/shop',
    (workshopId, users) => Prisma.sql`
      SELECT s."ownerId" AS "userId", l."description" AS "detail" FROM "Listing" l JOIN "Shop" s ON s."id" = l."shopId"
      WHERE l."workshopId" = ${workshopId} AND l."deletedAt" IS NULL AND s."ownerId" IN (${users}) AND s."isDemo" = false`,
    (description) => description.trim().length >= COMPLETE_DESCRIPTION_CHARS,
  ),

  // (b) Transactions on e-commerce sites
  mission(
    'first-order',
    'b',
    '/catalog',
    (workshopId, users) => Prisma.sql`
      SELECT "buyerId" AS "userId" FROM "Order" WHERE "workshopId" = ${workshopId} AND "buyerId" IN (${users})`,
  ),
  mission('pay-card', 'b', '/orders', buyersWhoPaid(Prisma.sql`p."method" = 'card' AND p."status" IN ${paid}`)),
  mission('pay-transfer', 'b', '/orders', buyersWhoPaid(Prisma.sql`p."method" IN ('va', 'qris') AND p."status" IN ${paid}`)),
  mission(
    'confirm-receipt',
    'b',
    '/orders',
    (workshopId, users) => Prisma.sql`
      SELECT "buyerId" AS "userId" FROM "Order" WHERE "workshopId" = ${workshopId} AND "buyerId" IN (${users}) AND "status" = 'selesai'`,
  ),
  mission(
    'write-review',
    'b',
    '/orders',
    (workshopId, users) => Prisma.sql`
      SELECT "buyerId" AS "userId" FROM "Review" WHERE "workshopId" = ${workshopId} AND "buyerId" IN (${users})`,
  ),

  // (c) The e-commerce security guide
  mission('pay-3ds', 'c', '/catalog', buyersWhoPaid(Prisma.sql`p."method" = 'card' AND p."status" IN ${paid} AND p."threeDSecure" = true`)),
  // Handled: a card was declined and the same checkout was then paid (by card or another method).
  mission(
    'retry-declined',
    'c',
    '/catalog',
    (workshopId, users) => Prisma.sql`
      SELECT c."buyerId" AS "userId" FROM "Checkout" c
      WHERE c."workshopId" = ${workshopId} AND c."buyerId" IN (${users})
        AND EXISTS (SELECT 1 FROM "Payment" p JOIN "PaymentAttempt" a ON a."paymentId" = p."id"
                    WHERE p."checkoutId" = c."id" AND a."outcome" = 'declined')
        AND EXISTS (SELECT 1 FROM "Payment" p WHERE p."checkoutId" = c."id" AND p."status" IN ${paid} AND p."method" <> 'cod')`,
  ),

  // (d) Selling and buying in an online shop
  mission(
    'open-shop',
    'd',
    '/shop',
    (workshopId, users) => Prisma.sql`
      SELECT "ownerId" AS "userId" FROM "Shop" WHERE "workshopId" = ${workshopId} AND "ownerId" IN (${users}) AND "isDemo" = false`,
  ),
  mission(
    'list-products',
    'd',
    '/shop/listings/new',
    (workshopId, users) => Prisma.sql`
      SELECT s."ownerId" AS "userId" FROM "Listing" l JOIN "Shop" s ON s."id" = l."shopId"
      WHERE l."workshopId" = ${workshopId} AND l."deletedAt" IS NULL AND s."ownerId" IN (${users}) AND s."isDemo" = false
        AND EXISTS (SELECT 1 FROM "ListingPhoto" ph WHERE ph."listingId" = l."id")
      GROUP BY s."ownerId" HAVING COUNT(*) >= ${Prisma.raw(String(LISTINGS_TO_LIST))}`,
  ),
  mission('accept-order', 'd', '/seller/orders', sellersWithOrder(Prisma.sql`o."accepted" = true`)),
  mission('ship-order', 'd', '/seller/orders', sellersWithOrder(Prisma.sql`o."shippedAt" IS NOT NULL AND o."trackingNumber" IS NOT NULL`)),
  mission('complete-sale', 'd', '/seller/orders', sellersWithOrder(Prisma.sql`o."status" = 'selesai'`)),
  mission(
    'withdraw-balance',
    'd',
    '/shop/balance',
    (workshopId, users) => Prisma.sql`
      SELECT s."ownerId" AS "userId" FROM "Shop" s
      WHERE s."workshopId" = ${workshopId} AND s."ownerId" IN (${users}) AND s."isDemo" = false
        AND EXISTS (SELECT 1 FROM "Withdrawal" w WHERE w."shopId" = s."id")`,
  ),
  mission(
    'reply-review',
    'd',
    '/seller/orders?status=selesai',
    (workshopId, users) => Prisma.sql`
      SELECT s."ownerId" AS "userId" FROM "Shop" s
      WHERE s."workshopId" = ${workshopId} AND s."ownerId" IN (${users})
        AND EXISTS (SELECT 1 FROM "Review" rv WHERE rv."shopId" = s."id" AND rv."reply" IS NOT NULL)`,
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
