-- CreateTable
CREATE TABLE "BotTask" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workshopId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "shopId" INTEGER,
    "orderId" INTEGER,
    "buyer" TEXT,
    "method" TEXT,
    "follow" TEXT,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedAt" DATETIME,
    "doneAt" DATETIME,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BotTask_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BotTask_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BotTask_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Withdrawal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workshopId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "bankName" TEXT NOT NULL,
    "accountNumber" TEXT NOT NULL,
    "accountHolder" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'processing',
    "requestedAt" DATETIME NOT NULL,
    "completesAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Withdrawal_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Withdrawal_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: new columns with constant defaults are added in place. Prisma would redefine the
-- table (copy, drop, rename), and renaming breaks on the catalogue triggers that name "Workshop".
ALTER TABLE "Workshop" ADD COLUMN "clockOffsetSeconds" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Workshop" ADD COLUMN "botsPaused" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Workshop" ADD COLUMN "botDelayMinSeconds" INTEGER NOT NULL DEFAULT 60;
ALTER TABLE "Workshop" ADD COLUMN "botDelayMaxSeconds" INTEGER NOT NULL DEFAULT 180;

-- CreateIndex
CREATE UNIQUE INDEX "BotTask_key_key" ON "BotTask"("key");

-- CreateIndex
CREATE INDEX "BotTask_status_workshopId_dueAt_idx" ON "BotTask"("status", "workshopId", "dueAt");

-- CreateIndex
CREATE INDEX "BotTask_workshopId_doneAt_idx" ON "BotTask"("workshopId", "doneAt");

-- CreateIndex
CREATE INDEX "BotTask_orderId_idx" ON "BotTask"("orderId");

-- CreateIndex
CREATE INDEX "BotTask_shopId_idx" ON "BotTask"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "Withdrawal_reference_key" ON "Withdrawal"("reference");

-- CreateIndex
CREATE INDEX "Withdrawal_status_workshopId_completesAt_idx" ON "Withdrawal"("status", "workshopId", "completesAt");

-- CreateIndex
CREATE UNIQUE INDEX "Withdrawal_shopId_seq_key" ON "Withdrawal"("shopId", "seq");
