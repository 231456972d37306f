-- The training loop (issue 12): demo accounts marked, the agenda on sessions, 3-D Secure on card
-- payments, the tutor tools' log. Columns are added in place (ALTER TABLE) rather than by
-- redefining the tables, so nothing else on them (indexes, other branches' triggers) is dropped.

-- AlterTable
ALTER TABLE "User" ADD COLUMN "demoKind" TEXT;

-- The sellers of demo shops already loaded are demo accounts.
UPDATE "User" SET "demoKind" = 'shop' WHERE "id" IN (SELECT "ownerId" FROM "Shop" WHERE "isDemo" = 1);

-- AlterTable
ALTER TABLE "WorkshopSession" ADD COLUMN "endsAt" DATETIME;
ALTER TABLE "WorkshopSession" ADD COLUMN "modules" TEXT NOT NULL DEFAULT '';
ALTER TABLE "WorkshopSession" ADD COLUMN "missions" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN "threeDSecure" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "StaffAction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workshopId" INTEGER NOT NULL,
    "staffId" INTEGER NOT NULL,
    "asUserId" INTEGER,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StaffAction_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StaffAction_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StaffAction_asUserId_fkey" FOREIGN KEY ("asUserId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "StaffAction_workshopId_createdAt_idx" ON "StaffAction"("workshopId", "createdAt");
