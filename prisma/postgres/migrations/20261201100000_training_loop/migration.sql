-- The training loop (issue 12): demo accounts marked, the agenda on sessions, 3-D Secure on card
-- payments, the tutor tools' log.

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "demoKind" TEXT;

-- The sellers of demo shops already loaded are demo accounts.
UPDATE "User" SET "demoKind" = 'shop' WHERE "id" IN (SELECT "ownerId" FROM "Shop" WHERE "isDemo" = true);

-- AlterTable
ALTER TABLE "WorkshopSession" ADD COLUMN     "endsAt" TIMESTAMP(3),
ADD COLUMN     "missions" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "modules" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "threeDSecure" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "StaffAction" (
    "id" SERIAL NOT NULL,
    "workshopId" INTEGER NOT NULL,
    "staffId" INTEGER NOT NULL,
    "asUserId" INTEGER,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffAction_workshopId_createdAt_idx" ON "StaffAction"("workshopId", "createdAt");

-- AddForeignKey
ALTER TABLE "StaffAction" ADD CONSTRAINT "StaffAction_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffAction" ADD CONSTRAINT "StaffAction_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffAction" ADD CONSTRAINT "StaffAction_asUserId_fkey" FOREIGN KEY ("asUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
