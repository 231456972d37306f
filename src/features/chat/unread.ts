// The count behind the tab bar's badge (chat.routes.ts), as an SQL expression: asked on every page
// a trainee opens, so the workshop gate reads it in its membership statement (enterWorkshop) and
// chat.service.ts alone when it must. It imports nothing of the features, so both can use it.
import { Prisma } from '../../generated/prisma/client.js';

/** Her unread chat messages as a buyer and as a seller, and the scam drills she has not opened. */
export function unreadSql(userId: number, workshopId: number): Prisma.Sql {
  return Prisma.sql`(
      COALESCE((SELECT SUM(t."buyerUnread") FROM "ChatThread" t
        WHERE t."buyerId" = ${userId} AND t."workshopId" = ${workshopId} AND t."buyerUnread" > 0), 0)
      + COALESCE((SELECT SUM(t."sellerUnread") FROM "ChatThread" t JOIN "Shop" s ON s."id" = t."shopId"
        WHERE s."ownerId" = ${userId} AND t."workshopId" = ${workshopId} AND t."sellerUnread" > 0), 0)
      + (SELECT COUNT(*) FROM "DrillDelivery" d JOIN "DrillSend" ds ON ds."id" = d."sendId"
        WHERE d."traineeId" = ${userId} AND d."openedAt" IS NULL AND ds."workshopId" = ${workshopId}))`;
}

/** How many people she blocked in the workshop (src/features/safety): the catalogue leaves their listings out. */
export function blocksSql(userId: number, workshopId: number): Prisma.Sql {
  return Prisma.sql`(SELECT COUNT(*) FROM "UserBlock" b WHERE b."workshopId" = ${workshopId} AND b."blockerId" = ${userId})`;
}
